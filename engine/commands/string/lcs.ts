// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
// (t_string.c lcsCommand): the longest common subsequence of two strings by
// the textbook dynamic-programming table, walked back from the end to collect
// the matching ranges, with Redis's tie-breaking so the ranges are the same.

import { array, bulk, error, integer, map, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { NEEDS_BIGINT, string2llNumber } from '../../structures/numbers.ts'
import { isKeyword } from './options.ts'

const errNotStrings = error('ERR The specified keys must contain string values')
const errLenAndIdx = error('ERR If you want both the length and indexes, please just use IDX.')
const errTooLong = error('ERR String too long for LCS')
const errTooMuchMemory = error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len')
const errNoMemory = error('ERR Insufficient memory, failed allocating transient memory for LCS')

const UINT32_MAX = 4294967295
const MATCHES = bulk('matches')
const LEN = bulk('len')

/** LCS length only: two rows of the table are enough. */
function lcsLength(a: string, b: string): number {
  const blen = b.length
  let prev = new Uint32Array(blen + 1)
  let cur = new Uint32Array(blen + 1)
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) cur[j] = prev[j - 1] + 1
      else cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1]
    }
    const t = prev
    prev = cur
    cur = t
  }
  return prev[blen]
}

export const lcs: CommandImpl = {
  name: 'lcs',
  run: (c, argv) => {
    const db = c.db
    // Both keys are read (and their types checked) before the options are parsed.
    const oa = db.lookupRead(argv[1])
    const ob = db.lookupRead(argv[2])
    if ((oa !== undefined && oa.type !== 'string') || (ob !== undefined && ob.type !== 'string')) return errNotStrings
    const a = oa === undefined ? '' : oa.value
    const b = ob === undefined ? '' : ob.value

    let getlen = false
    let getidx = false
    let withmatchlen = false
    let minmatchlen = 0
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j]
      const moreargs = argv.length - 1 - j
      if (isKeyword(opt, 'idx')) {
        getidx = true
      } else if (isKeyword(opt, 'len')) {
        getlen = true
      } else if (isKeyword(opt, 'withmatchlen')) {
        withmatchlen = true
      } else if (isKeyword(opt, 'minmatchlen') && moreargs > 0) {
        const v = string2llNumber(argv[j + 1])
        if (v === null) return E.notInteger
        // Only compared with match lengths (< 2^32): huge values act alike.
        const n = v === NEEDS_BIGINT ? Number(BigInt(argv[j + 1])) : v
        minmatchlen = n < 0 ? 0 : n
        j++
      } else {
        return E.syntax
      }
    }
    if (getlen && getidx) return errLenAndIdx

    const alen = a.length
    const blen = b.length
    if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1) return errTooLong
    // Redis allocates the whole (alen+1) x (blen+1) table of uint32 and refuses
    // it beyond proto-max-bulk-len, even when only the length is asked for.
    const cells = (alen + 1) * (blen + 1)
    if (cells * 4 > c.server.config.num('proto-max-bulk-len')) return errTooMuchMemory

    if (getlen) return integer(lcsLength(a, b))

    let table: Uint32Array
    try {
      table = new Uint32Array(cells)
    } catch {
      return errNoMemory
    }
    const w = blen + 1
    for (let i = 1; i <= alen; i++) {
      const ca = a.charCodeAt(i - 1)
      const row = i * w
      const up = row - w
      for (let j = 1; j <= blen; j++) {
        if (ca === b.charCodeAt(j - 1)) {
          table[row + j] = table[up + j - 1] + 1
        } else {
          const l1 = table[up + j]
          const l2 = table[row + j - 1]
          table[row + j] = l1 > l2 ? l1 : l2
        }
      }
    }

    const total = table[alen * w + blen]
    let idx = total
    // The common subsequence is built backwards, one byte per match.
    const result: number[] = getidx ? [] : new Array<number>(total)
    const matches: Reply[] = []
    // arangeStart === alen means "no range open".
    let arangeStart = alen
    let arangeEnd = 0
    let brangeStart = 0
    let brangeEnd = 0
    let i = alen
    let j = blen
    while (i > 0 && j > 0) {
      let emit = false
      const ca = a.charCodeAt(i - 1)
      if (ca === b.charCodeAt(j - 1)) {
        if (!getidx) result[idx - 1] = ca
        if (arangeStart === alen) {
          arangeStart = i - 1
          arangeEnd = i - 1
          brangeStart = j - 1
          brangeEnd = j - 1
        } else if (arangeStart === i && brangeStart === j) {
          // Contiguous with the open range: extend it backwards.
          arangeStart--
          brangeStart--
        } else {
          emit = true
        }
        // A range touching the start of either string ends the walk: emit it now.
        if (arangeStart === 0 || brangeStart === 0) emit = true
        idx--
        i--
        j--
      } else {
        const l1 = table[(i - 1) * w + j]
        const l2 = table[i * w + j - 1]
        if (l1 > l2) i--
        else j--
        if (arangeStart !== alen) emit = true
      }
      if (emit) {
        // uint32 arithmetic, as in Redis.
        const matchLen = (arangeEnd - arangeStart + 1) >>> 0
        if (getidx && (minmatchlen === 0 || matchLen >= minmatchlen)) {
          const item: Reply[] = [
            array([integer(arangeStart), integer(arangeEnd)]),
            array([integer(brangeStart), integer(brangeEnd)]),
          ]
          if (withmatchlen) item.push(integer(matchLen))
          matches.push(array(item))
        }
        arangeStart = alen
      }
    }

    if (getidx) return map([MATCHES, array(matches), LEN, integer(total)])
    let s = ''
    for (let k = 0; k < total; k += 8192) {
      s += String.fromCharCode(...result.slice(k, Math.min(total, k + 8192)))
    }
    return bulk(s)
  },
}
