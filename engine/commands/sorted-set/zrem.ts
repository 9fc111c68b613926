// ZREM and ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX
// (t_zset.c zremCommand, zremrangeGenericCommand).

import { ZERO, integer, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { isReply, parseLongLong } from '../args.ts'
import {
  clampRankRange,
  parseZsetLexRange,
  parseZsetScoreRange,
  zsetDel,
  zsetDeleteRangeByLex,
  zsetDeleteRangeByRank,
  zsetDeleteRangeByScore,
  zsetLength,
} from '../../types/zset.ts'
import type { LexRange, ScoreRange } from '../../structures/skiplist.ts'
import { errNotFloatRange, errNotLexRange, isZset, writeZset } from './common.ts'

export const zrem: CommandImpl = {
  name: 'zrem',
  run: (c, argv) => {
    const server = c.server
    const db = c.db
    const key = argv[1]
    const zobj = writeZset(c, key)
    if (zobj === undefined) return ZERO
    if (!isZset(zobj)) return zobj
    let deleted = 0
    let keyremoved = false
    for (let j = 2; j < argv.length; j++) {
      if (zsetDel(zobj, argv[j])) deleted++
      if (zsetLength(zobj) === 0) {
        db.delete(key)
        keyremoved = true
        break
      }
    }
    if (deleted) {
      server.notify('z', 'zrem', key, db.id)
      if (keyremoved) server.notify('g', 'del', key, db.id)
      server.signalModifiedKey(db, key)
      server.dirty += deleted
    }
    return integer(deleted)
  },
}

type RemRange = { kind: 'rank'; start: bigint; end: bigint } | { kind: 'score'; range: ScoreRange } | { kind: 'lex'; range: LexRange }

function zremrangeGeneric(c: Client, argv: string[], kind: RemRange['kind']): Reply {
  const server = c.server
  const db = c.db
  const key = argv[1]
  let spec: RemRange
  if (kind === 'rank') {
    const start = parseLongLong(argv[2])
    if (isReply(start)) return start
    const end = parseLongLong(argv[3])
    if (isReply(end)) return end
    spec = { kind, start, end }
  } else if (kind === 'score') {
    const range = parseZsetScoreRange(argv[2], argv[3])
    if (range === null) return errNotFloatRange
    spec = { kind, range }
  } else {
    const range = parseZsetLexRange(argv[2], argv[3])
    if (range === null) return errNotLexRange
    spec = { kind, range }
  }
  const zobj = writeZset(c, key)
  if (zobj === undefined) return ZERO
  if (!isZset(zobj)) return zobj
  let deleted: number
  if (spec.kind === 'rank') {
    const r = clampRankRange(spec.start, spec.end, zsetLength(zobj))
    if (r === null) return ZERO
    deleted = zsetDeleteRangeByRank(zobj, r.start, r.end)
  } else if (spec.kind === 'score') {
    deleted = zsetDeleteRangeByScore(zobj, spec.range)
  } else {
    deleted = zsetDeleteRangeByLex(zobj, spec.range)
  }
  const keyremoved = zsetLength(zobj) === 0
  if (keyremoved) db.delete(key)
  if (deleted) {
    server.signalModifiedKey(db, key)
    server.notify('z', `zremrangeby${kind}`, key, db.id)
    if (keyremoved) server.notify('g', 'del', key, db.id)
  }
  server.dirty += deleted
  return integer(deleted)
}

export const zremrangebyrank: CommandImpl = { name: 'zremrangebyrank', run: (c, argv) => zremrangeGeneric(c, argv, 'rank') }
export const zremrangebyscore: CommandImpl = { name: 'zremrangebyscore', run: (c, argv) => zremrangeGeneric(c, argv, 'score') }
export const zremrangebylex: CommandImpl = { name: 'zremrangebylex', run: (c, argv) => zremrangeGeneric(c, argv, 'lex') }

