// Redis 7.0 intset (intset.c), byte for byte.
//
// Layout: u32 LE encoding (bytes per value: 2, 4 or 8), u32 LE length, then the values
// sorted ascending, little endian, all at the encoding's width. Adding a value that needs
// a wider encoding upgrades the whole set first; the encoding never shrinks back (removing
// the wide value keeps the width), so the bytes depend on history, as in Redis.

export type IntsetEncoding = 2 | 4 | 8

/** An intset value: number within +-(2^53-1), bigint beyond (always int64). */
export type IntsetValue = number | bigint

/** Reported to `onUpgrade` when a value forces a wider encoding (intsetUpgradeAndAdd). */
export interface IntsetUpgradeEvent {
  from: IntsetEncoding
  to: IntsetEncoding
  /** The value that caused it; it lands first when negative, last when positive. */
  value: IntsetValue
}

/** Injected randomness (structurally the engine's Random). */
export interface IntsetRandomSource {
  /** Uniform unsigned 32-bit integer. */
  u32(): number
}

const HEADER = 8
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER)
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER)

function normalise(v: bigint): IntsetValue {
  return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v
}

/** _intsetValueEncoding: the narrowest width that holds `v`. */
export function intsetValueEncoding(v: IntsetValue): IntsetEncoding {
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`intset value out of int64 range: ${v}`)
    if (v < -2147483648n || v > 2147483647n) return 8
    v = Number(v)
  } else if (!Number.isSafeInteger(v)) {
    throw new RangeError(`intset value must be a safe integer or a bigint: ${v}`)
  }
  if (v < -2147483648 || v > 2147483647) return 8
  if (v < -32768 || v > 32767) return 4
  return 2
}

export class Intset {
  private buf: Uint8Array
  private dv: DataView
  private enc: IntsetEncoding
  private len: number
  /** Called on every width upgrade, for trace events and the introspection views. */
  onUpgrade: ((e: IntsetUpgradeEvent) => void) | undefined

  private constructor(buf: Uint8Array, enc: IntsetEncoding, len: number) {
    this.buf = buf
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    this.enc = enc
    this.len = len
  }

  /** intsetNew: empty, 16-bit encoding. */
  static create(onUpgrade?: (e: IntsetUpgradeEvent) => void): Intset {
    const s = new Intset(new Uint8Array(64), 2, 0)
    s.writeHeader()
    s.onUpgrade = onUpgrade
    return s
  }

  /** Adopts serialized intset bytes (copied) after intsetValidateIntegrity; throws when invalid. */
  static fromBytes(bytes: Uint8Array, deep = true): Intset {
    if (!validateIntset(bytes, deep)) throw new Error('invalid intset')
    const buf = new Uint8Array(Math.max(bytes.length, 64))
    buf.set(bytes)
    const enc = bytes[0] as IntsetEncoding
    const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
    return new Intset(buf, enc, len)
  }

  /** Bytes per value: 2, 4 or 8. */
  get encoding(): IntsetEncoding {
    return this.enc
  }

  /** intsetLen. */
  get length(): number {
    return this.len
  }

  /** intsetBlobLen: header plus values. */
  get byteLength(): number {
    return HEADER + this.len * this.enc
  }

  /** The exact Redis layout, as a fresh copy. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.byteLength)
  }

  /** The exact Redis layout without copying; only valid until the next write. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.byteLength)
  }

  /** intsetGet: the value at position `i` (0-based, ascending order). */
  get(i: number): IntsetValue {
    if (!Number.isInteger(i) || i < 0 || i >= this.len) throw new RangeError(`intset index ${i} out of range`)
    return this.read(i)
  }

  /** intsetMin / intsetMax (undefined when empty). */
  min(): IntsetValue | undefined {
    return this.len ? this.read(0) : undefined
  }

  max(): IntsetValue | undefined {
    return this.len ? this.read(this.len - 1) : undefined
  }

  /** intsetFind. */
  has(v: IntsetValue): boolean {
    if (intsetValueEncoding(v) > this.enc) return false
    return this.search(v) >= 0
  }

  /**
   * intsetSearch: position of `v` when present, else -(insertion point) - 1.
   * `v` must fit the current encoding.
   */
  search(v: IntsetValue): number {
    const n = this.len
    if (n === 0) return -1
    if (this.enc === 8) {
      const x = BigInt(v)
      const hi = this.dv.getBigInt64(HEADER + (n - 1) * 8, true)
      if (x > hi) return -n - 1
      if (x < this.dv.getBigInt64(HEADER, true)) return -1
      let lo = 0
      let up = n - 1
      while (lo <= up) {
        const mid = (lo + up) >>> 1
        const cur = this.dv.getBigInt64(HEADER + mid * 8, true)
        if (x > cur) lo = mid + 1
        else if (x < cur) up = mid - 1
        else return mid
      }
      return -lo - 1
    }
    const x = Number(v)
    if (x > this.readSmall(n - 1)) return -n - 1
    if (x < this.readSmall(0)) return -1
    let lo = 0
    let up = n - 1
    while (lo <= up) {
      const mid = (lo + up) >>> 1
      const cur = this.readSmall(mid)
      if (x > cur) lo = mid + 1
      else if (x < cur) up = mid - 1
      else return mid
    }
    return -lo - 1
  }

  /** intsetAdd: true when added, false when already present. May upgrade the encoding. */
  add(v: IntsetValue): boolean {
    const venc = intsetValueEncoding(v)
    if (venc > this.enc) {
      this.upgradeAndAdd(v, venc)
      return true
    }
    const pos = this.search(v)
    if (pos >= 0) return false
    const at = -pos - 1
    this.ensure(HEADER + (this.len + 1) * this.enc)
    const off = HEADER + at * this.enc
    this.buf.copyWithin(off + this.enc, off, HEADER + this.len * this.enc)
    this.write(at, v)
    this.len++
    this.writeHeader()
    return true
  }

  /** intsetRemove: true when it was there. The encoding stays as it is. */
  remove(v: IntsetValue): boolean {
    if (intsetValueEncoding(v) > this.enc) return false
    const pos = this.search(v)
    if (pos < 0) return false
    const off = HEADER + pos * this.enc
    this.buf.copyWithin(off, off + this.enc, HEADER + this.len * this.enc)
    this.len--
    this.writeHeader()
    return true
  }

  /** intsetRandom: the value at `rand.u32() % length`, as Redis picks `rand() % len`. */
  random(rand: IntsetRandomSource): IntsetValue {
    if (this.len === 0) throw new RangeError('intsetRandom on an empty intset')
    return this.read(rand.u32() % this.len)
  }

  /** Values in ascending order. */
  toArray(): IntsetValue[] {
    const out: IntsetValue[] = []
    for (let i = 0; i < this.len; i++) out.push(this.read(i))
    return out
  }

  *[Symbol.iterator](): IterableIterator<IntsetValue> {
    for (let i = 0; i < this.len; i++) yield this.read(i)
  }

  // ---- internals ---------------------------------------------------------------------

  private readSmall(i: number): number {
    return this.enc === 2 ? this.dv.getInt16(HEADER + i * 2, true) : this.dv.getInt32(HEADER + i * 4, true)
  }

  private read(i: number): IntsetValue {
    if (this.enc === 8) return normalise(this.dv.getBigInt64(HEADER + i * 8, true))
    return this.readSmall(i)
  }

  private write(i: number, v: IntsetValue): void {
    const off = HEADER + i * this.enc
    if (this.enc === 8) this.dv.setBigInt64(off, BigInt(v), true)
    else if (this.enc === 4) this.dv.setInt32(off, Number(v), true)
    else this.dv.setInt16(off, Number(v), true)
  }

  private writeHeader(): void {
    this.dv.setUint32(0, this.enc, true)
    this.dv.setUint32(4, this.len, true)
  }

  private ensure(bytes: number): void {
    if (bytes <= this.buf.length) return
    const grown = new Uint8Array(Math.max(bytes, this.buf.length * 2))
    grown.set(this.buf.subarray(0, this.byteLength))
    this.buf = grown
    this.dv = new DataView(grown.buffer)
  }

  // intsetUpgradeAndAdd: widen every value in place (from the back so nothing is
  // overwritten before it is read), then the new value, being out of the old range,
  // goes first when negative and last when positive.
  private upgradeAndAdd(v: IntsetValue, venc: IntsetEncoding): void {
    const from = this.enc
    const n = this.len
    const values: IntsetValue[] = []
    for (let i = 0; i < n; i++) values.push(this.read(i))
    this.ensure(HEADER + (n + 1) * venc)
    this.enc = venc
    const prepend = (typeof v === 'bigint' ? v < 0n : v < 0) ? 1 : 0
    for (let i = n - 1; i >= 0; i--) this.write(i + prepend, values[i])
    this.write(prepend ? 0 : n, v)
    this.len = n + 1
    this.writeHeader()
    this.onUpgrade?.({ from, to: venc, value: typeof v === 'bigint' ? normalise(v) : v })
  }
}

/**
 * intsetValidateIntegrity: header readable, encoding 2/4/8, size exactly header plus
 * length values, not empty; with `deep` the values must be strictly ascending.
 */
export function validateIntset(bytes: Uint8Array, deep: boolean): boolean {
  const size = bytes.length
  if (size < HEADER) return false
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const enc = dv.getUint32(0, true)
  if (enc !== 2 && enc !== 4 && enc !== 8) return false
  const count = dv.getUint32(4, true)
  if (HEADER + count * enc !== size) return false
  if (count === 0) return false
  if (!deep) return true
  const at = (i: number): bigint | number =>
    enc === 8 ? dv.getBigInt64(HEADER + i * 8, true) : enc === 4 ? dv.getInt32(HEADER + i * 4, true) : dv.getInt16(HEADER + i * 2, true)
  let prev = at(0)
  for (let i = 1; i < count; i++) {
    const cur = at(i)
    if (cur <= prev) return false
    prev = cur
  }
  return true
}
