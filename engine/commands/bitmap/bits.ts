// Bit-level helpers over byte strings shared by the bitmap commands (Redis's
// bitops.c): argument parsing with Redis's exact errors, popcount, bit search,
// big-endian bitfield access and the BITFIELD overflow rules.
//
// Bit numbering is Redis's: bit 0 is the most significant bit of byte 0.

import { error, type Reply } from '../../protocol/reply.ts'
import { byteString } from '../../protocol/decoder.ts'
import type { Client } from '../../server/client.ts'
import { string2ll } from '../../structures/numbers.ts'

export const ERR_BIT_OFFSET = error('ERR bit offset is not an integer or out of range')
export const ERR_BIT_VALUE = error('ERR bit is not an integer or out of range')
export const ERR_BITFIELD_TYPE = error('ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.')

/**
 * Case-insensitive keyword test with C string semantics (strcasecmp on the
 * argument's NUL-terminated text): "bit\0x" matches "bit". `lower` is lowercase.
 */
export function cKeyword(arg: string, lower: string): boolean {
  const n = lower.length
  if (arg.length < n || (arg.length > n && arg.charCodeAt(n) !== 0)) return false
  for (let i = 0; i < n; i++) {
    const c = arg.charCodeAt(i)
    const lc = c >= 65 && c <= 90 ? c | 32 : c
    if (lc !== lower.charCodeAt(i)) return false
  }
  return true
}

/**
 * getBitOffsetFromArgument: a bit offset >= 0 whose byte lies below
 * proto-max-bulk-len. With `bits` > 0 (BITFIELD) "#N" means N * bits; the
 * product wraps like Redis's int64 multiplication does.
 */
export function parseBitOffset(c: Client, arg: string, bits = 0): number | Reply {
  const usehash = bits > 0 && arg.charCodeAt(0) === 35 /* '#' */
  let v = string2ll(usehash ? arg.slice(1) : arg)
  if (v === null) return ERR_BIT_OFFSET
  if (usehash) v = BigInt.asIntN(64, v * BigInt(bits))
  if (v < 0n || v >> 3n >= BigInt(c.server.config.num('proto-max-bulk-len'))) return ERR_BIT_OFFSET
  return Number(v)
}

export interface BitfieldType {
  signed: boolean
  bits: number
}

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the width is read as a C string, up to a NUL). */
export function parseBitfieldType(arg: string): BitfieldType | Reply {
  const first = arg.charCodeAt(0)
  let signed: boolean
  if (first === 105 /* i */) signed = true
  else if (first === 117 /* u */) signed = false
  else return ERR_BITFIELD_TYPE
  const nul = arg.indexOf('\0', 1)
  const n = string2ll(nul < 0 ? arg.slice(1) : arg.slice(1, nul))
  if (n === null || n < 1n || n > (signed ? 64n : 63n)) return ERR_BITFIELD_TYPE
  return { signed, bits: Number(n) }
}

// ---------------------------------------------------------------- counting and searching

const POPCOUNT = new Uint8Array(256)
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]

/** redisPopcount over bytes [from, to) of s. */
export function popcount(s: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) n += POPCOUNT[s.charCodeAt(i)]
  return n
}

/** Number of set bits in one byte. */
export function popcountByte(b: number): number {
  return POPCOUNT[b & 255]
}

/**
 * First bit equal to `bit` among bits [first, last] (absolute bit positions,
 * inclusive), or -1. Bytes past the end of `s` read as zero.
 */
export function findBit(s: string, bit: 0 | 1, first: number, last: number): number {
  if (first > last) return -1
  const skip = bit === 1 ? 0 : 255 // a byte with no candidate
  let pos = first
  while (pos <= last) {
    const byteIndex = pos >> 3
    const b = byteIndex < s.length ? s.charCodeAt(byteIndex) : 0
    // Whole byte inside the range and nothing to find in it: skip it at once.
    if ((pos & 7) === 0 && pos + 7 <= last && b === skip) {
      pos += 8
      continue
    }
    if (((b >> (7 - (pos & 7))) & 1) === bit) return pos
    pos++
  }
  return -1
}

// ---------------------------------------------------------------- bitfields

/** The 9 bytes from byte index `at` as a 72-bit big-endian integer (missing bytes are zero). */
function window9(s: string, at: number): bigint {
  let v = 0n
  for (let i = 0; i < 9; i++) {
    const j = at + i
    v = (v << 8n) | BigInt(j < s.length ? s.charCodeAt(j) : 0)
  }
  return v
}

/** getUnsignedBitfield: `bits` (1..64) bits from bit `offset`, big-endian; bytes past the end read as zero. */
export function getUnsignedBitfield(s: string, offset: number, bits: number): bigint {
  const at = Math.floor(offset / 8)
  const shift = BigInt(72 - (offset - at * 8) - bits)
  return (window9(s, at) >> shift) & ((1n << BigInt(bits)) - 1n)
}

/** getSignedBitfield: the same bits read as two's complement. */
export function getSignedBitfield(s: string, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedBitfield(s, offset, bits))
}

/**
 * setUnsignedBitfield: s with the low `bits` bits of `value` stored at bit
 * `offset`. The caller has grown s to hold the last bit.
 */
export function setBitfield(s: string, offset: number, bits: number, value: bigint): string {
  const at = Math.floor(offset / 8)
  const shift = BigInt(72 - (offset - at * 8) - bits)
  const mask = ((1n << BigInt(bits)) - 1n) << shift
  const w = (window9(s, at) & ~mask) | ((BigInt.asUintN(bits, value) << shift) & mask)
  const lastByte = Math.floor((offset + bits - 1) / 8)
  let mid = ''
  for (let j = at; j <= lastByte; j++) mid += String.fromCharCode(Number((w >> BigInt((8 - (j - at)) * 8)) & 255n))
  return s.slice(0, at) + mid + s.slice(lastByte + 1)
}

export const OVERFLOW_WRAP = 0
export const OVERFLOW_SAT = 1
export const OVERFLOW_FAIL = 2
export type OverflowType = typeof OVERFLOW_WRAP | typeof OVERFLOW_SAT | typeof OVERFLOW_FAIL

export interface OverflowResult {
  /** 0: fits; 1: overflow upwards; -1: downwards. */
  overflow: -1 | 0 | 1
  /** The value to store on overflow (WRAP, SAT); undefined for FAIL or no overflow. */
  limit?: bigint
}

const I64 = (v: bigint): bigint => BigInt.asIntN(64, v)
const U64 = (v: bigint): bigint => BigInt.asUintN(64, v)
const INT64_MAX = (1n << 63n) - 1n

/**
 * checkUnsignedBitfieldOverflow, with C's uint64/int64 arithmetic. `value` is
 * the current (or, for SET, the new) field value as uint64, `incr` an int64.
 */
export function checkUnsignedOverflow(value: bigint, incr: bigint, bits: number, ow: OverflowType): OverflowResult {
  const max = bits === 64 ? U64(-1n) : (1n << BigInt(bits)) - 1n
  const maxincr = I64(max - value)
  const minincr = I64(-value)
  const wrap = (): bigint => BigInt.asUintN(bits, value + incr)
  if (value > max || (incr > 0n && incr > maxincr)) {
    return { overflow: 1, limit: ow === OVERFLOW_WRAP ? wrap() : ow === OVERFLOW_SAT ? max : undefined }
  }
  if (incr < 0n && incr < minincr) {
    return { overflow: -1, limit: ow === OVERFLOW_WRAP ? wrap() : ow === OVERFLOW_SAT ? 0n : undefined }
  }
  return { overflow: 0 }
}

/** checkSignedBitfieldOverflow, with C's wrapping int64 arithmetic (maxincr/minincr may wrap as in Redis). */
export function checkSignedOverflow(value: bigint, incr: bigint, bits: number, ow: OverflowType): OverflowResult {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n
  const min = -max - 1n
  const maxincr = I64(max - value)
  const minincr = I64(min - value)
  const wrap = (): bigint => BigInt.asIntN(bits, value + incr)
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return { overflow: 1, limit: ow === OVERFLOW_WRAP ? wrap() : ow === OVERFLOW_SAT ? max : undefined }
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return { overflow: -1, limit: ow === OVERFLOW_WRAP ? wrap() : ow === OVERFLOW_SAT ? min : undefined }
  }
  return { overflow: 0 }
}

/** A byte string from bytes (the protocol decoder's converter, the fastest one for megabytes). */
export function bytesToString(b: Uint8Array): string {
  return byteString(b, 0, b.length)
}
