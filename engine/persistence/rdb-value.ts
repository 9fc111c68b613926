// RDB value serialization (rdb.c): the byte encodings of lengths, strings,
// integers and LZF blobs, rdbSaveObjectType / rdbSaveObject for every 7.0
// encoding, and rdbLoadObject for every type id 7.0 loads (old ziplist,
// zipmap and linked-list forms included), with the same integrity checks and
// the same conversions after load. DUMP/RESTORE use it through
// createDumpPayload / loadDumpPayload; the RDB file writer and reader reuse
// RdbWriter / RdbReader and saveObject / loadObject directly.
//
// Bytes are Uint8Array; values inside the engine are byte strings (one char
// per byte). No Node APIs here.

import type { HashObject, ListObject, RObj, SetObject, StringObject, ZsetObject } from '../keyspace/object.ts'
import type { Server } from '../server/server.ts'
import { Crc64 } from '../structures/crc64.ts'
import { Dict } from '../structures/dict.ts'
import { Intset, validateIntset } from '../structures/intset.ts'
import { Listpack, validateListpack, type ListpackValue } from '../structures/listpack.ts'
import { strtoFormat, BINARY64, ldToNumber, scanFloatSyntax, newFloatSyntax } from '../structures/long-double.ts'
import { lzfCompress, lzfDecompress } from '../structures/lzf.ts'
import { string2llNumber } from '../structures/numbers.ts'
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN } from '../structures/quicklist.ts'
import { Skiplist } from '../structures/skiplist.ts'
import { createStringObjectFromLongLongForValue, tryObjectEncoding } from '../types/string.ts'
import { createQuicklistObject } from '../types/list.ts'
import { createHashObject, hashTypeConvert, hashTypeLength } from '../types/hash.ts'
import { createIntsetObject, createSetObject, setMemberAsInt, setTypeConvert, setTypeSize } from '../types/set.ts'
import { createZsetObject, zsetConvert, zsetLength } from '../types/zset.ts'
import { registerSerializedLength } from '../commands/server/serialized-length.ts'

// ---------------------------------------------------------------- constants (rdb.h)

export const RDB_VERSION = 10

export const RDB_TYPE_STRING = 0
export const RDB_TYPE_LIST = 1
export const RDB_TYPE_SET = 2
export const RDB_TYPE_ZSET = 3
export const RDB_TYPE_HASH = 4
export const RDB_TYPE_ZSET_2 = 5
export const RDB_TYPE_MODULE = 6
export const RDB_TYPE_MODULE_2 = 7
export const RDB_TYPE_HASH_ZIPMAP = 9
export const RDB_TYPE_LIST_ZIPLIST = 10
export const RDB_TYPE_SET_INTSET = 11
export const RDB_TYPE_ZSET_ZIPLIST = 12
export const RDB_TYPE_HASH_ZIPLIST = 13
export const RDB_TYPE_LIST_QUICKLIST = 14
export const RDB_TYPE_STREAM_LISTPACKS = 15
export const RDB_TYPE_HASH_LISTPACK = 16
export const RDB_TYPE_ZSET_LISTPACK = 17
export const RDB_TYPE_LIST_QUICKLIST_2 = 18
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19

/** rdbIsObjectType: 0..7 and 9..19. */
export function rdbIsObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19)
}

const RDB_6BITLEN = 0
const RDB_14BITLEN = 1
const RDB_32BITLEN = 0x80
const RDB_64BITLEN = 0x81
const RDB_ENCVAL = 3
const RDB_ENC_INT8 = 0
const RDB_ENC_INT16 = 1
const RDB_ENC_INT32 = 2
const RDB_ENC_LZF = 3

/** LISTPACK_MAX_SAFETY_SIZE (lpSafeToAdd). */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30
/** DICT_HT_INITIAL_SIZE: loaders pre-size dicts only above this. */
const DICT_HT_INITIAL_SIZE = 4

// ---------------------------------------------------------------- errors

/** A payload rdbLoadObject refuses (RESTORE answers "Bad data format"). */
export class RdbError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RdbError'
  }
}

/** rdbLoadObject's RDB_LOAD_ERR_EMPTY_KEY: a well-formed but empty collection (an RDB load skips the key). */
export class RdbEmptyKeyError extends RdbError {
  constructor() {
    super('empty key')
    this.name = 'RdbEmptyKeyError'
  }
}

// ---------------------------------------------------------------- byte helpers

/** A byte string (one char per byte) as bytes. */
export function byteStringToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i)
  return b
}

/** Bytes as a byte string. */
export function bytesToByteString(b: Uint8Array): string {
  const n = b.length
  if (n <= 16) {
    let s = ''
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[i])
    return s
  }
  if (n <= 8192) return String.fromCharCode.apply(null, b as unknown as number[])
  let s = ''
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(i + 8192, n)) as unknown as number[])
  return s
}

// ---------------------------------------------------------------- writer

/** A growable byte buffer with the RDB primitive encodings (rdbSaveLen, rdbSaveRawString, ...). */
export class RdbWriter {
  private buf: Uint8Array
  private dv: DataView
  private pos = 0

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(16, capacity))
    this.dv = new DataView(this.buf.buffer)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos
  }

  private reserve(n: number): void {
    const need = this.pos + n
    if (need <= this.buf.length) return
    let cap = this.buf.length * 2
    while (cap < need) cap *= 2
    const nb = new Uint8Array(cap)
    nb.set(this.buf.subarray(0, this.pos))
    this.buf = nb
    this.dv = new DataView(nb.buffer)
  }

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.pos++] = b & 0xff
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length)
    this.buf.set(data, this.pos)
    this.pos += data.length
  }

  /** The chars of a byte string as bytes. */
  byteString(s: string): void {
    this.reserve(s.length)
    const buf = this.buf
    let p = this.pos
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i)
    this.pos = p
  }

  /** rdbSaveLen. */
  len(n: number | bigint): void {
    if (typeof n === 'number' && n < 1 << 6) {
      this.byte((RDB_6BITLEN << 6) | n)
    } else if (typeof n === 'number' && n < 1 << 14) {
      this.byte((RDB_14BITLEN << 6) | ((n >> 8) & 0x3f))
      this.byte(n & 0xff)
    } else if (BigInt(n) <= 0xffffffffn) {
      const v = Number(n)
      this.byte(RDB_32BITLEN)
      this.byte(v >>> 24)
      this.byte((v >>> 16) & 0xff)
      this.byte((v >>> 8) & 0xff)
      this.byte(v & 0xff)
    } else {
      let v = BigInt.asUintN(64, BigInt(n))
      this.byte(RDB_64BITLEN)
      const tmp = new Uint8Array(8)
      for (let i = 7; i >= 0; i--) {
        tmp[i] = Number(v & 0xffn)
        v >>= 8n
      }
      this.bytes(tmp)
    }
  }

  /** rdbEncodeInteger: true when written (the value fits 32 bits). */
  private encodedInteger(v: bigint | number): boolean {
    if (typeof v === 'bigint') {
      if (v < -2147483648n || v > 2147483647n) return false
      v = Number(v)
    }
    if (v >= -128 && v <= 127) {
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT8)
      this.byte(v & 0xff)
      return true
    }
    if (v >= -32768 && v <= 32767) {
      const n = v
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT16)
      this.byte(n & 0xff)
      this.byte((n >> 8) & 0xff)
      return true
    }
    if (v >= -2147483648 && v <= 2147483647) {
      const n = v
      this.byte((RDB_ENCVAL << 6) | RDB_ENC_INT32)
      this.byte(n & 0xff)
      this.byte((n >> 8) & 0xff)
      this.byte((n >> 16) & 0xff)
      this.byte((n >>> 24) & 0xff)
      return true
    }
    return false
  }

  /** rdbSaveLongLongAsStringObject: the integer encoding when it fits 32 bits, else the decimal text. */
  longLongAsString(v: bigint): void {
    if (this.encodedInteger(v)) return
    const s = v.toString()
    this.len(s.length)
    this.byteString(s)
  }

  /** rdbSaveLzfBlob: the LZF marker, compressed and original lengths, then the data. */
  lzfBlob(data: Uint8Array, originalLen: number): void {
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF)
    this.len(data.length)
    this.len(originalLen)
    this.bytes(data)
  }

  /**
   * rdbSaveRawString: a canonical integer of up to 11 chars in the int8/16/32
   * encodings; else LZF when `compression` is on, the string is longer than
   * 20 bytes and compresses into len-4 bytes; else the length and the bytes.
   */
  rawString(value: string | Uint8Array, compression: boolean): void {
    const len = value.length
    if (len <= 11 && len > 0) {
      const c = typeof value === 'string' ? value.charCodeAt(0) : value[0]
      // Only a digit or '-' can start a canonical integer.
      if ((c >= 48 && c <= 57) || c === 45) {
        // Up to 11 chars: always a safe integer when canonical.
        const v = string2llNumber(typeof value === 'string' ? value : bytesToByteString(value))
        if (typeof v === 'number' && this.encodedInteger(v)) return
      }
    }
    // Under 20 bytes LZF cannot even compress a run of one byte.
    if (compression && len > 20) {
      const bytes = typeof value === 'string' ? byteStringToBytes(value) : value
      const out = lzfCompress(bytes, len - 4)
      if (out !== null) {
        this.lzfBlob(out, len)
        return
      }
    }
    this.len(len)
    if (typeof value === 'string') this.byteString(value)
    else this.bytes(value)
  }

  /** rdbSaveBinaryDoubleValue: 8 bytes, little endian IEEE 754. */
  binaryDouble(d: number): void {
    this.reserve(8)
    this.dv.setFloat64(this.pos, d, true)
    this.pos += 8
  }

  /** rdbSaveMillisecondTime: signed 64-bit, little endian. */
  millisecondTime(ms: bigint | number): void {
    this.reserve(8)
    this.dv.setBigInt64(this.pos, BigInt.asIntN(64, BigInt(ms)), true)
    this.pos += 8
  }

  /** The bytes written (a copy). */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos)
  }

  /** The bytes written without copying; only valid until the next write. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos)
  }
}

// ---------------------------------------------------------------- reader

/** rdbLoadLen's result: a length, or (encoded) a special string encoding id. */
export interface RdbLen {
  value: number
  encoded: boolean
}

/** Reads RDB primitives from bytes; any short read throws RdbError (rioRead returning 0). */
export class RdbReader {
  pos: number
  readonly end: number
  private readonly dv: DataView

  constructor(
    readonly data: Uint8Array,
    start = 0,
    end = data.length,
  ) {
    this.pos = start
    this.end = end
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength)
  }

  get remaining(): number {
    return this.end - this.pos
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw new RdbError('short read')
  }

  byte(): number {
    this.need(1)
    return this.data[this.pos++]
  }

  bytes(n: number): Uint8Array {
    this.need(n)
    const out = this.data.slice(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  /** rdbLoadLenByRef. A 64-bit length beyond 2^53 reads as Infinity (nothing that large can be allocated). */
  lenEx(): RdbLen {
    const b = this.byte()
    const type = (b & 0xc0) >> 6
    if (type === RDB_ENCVAL) return { value: b & 0x3f, encoded: true }
    if (type === RDB_6BITLEN) return { value: b & 0x3f, encoded: false }
    if (type === RDB_14BITLEN) return { value: ((b & 0x3f) << 8) | this.byte(), encoded: false }
    if (b === RDB_32BITLEN) {
      this.need(4)
      const d = this.data
      const p = this.pos
      this.pos += 4
      return { value: ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0, encoded: false }
    }
    if (b === RDB_64BITLEN) {
      this.need(8)
      let v = 0n
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.data[this.pos++])
      return { value: v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v), encoded: false }
    }
    throw new RdbError(`Unknown length encoding ${type} in rdbLoadLen()`)
  }

  /** rdbLoadLen for a plain length (an encoded form reads as its id, as in Redis). */
  len(): number {
    return this.lenEx().value
  }

  /** rdbLoadLen for a 64-bit value stored as a length (stream IDs, module ids): exact. */
  lenBig(): bigint {
    const start = this.pos
    const b = this.byte()
    if (b === RDB_64BITLEN) {
      this.need(8)
      let v = 0n
      for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(this.data[this.pos++])
      return v
    }
    this.pos = start
    return BigInt(this.len())
  }

  /**
   * rdbGenericLoadStringObject: the string's bytes. Integer encodings give
   * their decimal text; LZF is decompressed and must inflate to exactly the
   * announced length.
   */
  stringBytes(): Uint8Array {
    const { value: len, encoded } = this.lenEx()
    if (encoded) {
      switch (len) {
        case RDB_ENC_INT8:
        case RDB_ENC_INT16:
        case RDB_ENC_INT32:
          return byteStringToBytes(this.integer(len).toString())
        case RDB_ENC_LZF:
          return this.lzfString()
        default:
          throw new RdbError(`Unknown RDB string encoding type ${len}`)
      }
    }
    if (!Number.isFinite(len)) throw new RdbError('string too long')
    return this.bytes(len)
  }

  /** Like stringBytes, as a byte string. */
  string(): string {
    const { value: len, encoded } = this.lenEx()
    if (encoded) {
      switch (len) {
        case RDB_ENC_INT8:
        case RDB_ENC_INT16:
        case RDB_ENC_INT32:
          return this.integer(len).toString()
        case RDB_ENC_LZF:
          return bytesToByteString(this.lzfString())
        default:
          throw new RdbError(`Unknown RDB string encoding type ${len}`)
      }
    }
    if (!Number.isFinite(len)) throw new RdbError('string too long')
    this.need(len)
    const s = bytesToByteString(this.data.subarray(this.pos, this.pos + len))
    this.pos += len
    return s
  }

  /**
   * A string value as rdbLoadEncodedStringObject reads it: { int } when the
   * payload used an integer encoding (createStringObjectFromLongLongForValue),
   * else { str }.
   */
  encodedString(): { int: number } | { str: string } {
    const start = this.pos
    const { value, encoded } = this.lenEx()
    if (encoded && value <= RDB_ENC_INT32) return { int: this.integer(value) }
    this.pos = start
    return { str: this.string() }
  }

  /** rdbLoadIntegerObject's value. */
  private integer(enctype: number): number {
    if (enctype === RDB_ENC_INT8) {
      const v = this.byte()
      return v > 127 ? v - 256 : v
    }
    if (enctype === RDB_ENC_INT16) {
      const v = this.byte() | (this.byte() << 8)
      return v > 32767 ? v - 65536 : v
    }
    this.need(4)
    const d = this.data
    const p = this.pos
    this.pos += 4
    return d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)
  }

  /** rdbLoadLzfStringObject's payload after the marker. */
  private lzfString(): Uint8Array {
    const clen = this.len()
    const len = this.len()
    if (!Number.isFinite(clen) || !Number.isFinite(len)) throw new RdbError('LZF lengths too large')
    // An allocation Redis could not make (ztrymalloc failing) is refused the same way.
    if (len > 0x7fffffff) throw new RdbError('LZF string too long')
    this.need(clen)
    const c = this.data.subarray(this.pos, this.pos + clen)
    this.pos += clen
    // lzf_decompress of zero input bytes returns 0: fine only for an empty string.
    if (clen === 0) {
      if (len !== 0) throw new RdbError('Invalid LZF compressed string')
      return new Uint8Array(0)
    }
    const out = lzfDecompress(c, len)
    if (out === null || out.length !== len) throw new RdbError('Invalid LZF compressed string')
    return out
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(): number {
    this.need(8)
    const v = this.dv.getFloat64(this.pos, true)
    this.pos += 8
    return v
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET's text scores): 253 NaN, 254 +inf, 255 -inf, else len + text read with "%lg". */
  asciiDouble(): number {
    const len = this.byte()
    if (len === 255) return -Infinity
    if (len === 254) return Infinity
    if (len === 253) return NaN
    const raw = bytesToByteString(this.bytes(len))
    const v = scanfDouble(raw)
    if (v === null) throw new RdbError('bad double value')
    return v
  }

  /** rdbLoadMillisecondTime (RDB 9+: little endian). */
  millisecondTime(): bigint {
    this.need(8)
    const v = this.dv.getBigInt64(this.pos, true)
    this.pos += 8
    return v
  }
}

const C_SPACE = /[ \t\n\v\f\r]/
const prefixSyntax = newFloatSyntax()

/**
 * sscanf(buf, "%lg"): skips leading whitespace, converts the longest prefix
 * that is a number (glibc strtod grammar); null when there is none. The text
 * is a C string, so it ends at the first NUL.
 */
export function scanfDouble(raw: string): number | null {
  const nul = raw.indexOf('\0')
  let s = nul < 0 ? raw : raw.slice(0, nul)
  let i = 0
  while (i < s.length && C_SPACE.test(s[i])) i++
  s = s.slice(i)
  for (let n = s.length; n > 0; n--) {
    const sub = s.slice(0, n)
    if (scanFloatSyntax(sub, prefixSyntax).kind === 'none') continue
    const r = strtoFormat(sub, BINARY64)
    if (r.ok) return ldToNumber(r.value)
  }
  return null
}

// ---------------------------------------------------------------- saving

/** rdbSaveObjectType's type byte for a value. */
export function rdbObjectType(o: RObj): number {
  switch (o.type) {
    case 'string':
      return RDB_TYPE_STRING
    case 'list':
      return RDB_TYPE_LIST_QUICKLIST_2
    case 'set':
      return o.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET
    case 'zset':
      return o.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2
    case 'hash':
      return o.encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH
    default:
      throw new Error(`Unknown object type ${(o as { type: string }).type}`)
  }
}

/** rdbSaveStringObject for a string value. */
function saveStringObject(w: RdbWriter, o: StringObject, compression: boolean): void {
  if (o.encoding === 'int') w.longLongAsString(BigInt(o.value))
  else w.rawString(o.value, compression)
}

/** rdbSaveObject: the value part (after the type byte). */
export function rdbSaveObject(w: RdbWriter, o: RObj, compression: boolean): void {
  switch (o.type) {
    case 'string':
      saveStringObject(w, o, compression)
      return
    case 'list': {
      const ql = o.value
      w.len(ql.len)
      for (const node of ql.storedNodes()) {
        w.len(node.container)
        // A compressed node goes out as the LZF blob it already is.
        if (node.compressed) w.lzfBlob(node.data, node.sz)
        else w.rawString(node.data, compression)
      }
      return
    }
    case 'set':
      if (o.encoding === 'intset') {
        w.rawString(o.value.view(), compression)
      } else {
        w.len(o.value.size)
        o.value.forEach((_v, member) => w.rawString(member, compression))
      }
      return
    case 'zset':
      if (o.encoding === 'listpack') {
        w.rawString(o.value.view(), compression)
      } else {
        const zsl = o.value.zsl
        w.len(zsl.length)
        // Greatest to smallest, so that loading inserts at the head every time.
        for (let n = zsl.last(); n !== null; n = n.backward) {
          w.rawString(n.member, compression)
          w.binaryDouble(n.score)
        }
      }
      return
    case 'hash':
      if (o.encoding === 'listpack') {
        w.rawString(o.value.view(), compression)
      } else {
        w.len(o.value.size)
        o.value.forEach((value, field) => {
          w.rawString(field, compression)
          w.rawString(value, compression)
        })
      }
      return
    default:
      throw new Error(`Unknown object type ${(o as { type: string }).type}`)
  }
}

/** rdbSavedObjectLen: the value's serialized size (DEBUG OBJECT serializedlength). */
export function rdbSavedObjectLen(o: RObj, compression: boolean): number {
  const w = new RdbWriter(256)
  rdbSaveObject(w, o, compression)
  return w.length
}

/**
 * createDumpPayload: type byte, value, the RDB version (u16 LE) and the CRC-64
 * (LE) of everything before it.
 */
export function createDumpPayload(o: RObj, compression: boolean): Uint8Array {
  const w = new RdbWriter(64)
  w.byte(rdbObjectType(o))
  rdbSaveObject(w, o, compression)
  w.byte(RDB_VERSION & 0xff)
  w.byte((RDB_VERSION >> 8) & 0xff)
  const crc = new Crc64().update(w.view())
  w.bytes(crc.bytesLE())
  return w.toBytes()
}

/**
 * verifyDumpPayload: at least the 10-byte footer, an RDB version not newer
 * than ours, and (unless skipped) a matching CRC-64.
 */
export function verifyDumpPayload(p: Uint8Array, skipChecksum = false): boolean {
  const len = p.length
  if (len < 10) return false
  const footer = len - 10
  const rdbver = p[footer] | (p[footer + 1] << 8)
  if (rdbver > RDB_VERSION) return false
  if (skipChecksum) return true
  return new Crc64().update(p, 0, len - 8).matchesLE(p, len - 8)
}

// ---------------------------------------------------------------- loading

/** What loading needs: the server (config thresholds, hash seed, random for skiplists) and the validation depth. */
export interface RdbLoadContext {
  server: Server
  /** sanitize-dump-payload's deep validation of listpacks, intsets, ziplists ... */
  deep: boolean
}

/**
 * Whether a load runs with deep sanitization (rdbLoadObject's
 * deep_integrity_validation): 'yes' always; 'clients' for a RESTORE from a
 * normal client but not while loading a file.
 */
export function deepSanitization(server: Server, fromClient: boolean): boolean {
  const mode = server.config.str('sanitize-dump-payload')
  if (mode === 'yes') return true
  if (mode === 'clients') return fromClient && !server.isLoading()
  return false
}

/**
 * RESTORE's payload: verify the footer, then the type byte and the value.
 * Returns the object, or null for anything rdbLoadObject refuses ("Bad data
 * format"). Throws nothing.
 */
export function loadDumpPayload(payload: Uint8Array, ctx: RdbLoadContext): RObj | null {
  // The reader sees the whole buffer, footer included, as RESTORE's rio does.
  const r = new RdbReader(payload)
  try {
    const type = r.byte()
    if (!rdbIsObjectType(type)) return null
    return rdbLoadObject(type, r, ctx)
  } catch (e) {
    if (e instanceof RdbError) return null
    // Anything else comes from a structure refusing bytes that passed the shallow checks of
    // sanitize-dump-payload no (a corrupt listpack entry, say): where Redis would hit an
    // assertion and die, the engine refuses the payload instead.
    if (e instanceof Error) return null
    throw e
  }
}

// INFO's dump_payload_sanitizations (server.stat_dump_payload_sanitizations), per server.
const sanitizations = new WeakMap<object, number>()

/** How many blobs were deep-sanitized while loading (INFO stats dump_payload_sanitizations). */
export function dumpPayloadSanitizations(server: object): number {
  return sanitizations.get(server) ?? 0
}

function countSanitization(ctx: RdbLoadContext): void {
  if (ctx.deep) sanitizations.set(ctx.server, (sanitizations.get(ctx.server) ?? 0) + 1)
}

// Config lookups, read at load time like Redis's server.* fields.
const cfg = (ctx: RdbLoadContext, name: string): number => ctx.server.config.num(name)

/**
 * dictTryExpand before a bulk load (only beyond the initial 4 buckets). A count
 * the remaining bytes cannot hold (every element takes at least one byte) would
 * end in a short read anyway: refused before allocating a table for it.
 */
function presize(d: Dict<string, unknown>, n: number, r: RdbReader): void {
  if (n > DICT_HT_INITIAL_SIZE) {
    if (n > 2 ** 30) throw new RdbError(`OOM in dictTryExpand ${n}`)
    if (n > r.remaining) throw new RdbError('short read')
    d.expand(n)
  }
}

/** rdbLoadObject: loads a value of RDB type `type`. Throws RdbError (RdbEmptyKeyError for an empty collection). */
export function rdbLoadObject(type: number, r: RdbReader, ctx: RdbLoadContext): RObj {
  switch (type) {
    case RDB_TYPE_STRING: {
      const v = r.encodedString()
      if ('int' in v) return createStringObjectFromLongLongForValue(ctx.server, v.int)
      return tryObjectEncoding(ctx.server, v.str)
    }
    case RDB_TYPE_LIST:
      return loadLinkedList(r, ctx)
    case RDB_TYPE_SET:
      return loadSet(r, ctx)
    case RDB_TYPE_ZSET_2:
    case RDB_TYPE_ZSET:
      return loadZset(r, ctx, type === RDB_TYPE_ZSET_2)
    case RDB_TYPE_HASH:
      return loadHash(r, ctx)
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2:
      return loadQuicklist(r, ctx, type === RDB_TYPE_LIST_QUICKLIST_2)
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_LIST_ZIPLIST:
    case RDB_TYPE_SET_INTSET:
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK:
      return loadBlob(type, r.stringBytes(), ctx)
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      throw new RdbError('streams are not supported yet')
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2:
      r.len()
      throw new RdbError("The RDB file contains module data I can't load")
    default:
      throw new RdbError(`Unknown RDB encoding type ${type}`)
  }
}

/** RDB_TYPE_LIST: a count, then each element pushed at the tail. */
function loadLinkedList(r: RdbReader, ctx: RdbLoadContext): ListObject {
  const len = r.len()
  if (len === 0) throw new RdbEmptyKeyError()
  const o = createQuicklistObject(ctx.server)
  for (let i = 0; i < len; i++) o.value.pushTail(r.string())
  return o
}

/** RDB_TYPE_SET: an intset while the members are integers and few enough, else a hashtable. */
function loadSet(r: RdbReader, ctx: RdbLoadContext): SetObject {
  const len = r.len()
  if (len === 0) throw new RdbEmptyKeyError()
  let maxEntries = cfg(ctx, 'set-max-intset-entries')
  if (maxEntries >= 2 ** 30) maxEntries = 2 ** 30
  let o: SetObject
  if (len > maxEntries) {
    o = createSetObject(ctx.server)
    presize(o.value as Dict<string, null>, len, r)
  } else {
    o = createIntsetObject()
  }
  for (let i = 0; i < len; i++) {
    const member = r.string()
    if (o.encoding === 'intset') {
      const v = setMemberAsInt(member)
      if (v !== null) {
        if (!o.value.add(v)) throw new RdbError('Duplicate set members detected')
        continue
      }
      setTypeConvert(o, ctx.server)
      const d = (o as SetObject).value as Dict<string, null>
      if (len > 2 ** 30) throw new RdbError(`OOM in dictTryExpand ${len}`)
      if (len - i > r.remaining) throw new RdbError('short read')
      d.expand(len)
    }
    if (!(o.value as Dict<string, null>).add(member, null)) throw new RdbError('Duplicate set members detected')
  }
  return o
}

/** RDB_TYPE_ZSET_2 / RDB_TYPE_ZSET: count, then member and score pairs; small results become listpacks. */
function loadZset(r: RdbReader, ctx: RdbLoadContext, binary: boolean): ZsetObject {
  const len = r.len()
  if (len === 0) throw new RdbEmptyKeyError()
  const o = createZsetObject(ctx.server)
  const zs = o.value as { dict: Dict<string, number>; zsl: Skiplist }
  presize(zs.dict, len, r)
  let maxelelen = 0
  let totelelen = 0
  for (let i = 0; i < len; i++) {
    const member = r.string()
    const score = binary ? r.binaryDouble() : r.asciiDouble()
    if (Number.isNaN(score)) throw new RdbError('Zset with NAN score detected')
    if (member.length > maxelelen) maxelelen = member.length
    totelelen += member.length
    if (zs.dict.has(member)) throw new RdbError('Duplicate zset fields detected')
    zs.zsl.insert(score, member)
    zs.dict.add(member, score)
  }
  // Converted after loading, since the pairs are not stored in order.
  if (
    zsetLength(o) <= cfg(ctx, 'zset-max-listpack-entries') &&
    maxelelen <= cfg(ctx, 'zset-max-listpack-value') &&
    totelelen <= LISTPACK_MAX_SAFETY_SIZE
  ) {
    zsetConvert(o, ctx.server, 'listpack')
  }
  return o
}

/** RDB_TYPE_HASH: fields go into a listpack until a threshold is crossed, then into a hashtable. */
function loadHash(r: RdbReader, ctx: RdbLoadContext): HashObject {
  let len = r.len()
  if (len === 0) throw new RdbEmptyKeyError()
  const o = createHashObject()
  const maxValue = cfg(ctx, 'hash-max-listpack-value')
  let dupSearch: Set<string> | null = null
  if (len > cfg(ctx, 'hash-max-listpack-entries')) hashTypeConvert(o, ctx.server)
  else if (ctx.deep) dupSearch = new Set()

  while (o.encoding === 'listpack' && len > 0) {
    len--
    const field = r.string()
    const value = r.string()
    if (dupSearch !== null) {
      if (dupSearch.has(field)) throw new RdbError('Hash with dup elements')
      dupSearch.add(field)
    }
    const lp: Listpack = o.value
    if (field.length > maxValue || value.length > maxValue || !lp.safeToAdd(field.length + value.length)) {
      hashTypeConvert(o, ctx.server)
      if (!((o as HashObject).value as Dict<string, string>).add(field, value)) throw new RdbError('Duplicate hash fields detected')
      break
    }
    lp.append(field)
    lp.append(value)
  }
  if (o.encoding === 'hashtable') {
    const d = o.value as Dict<string, string>
    presize(d, len, r)
    while (len > 0) {
      len--
      const field = r.string()
      const value = r.string()
      if (!d.add(field, value)) throw new RdbError('Duplicate hash fields detected')
    }
  }
  return o
}

/** RDB_TYPE_LIST_QUICKLIST(_2): node count, then per node (container and) a listpack, ziplist or plain element. */
function loadQuicklist(r: RdbReader, ctx: RdbLoadContext, v2: boolean): ListObject {
  const len = r.len()
  if (len === 0) throw new RdbEmptyKeyError()
  const o = createQuicklistObject(ctx.server)
  const ql = o.value
  for (let i = 0; i < len; i++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED
    if (v2) {
      container = r.len()
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        throw new RdbError('Quicklist integrity check failed.')
      }
    }
    const data = r.stringBytes()
    if (data.length === 0) throw new RdbError('empty quicklist node')
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      ql.appendPlainNode(data)
      continue
    }
    let lp: Listpack
    if (v2) {
      countSanitization(ctx)
      if (!validateListpack(data, ctx.deep)) throw new RdbError('Listpack integrity check failed.')
      lp = Listpack.fromBytes(data, false)
    } else {
      const values: ListpackValue[] = []
      if (!validateZiplist(data, (v) => (values.push(v), true))) throw new RdbError('Ziplist integrity check failed.')
      lp = Listpack.fromEntries(values)
    }
    // Empty nodes are skipped; an all-empty list fails below.
    if (lp.length() === 0) continue
    ql.appendListpackObject(lp)
  }
  if (ql.count === 0) throw new RdbEmptyKeyError()
  return o
}

/** The types stored as one blob: listpacks, intsets, ziplists and zipmaps. */
function loadBlob(type: number, encoded: Uint8Array, ctx: RdbLoadContext): RObj {
  switch (type) {
    case RDB_TYPE_HASH_ZIPMAP: {
      const pairs: [string, string][] = []
      if (!validateZipmap(encoded, pairs)) throw new RdbError('Zipmap integrity check failed.')
      const o = createHashObject()
      const lp = o.value as Listpack
      const seen = new Set<string>()
      let maxlen = 0
      for (const [f, v] of pairs) {
        if (f.length > maxlen) maxlen = f.length
        if (v.length > maxlen) maxlen = v.length
        if (seen.has(f) || !lp.safeToAdd(f.length + v.length)) {
          throw new RdbError('Hash zipmap with dup elements, or big length')
        }
        seen.add(f)
        lp.append(f)
        lp.append(v)
      }
      if (hashTypeLength(o) > cfg(ctx, 'hash-max-listpack-entries') || maxlen > cfg(ctx, 'hash-max-listpack-value')) {
        hashTypeConvert(o, ctx.server)
      }
      return o
    }
    case RDB_TYPE_LIST_ZIPLIST: {
      const o = createQuicklistObject(ctx.server)
      const ok = validateZiplist(encoded, (v) => {
        o.value.pushTail(typeof v === 'string' ? v : v.toString())
        return true
      })
      if (!ok) throw new RdbError('List ziplist integrity check failed.')
      if (o.value.len === 0) throw new RdbEmptyKeyError()
      return o
    }
    case RDB_TYPE_SET_INTSET: {
      countSanitization(ctx)
      if (!validateIntset(encoded, ctx.deep)) throw new RdbError('Intset integrity check failed.')
      const o: SetObject = { type: 'set', encoding: 'intset', value: Intset.fromBytes(encoded, false), lru: 0 }
      if (setTypeSize(o) > cfg(ctx, 'set-max-intset-entries')) setTypeConvert(o, ctx.server)
      return o
    }
    case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_HASH_ZIPLIST: {
      const values = ziplistPairs(encoded)
      if (values === null) {
        throw new RdbError(type === RDB_TYPE_ZSET_ZIPLIST ? 'Zset ziplist integrity check failed.' : 'Hash ziplist integrity check failed.')
      }
      const lp = Listpack.fromEntries(values)
      if (type === RDB_TYPE_ZSET_ZIPLIST) {
        const o: ZsetObject = { type: 'zset', encoding: 'listpack', value: lp, lru: 0 }
        if (zsetLength(o) === 0) throw new RdbEmptyKeyError()
        if (zsetLength(o) > cfg(ctx, 'zset-max-listpack-entries')) zsetConvert(o, ctx.server, 'skiplist')
        return o
      }
      const o: HashObject = { type: 'hash', encoding: 'listpack', value: lp, lru: 0 }
      if (hashTypeLength(o) === 0) throw new RdbEmptyKeyError()
      if (hashTypeLength(o) > cfg(ctx, 'hash-max-listpack-entries')) hashTypeConvert(o, ctx.server)
      return o
    }
    case RDB_TYPE_ZSET_LISTPACK:
    case RDB_TYPE_HASH_LISTPACK: {
      const zset = type === RDB_TYPE_ZSET_LISTPACK
      countSanitization(ctx)
      if (!listpackPairsValid(encoded, ctx.deep)) {
        throw new RdbError(zset ? 'Zset listpack integrity check failed.' : 'Hash listpack integrity check failed.')
      }
      const lp = Listpack.fromBytes(encoded, false)
      if (zset) {
        const o: ZsetObject = { type: 'zset', encoding: 'listpack', value: lp, lru: 0 }
        if (zsetLength(o) === 0) throw new RdbEmptyKeyError()
        if (zsetLength(o) > cfg(ctx, 'zset-max-listpack-entries')) zsetConvert(o, ctx.server, 'skiplist')
        return o
      }
      const o: HashObject = { type: 'hash', encoding: 'listpack', value: lp, lru: 0 }
      if (hashTypeLength(o) === 0) throw new RdbEmptyKeyError()
      if (hashTypeLength(o) > cfg(ctx, 'hash-max-listpack-entries')) hashTypeConvert(o, ctx.server)
      return o
    }
    default:
      throw new RdbError(`Unknown RDB encoding type ${type}`)
  }
}

/**
 * lpPairsValidateIntegrityAndDups: shallow, the header only; deep, every
 * entry, an even count and no repeated field (even entries).
 */
function listpackPairsValid(bytes: Uint8Array, deep: boolean): boolean {
  if (!deep) return validateListpack(bytes, false)
  if (!validateListpack(bytes, true)) return false
  const lp = Listpack.fromBytes(bytes, false)
  const seen = new Set<string>()
  let count = 0
  for (let p = lp.first(); p !== null; p = lp.next(p)) {
    if ((count & 1) === 0) {
      const f = lp.getString(p)
      if (seen.has(f)) return false
      seen.add(f)
    }
    count++
  }
  return (count & 1) === 0
}

// ---------------------------------------------------------------- ziplist (load only)

const ZIPLIST_HEADER_SIZE = 10
const ZIP_END = 0xff
const ZIP_BIG_PREVLEN = 0xfe
const ZIP_STR_MASK = 0xc0
const ZIP_STR_06B = 0x00
const ZIP_STR_14B = 0x40
const ZIP_STR_32B = 0x80
const ZIP_INT_16B = 0xc0
const ZIP_INT_32B = 0xd0
const ZIP_INT_64B = 0xe0
const ZIP_INT_24B = 0xf0
const ZIP_INT_8B = 0xfe
const ZIP_INT_IMM_MIN = 0xf1
const ZIP_INT_IMM_MAX = 0xfd

const u32le = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0

/** zipEncodingLenSize: bytes of the encoding header, or 0 when the encoding byte is invalid. */
function zipEncodingLenSize(enc: number): number {
  if (
    enc === ZIP_INT_16B ||
    enc === ZIP_INT_32B ||
    enc === ZIP_INT_64B ||
    enc === ZIP_INT_24B ||
    enc === ZIP_INT_8B ||
    (enc >= ZIP_INT_IMM_MIN && enc <= ZIP_INT_IMM_MAX)
  ) {
    return 1
  }
  if (enc === ZIP_STR_06B) return 1
  if (enc === ZIP_STR_14B) return 2
  if (enc === ZIP_STR_32B) return 5
  return 0
}

/** zipIntSize. */
function zipIntSize(enc: number): number {
  switch (enc) {
    case ZIP_INT_8B:
      return 1
    case ZIP_INT_16B:
      return 2
    case ZIP_INT_24B:
      return 3
    case ZIP_INT_32B:
      return 4
    case ZIP_INT_64B:
      return 8
    default:
      return 0 // 4-bit immediates
  }
}

/**
 * ziplistValidateIntegrity with deep = 1 (every caller in rdb.c asks for it):
 * header, terminator and tail offset, then each entry's headers, bounds and
 * prevlen chain, the tail pointer and the count. `cb` sees each entry's value
 * (a byte string, or a bigint for integer entries) and may veto it.
 */
export function validateZiplist(zl: Uint8Array, cb: (v: string | bigint) => boolean): boolean {
  const size = zl.length
  if (size < ZIPLIST_HEADER_SIZE + 1) return false
  if (u32le(zl, 0) !== size) return false
  if (zl[size - 1] !== ZIP_END) return false
  const tail = u32le(zl, 4)
  if (tail > size - 1) return false
  const headerCount = zl[8] | (zl[9] << 8)
  const first = ZIPLIST_HEADER_SIZE
  const last = size - 1
  const outOfRange = (q: number): boolean => q < first || q > last
  let count = 0
  let p = first
  let prev = -1
  let prevRawSize = 0
  while (zl[p] !== ZIP_END) {
    if (outOfRange(p)) return false
    // prevlen
    const prevLenSize = zl[p] < ZIP_BIG_PREVLEN ? 1 : 5
    if (outOfRange(p + prevLenSize)) return false
    let enc = zl[p + prevLenSize]
    if (enc < ZIP_STR_MASK) enc &= ZIP_STR_MASK
    const lenSize = zipEncodingLenSize(enc)
    if (lenSize === 0) return false
    if (outOfRange(p + prevLenSize + lenSize)) return false
    const prevRawLen = prevLenSize === 1 ? zl[p] : u32le(zl, p + 1)
    const h = p + prevLenSize
    let len: number
    if (enc === ZIP_STR_06B) len = zl[h] & 0x3f
    else if (enc === ZIP_STR_14B) len = ((zl[h] & 0x3f) << 8) | zl[h + 1]
    else if (enc === ZIP_STR_32B) len = ((zl[h + 1] << 24) | (zl[h + 2] << 16) | (zl[h + 3] << 8) | zl[h + 4]) >>> 0
    else len = zipIntSize(enc)
    const headerSize = prevLenSize + lenSize
    if (outOfRange(p + headerSize + len)) return false
    if (outOfRange(p - prevRawLen)) return false
    if (prevRawLen !== prevRawSize) return false
    // The value.
    const d = p + headerSize
    let v: string | bigint
    if (enc === ZIP_STR_06B || enc === ZIP_STR_14B || enc === ZIP_STR_32B) {
      v = bytesToByteString(zl.subarray(d, d + len))
    } else {
      const dv = new DataView(zl.buffer, zl.byteOffset, zl.byteLength)
      switch (enc) {
        case ZIP_INT_8B:
          v = BigInt(dv.getInt8(d))
          break
        case ZIP_INT_16B:
          v = BigInt(dv.getInt16(d, true))
          break
        case ZIP_INT_24B:
          v = BigInt((zl[d] | (zl[d + 1] << 8) | (zl[d + 2] << 16)) << 8 >> 8)
          break
        case ZIP_INT_32B:
          v = BigInt(dv.getInt32(d, true))
          break
        case ZIP_INT_64B:
          v = dv.getBigInt64(d, true)
          break
        default:
          v = BigInt((enc & 0x0f) - 1)
      }
    }
    if (!cb(v)) return false
    prevRawSize = headerSize + len
    prev = p
    p += headerSize + len
    count++
  }
  if (p !== size - 1) return false
  if (prev !== -1 && prev !== tail) return false
  if (headerCount !== 0xffff && count !== headerCount) return false
  return true
}

/**
 * ziplistPairsConvertAndValidateIntegrity: a ziplist of field/value (or
 * member/score) pairs as listpack values; null when invalid, when a field
 * repeats or when the count is odd.
 */
function ziplistPairs(zl: Uint8Array): ListpackValue[] | null {
  const out: ListpackValue[] = []
  const fields = new Set<string>()
  const ok = validateZiplist(zl, (v) => {
    if ((out.length & 1) === 0) {
      const f = typeof v === 'string' ? v : v.toString()
      if (fields.has(f)) return false
      fields.add(f)
    }
    out.push(v)
    return true
  })
  if (!ok || (out.length & 1) !== 0) return null
  return out
}

// ---------------------------------------------------------------- zipmap (load only)

const ZIPMAP_BIGLEN = 254
const ZIPMAP_END = 255

/**
 * zipmapValidateIntegrity (deep) and the pairs it holds: a count byte, then
 * field length, field, value length, a free-space byte, value and free space.
 */
export function validateZipmap(zm: Uint8Array, pairs: [string, string][]): boolean {
  const size = zm.length
  if (size < 2) return false
  if (zm[size - 1] !== ZIPMAP_END) return false
  const outOfRange = (q: number): boolean => q < 2 || q > size - 1
  const lenSize = (q: number): number => (zm[q] < ZIPMAP_BIGLEN ? 1 : 5)
  const decodeLen = (q: number): number => (zm[q] < ZIPMAP_BIGLEN ? zm[q] : u32le(zm, q + 1))
  let p = 1
  let count = 0
  while (zm[p] !== ZIPMAP_END) {
    let s = lenSize(p)
    if (outOfRange(p + s)) return false
    let l = decodeLen(p)
    p += s
    const field = p
    const flen = l
    p += l
    if (outOfRange(p)) return false
    s = lenSize(p)
    if (outOfRange(p + s)) return false
    l = decodeLen(p)
    p += s
    const free = zm[p++]
    const value = p
    p += l + free
    count++
    if (outOfRange(p)) return false
    pairs.push([bytesToByteString(zm.subarray(field, field + flen)), bytesToByteString(zm.subarray(value, value + l))])
  }
  if (count === 0) return false
  if (zm[0] !== ZIPMAP_BIGLEN && zm[0] !== count) return false
  return true
}

// ---------------------------------------------------------------- DEBUG OBJECT

// serializedlength from the real serializer, for every collection type.
for (const t of ['list', 'set', 'zset', 'hash'] as const) {
  registerSerializedLength(t, (o, compression) => rdbSavedObjectLen(o, compression))
}
