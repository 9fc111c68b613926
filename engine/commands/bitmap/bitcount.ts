// BITCOUNT and BITPOS (bitops.c bitcountCommand, bitposCommand, 7.0 semantics:
// a missing key answers before the range arguments are even parsed).

import { ZERO, error, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { string2ll } from '../../structures/numbers.ts'
import { cKeyword, findBit, popcount, popcountByte } from './bits.ts'

const MINUS_ONE = integer(-1)
const ERR_BIT_ARG = error('ERR The bit argument must be 1 or 0.')

/** BYTE / BIT unit keyword: true for BIT, false for BYTE, or the syntax error. */
function parseUnit(arg: string): boolean | Reply {
  if (cKeyword(arg, 'bit')) return true
  if (cKeyword(arg, 'byte')) return false
  return E.syntax
}

/** Negative indexes counted from the end, then clamped into [0, total - 1] (end) / [0, ...) (start). */
function normalise(start: bigint, end: bigint, total: bigint): [bigint, bigint] {
  if (start < 0n) start += total
  if (end < 0n) end += total
  if (start < 0n) start = 0n
  if (end < 0n) end = 0n
  if (end >= total) end = total - 1n
  return [start, end]
}

// BITCOUNT key [start end [BYTE|BIT]]
export const bitcount: CommandImpl = {
  name: 'bitcount',
  run: (c, argv) => {
    const o = c.db.lookupRead(argv[1])
    if (o === undefined) return ZERO
    if (o.type !== 'string') return E.wrongType
    const s = o.value
    const len = s.length
    if (argv.length === 2) return integer(popcount(s, 0, len))
    if (argv.length !== 4 && argv.length !== 5) return E.syntax

    let start = string2ll(argv[2])
    if (start === null) return E.notInteger
    let end = string2ll(argv[3])
    if (end === null) return E.notInteger
    // 7.0 answers an inverted all-negative range before it even reads the unit.
    if (start < 0n && end < 0n && start > end) return ZERO
    let isBit = false
    if (argv.length === 5) {
      const u = parseUnit(argv[4])
      if (typeof u !== 'boolean') return u
      isBit = u
    }
    const total = BigInt(isBit ? len * 8 : len)
    ;[start, end] = normalise(start, end, total)
    if (start > end) return ZERO
    const from = Number(start)
    const to = Number(end)
    if (!isBit) return integer(popcount(s, from, to + 1))
    // Whole bytes, minus the bits of the edge bytes that lie outside the range.
    const fb = Math.floor(from / 8)
    const lb = Math.floor(to / 8)
    let n = popcount(s, fb, lb + 1)
    n -= popcountByte(s.charCodeAt(fb) & ~((1 << (8 - (from & 7))) - 1))
    n -= popcountByte(s.charCodeAt(lb) & ((1 << (7 - (to & 7))) - 1))
    return integer(n)
  },
}

// BITPOS key bit [start [end [BYTE|BIT]]]
export const bitpos: CommandImpl = {
  name: 'bitpos',
  run: (c, argv) => {
    const bitArg = string2ll(argv[2])
    if (bitArg === null) return E.notInteger
    if (bitArg !== 0n && bitArg !== 1n) return ERR_BIT_ARG
    const bit = bitArg === 1n ? 1 : 0
    // A missing key is an endless run of zeros.
    const o = c.db.lookupRead(argv[1])
    if (o === undefined) return bit ? MINUS_ONE : ZERO
    if (o.type !== 'string') return E.wrongType
    const s = o.value
    const len = s.length

    let first: number
    let last: number
    let endGiven = false
    if (argv.length === 3) {
      first = 0
      last = len * 8 - 1
    } else if (argv.length <= 6) {
      let start = string2ll(argv[3])
      if (start === null) return E.notInteger
      let isBit = false
      if (argv.length === 6) {
        const u = parseUnit(argv[5])
        if (typeof u !== 'boolean') return u
        isBit = u
      }
      let end: bigint
      if (argv.length >= 5) {
        const e = string2ll(argv[4])
        if (e === null) return E.notInteger
        end = e
        endGiven = true
      } else {
        end = isBit ? BigInt(len * 8 + 7) : BigInt(len - 1)
      }
      // No "both negative and start > end" shortcut here, unlike BITCOUNT (as in 7.0).
      ;[start, end] = normalise(start, end, BigInt(isBit ? len * 8 : len))
      if (start > end) return MINUS_ONE
      first = isBit ? Number(start) : Number(start) * 8
      last = isBit ? Number(end) : Number(end) * 8 + 7
    } else {
      return E.syntax
    }
    if (first > last) return MINUS_ONE

    const pos = findBit(s, bit, first, last)
    if (pos >= 0) return integer(pos)
    if (bit === 1) return MINUS_ONE
    // No clear bit in range: with an explicit end that is -1; otherwise the
    // string counts as padded with zeros, so the answer is the first bit after
    // the range's last byte.
    if (endGiven) return MINUS_ONE
    return integer((Math.floor(last / 8) + 1) * 8)
  },
}
