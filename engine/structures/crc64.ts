// CRC-64 as Redis computes it (crc64.c): the "Jones" polynomial 0xad93d23594c935a9,
// reflected input and output, initial value 0, no final xor. Check value for
// "123456789" is 0xe9c6d914c4b8d9ca. Used for DUMP payload footers and the RDB
// file trailer.
//
// The 64-bit state is kept as two unsigned 32-bit halves (BigInt arithmetic
// per byte would be far slower), and bytes are consumed eight at a time with
// "slicing-by-8" tables: T[k][b] is the CRC of byte b followed by k zero bytes.

/** The polynomial bit-reversed (reflected form), as hi/lo 32-bit halves: 0x95ac9329ac4bc9b5. */
const POLY_HI = 0x95ac9329
const POLY_LO = 0xac4bc9b5

const TABLES = 8
// Table k, entry b: hi word at [k*512 + 2b], lo word at [k*512 + 2b + 1].
const T = new Uint32Array(TABLES * 256 * 2)

;(function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let hi = 0
    let lo = b
    for (let i = 0; i < 8; i++) {
      const carry = lo & 1
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0
      hi = hi >>> 1
      if (carry) {
        hi = (hi ^ POLY_HI) >>> 0
        lo = (lo ^ POLY_LO) >>> 0
      }
    }
    T[2 * b] = hi
    T[2 * b + 1] = lo
  }
  for (let k = 1; k < TABLES; k++) {
    for (let b = 0; b < 256; b++) {
      const prevHi = T[(k - 1) * 512 + 2 * b]
      const prevLo = T[(k - 1) * 512 + 2 * b + 1]
      const x = prevLo & 0xff
      // prev >>> 8, then xor T0[x]
      const hi = (prevHi >>> 8) ^ T[2 * x]
      const lo = ((prevLo >>> 8) | (prevHi << 24)) ^ T[2 * x + 1]
      T[k * 512 + 2 * b] = hi >>> 0
      T[k * 512 + 2 * b + 1] = lo >>> 0
    }
  }
})()

/** A running CRC-64 (crc64(crc, s, l) called repeatedly). */
export class Crc64 {
  hi = 0
  lo = 0

  /** Feeds bytes [start, end) of `data`. */
  update(data: Uint8Array, start = 0, end = data.length): this {
    let hi = this.hi
    let lo = this.lo
    let i = start
    // Eight bytes at a time.
    for (; i + 8 <= end; i += 8) {
      const l = (lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0
      const h = (hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24))) >>> 0
      // Byte j of the 64-bit word goes through table 7 - j.
      let a = 7 * 512 + 2 * (l & 0xff)
      let nh = T[a]
      let nl = T[a + 1]
      a = 6 * 512 + 2 * ((l >>> 8) & 0xff)
      nh ^= T[a]
      nl ^= T[a + 1]
      a = 5 * 512 + 2 * ((l >>> 16) & 0xff)
      nh ^= T[a]
      nl ^= T[a + 1]
      a = 4 * 512 + 2 * (l >>> 24)
      nh ^= T[a]
      nl ^= T[a + 1]
      a = 3 * 512 + 2 * (h & 0xff)
      nh ^= T[a]
      nl ^= T[a + 1]
      a = 2 * 512 + 2 * ((h >>> 8) & 0xff)
      nh ^= T[a]
      nl ^= T[a + 1]
      a = 1 * 512 + 2 * ((h >>> 16) & 0xff)
      nh ^= T[a]
      nl ^= T[a + 1]
      a = 2 * (h >>> 24)
      nh ^= T[a]
      nl ^= T[a + 1]
      hi = nh >>> 0
      lo = nl >>> 0
    }
    // The rest one byte at a time.
    for (; i < end; i++) {
      const a = 2 * ((lo ^ data[i]) & 0xff)
      lo = (((lo >>> 8) | (hi << 24)) ^ T[a + 1]) >>> 0
      hi = ((hi >>> 8) ^ T[a]) >>> 0
    }
    this.hi = hi
    this.lo = lo
    return this
  }

  /** The CRC as an unsigned 64-bit bigint. */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo)
  }

  /** The CRC as Redis stores it: 8 bytes, little endian. */
  bytesLE(): Uint8Array {
    const out = new Uint8Array(8)
    this.writeLE(out, 0)
    return out
  }

  /** Writes the 8 little-endian bytes at `out[offset..]`. */
  writeLE(out: Uint8Array, offset: number): void {
    const lo = this.lo
    const hi = this.hi
    out[offset] = lo & 0xff
    out[offset + 1] = (lo >>> 8) & 0xff
    out[offset + 2] = (lo >>> 16) & 0xff
    out[offset + 3] = lo >>> 24
    out[offset + 4] = hi & 0xff
    out[offset + 5] = (hi >>> 8) & 0xff
    out[offset + 6] = (hi >>> 16) & 0xff
    out[offset + 7] = hi >>> 24
  }

  /** True when the 8 bytes at `data[offset..]` are this CRC in little-endian order. */
  matchesLE(data: Uint8Array, offset: number): boolean {
    if (offset < 0 || offset + 8 > data.length) return false
    const lo = (data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24)) >>> 0
    const hi = (data[offset + 4] | (data[offset + 5] << 8) | (data[offset + 6] << 16) | (data[offset + 7] << 24)) >>> 0
    return lo === this.lo && hi === this.hi
  }
}

/** crc64(0, data[start..end)) as an unsigned 64-bit bigint. */
export function crc64(data: Uint8Array, start = 0, end = data.length): bigint {
  return new Crc64().update(data, start, end).value()
}
