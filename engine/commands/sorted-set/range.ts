// ZRANGE, ZRANGESTORE, ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX: one parser
// and one dispatcher (t_zset.c zrangeGenericCommand); the walks live in the type.

import { EMPTY_ARRAY, error, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { isReply, parseLongLong } from '../args.ts'
import { optEq } from '../generic/cstr.ts'
import {
  clampRankRange,
  parseZsetLexRange,
  parseZsetScoreRange,
  zsetLength,
  zsetRangeByLex,
  zsetRangeByRank,
  zsetRangeByScore,
  type ZEntry,
} from '../../types/zset.ts'
import { entriesReply, errNotFloatRange, errNotLexRange, isZset, readZset, siteOf, storeRangeResult } from './common.ts'

type RangeType = 'auto' | 'rank' | 'score' | 'lex'
type Direction = 'auto' | 'forward' | 'reverse'

const errLimitRank = error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX')
const errWithscoresLex = error('ERR syntax error, WITHSCORES not supported in combination with BYLEX')

/** A LIMIT argument as the C long it is, saturated into a JS number (only its sign and small values matter). */
function limitNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : v < -1n ? -1 : Number(v)
}

function zrangeGeneric(
  c: Client,
  argv: string[],
  argcStart: number,
  store: boolean,
  rangetype: RangeType,
  direction: Direction,
): Reply {
  const key = argv[argcStart]
  let minidx = argcStart + 1
  let maxidx = argcStart + 2
  let withscores = false
  let offset = 0n
  let limit = -1n
  for (let j = argcStart + 3; j < argv.length; j++) {
    const leftargs = argv.length - j - 1
    const a = argv[j]
    if (!store && optEq(a, 'withscores')) {
      withscores = true
    } else if (optEq(a, 'limit') && leftargs >= 2) {
      const o = parseLongLong(argv[j + 1])
      if (isReply(o)) return o
      const l = parseLongLong(argv[j + 2])
      if (isReply(l)) return l
      offset = o
      limit = l
      j += 2
    } else if (direction === 'auto' && optEq(a, 'rev')) {
      direction = 'reverse'
    } else if (rangetype === 'auto' && optEq(a, 'bylex')) {
      rangetype = 'lex'
    } else if (rangetype === 'auto' && optEq(a, 'byscore')) {
      rangetype = 'score'
    } else {
      return E.syntax
    }
  }
  if (direction === 'auto') direction = 'forward'
  if (rangetype === 'auto') rangetype = 'rank'
  if (limit !== -1n && rangetype === 'rank') return errLimitRank
  if (withscores && rangetype === 'lex') return errWithscoresLex
  const reverse = direction === 'reverse'
  if (reverse && rangetype !== 'rank') {
    // The range is given as max, min.
    ;[minidx, maxidx] = [maxidx, minidx]
  }
  let rankStart = 0n
  let rankEnd = 0n
  let scoreRange = null
  let lexRange = null
  if (rangetype === 'rank') {
    const s = parseLongLong(argv[minidx])
    if (isReply(s)) return s
    const e = parseLongLong(argv[maxidx])
    if (isReply(e)) return e
    rankStart = s
    rankEnd = e
  } else if (rangetype === 'score') {
    scoreRange = parseZsetScoreRange(argv[minidx], argv[maxidx])
    if (scoreRange === null) return errNotFloatRange
  } else {
    lexRange = parseZsetLexRange(argv[minidx], argv[maxidx])
    if (lexRange === null) return errNotLexRange
  }
  const dst = argv[1]
  const zobj = readZset(c, key)
  if (zobj === undefined) return store ? storeRangeResult(c, dst, [], -1) : EMPTY_ARRAY
  if (!isZset(zobj)) return zobj
  const server = c.server
  const site = siteOf(c, key)
  let entries: ZEntry[]
  let knownLength = -1
  if (rangetype === 'rank') {
    const r = clampRankRange(rankStart, rankEnd, zsetLength(zobj))
    if (r === null) {
      entries = []
      knownLength = 0
    } else {
      entries = zsetRangeByRank(zobj, r.start, r.end, reverse, server, site)
      knownLength = r.end - r.start + 1
    }
  } else if (rangetype === 'score') {
    entries = zsetRangeByScore(zobj, scoreRange!, limitNumber(offset), limitNumber(limit), reverse, server, site)
  } else {
    entries = zsetRangeByLex(zobj, lexRange!, limitNumber(offset), limitNumber(limit), reverse, server, site)
  }
  if (store) return storeRangeResult(c, dst, entries, knownLength)
  return entriesReply(c, entries, withscores)
}

export const zrange: CommandImpl = { name: 'zrange', run: (c, argv) => zrangeGeneric(c, argv, 1, false, 'auto', 'auto') }
export const zrangestore: CommandImpl = { name: 'zrangestore', run: (c, argv) => zrangeGeneric(c, argv, 2, true, 'auto', 'auto') }
export const zrevrange: CommandImpl = { name: 'zrevrange', run: (c, argv) => zrangeGeneric(c, argv, 1, false, 'rank', 'reverse') }
export const zrangebyscore: CommandImpl = { name: 'zrangebyscore', run: (c, argv) => zrangeGeneric(c, argv, 1, false, 'score', 'forward') }
export const zrevrangebyscore: CommandImpl = {
  name: 'zrevrangebyscore',
  run: (c, argv) => zrangeGeneric(c, argv, 1, false, 'score', 'reverse'),
}
export const zrangebylex: CommandImpl = { name: 'zrangebylex', run: (c, argv) => zrangeGeneric(c, argv, 1, false, 'lex', 'forward') }
export const zrevrangebylex: CommandImpl = { name: 'zrevrangebylex', run: (c, argv) => zrangeGeneric(c, argv, 1, false, 'lex', 'reverse') }
