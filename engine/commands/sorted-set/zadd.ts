// ZADD and ZINCRBY (t_zset.c zaddGenericCommand).

import { NULL, double, error, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { string2d } from '../../structures/numbers.ts'
import {
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NX,
  ZADD_IN_XX,
  createZsetListpackObject,
  createZsetObject,
  zsetAdd,
} from '../../types/zset.ts'
import { optEq } from '../generic/cstr.ts'
import { errNaN, isZset, siteOf, writeZset } from './common.ts'

const errXXNX = error('ERR XX and NX options at the same time are not compatible')
const errGTLTNX = error('ERR GT, LT, and/or NX options at the same time are not compatible')
const errIncrPair = error('ERR INCR option supports a single increment-element pair')

function zaddGeneric(c: Client, argv: string[], inFlags: number): Reply {
  const server = c.server
  const db = c.db
  const key = argv[1]
  let flags = inFlags
  let ch = false
  let scoreidx = 2
  while (scoreidx < argv.length) {
    const opt = argv[scoreidx]
    if (optEq(opt, 'nx')) flags |= ZADD_IN_NX
    else if (optEq(opt, 'xx')) flags |= ZADD_IN_XX
    else if (optEq(opt, 'ch')) ch = true
    else if (optEq(opt, 'incr')) flags |= ZADD_IN_INCR
    else if (optEq(opt, 'gt')) flags |= ZADD_IN_GT
    else if (optEq(opt, 'lt')) flags |= ZADD_IN_LT
    else break
    scoreidx++
  }
  const incr = (flags & ZADD_IN_INCR) !== 0
  const nx = (flags & ZADD_IN_NX) !== 0
  const xx = (flags & ZADD_IN_XX) !== 0
  const gt = (flags & ZADD_IN_GT) !== 0
  const lt = (flags & ZADD_IN_LT) !== 0
  let elements = argv.length - scoreidx
  if (elements % 2 !== 0 || elements === 0) return E.syntax
  elements /= 2
  if (nx && xx) return errXXNX
  if ((gt && nx) || (lt && nx) || (gt && lt)) return errGTLTNX
  if (incr && elements > 1) return errIncrPair
  // Every score is parsed before anything changes: the command applies fully or not at all.
  const scores: number[] = []
  for (let j = 0; j < elements; j++) {
    const s = string2d(argv[scoreidx + j * 2])
    if (s === null) return E.notFloat
    scores.push(s)
  }
  const found = writeZset(c, key)
  if (found !== undefined && !isZset(found)) return found
  let added = 0
  let updated = 0
  let processed = 0
  let score = 0
  let reply: Reply | undefined
  if (found === undefined && xx) {
    reply = incr ? NULL : integer(0)
    return reply
  }
  let zobj = found
  if (zobj === undefined) {
    // zaddGenericCommand sizes the new key from its first member only.
    zobj =
      server.config.num('zset-max-listpack-entries') === 0 ||
      server.config.num('zset-max-listpack-value') < argv[scoreidx + 1].length
        ? createZsetObject(server)
        : createZsetListpackObject()
    db.add(key, zobj)
  }
  const site = siteOf(c, key)
  for (let j = 0; j < elements; j++) {
    const r = zsetAdd(zobj, server, scores[j], argv[scoreidx + 1 + j * 2], flags, site)
    if (!r.ok) {
      reply = errNaN
      break
    }
    if (r.added) added++
    if (r.updated) updated++
    if (!r.nop) processed++
    score = r.newscore
  }
  if (reply === undefined) {
    server.dirty += added + updated
    if (incr) reply = processed ? double(score) : NULL
    else reply = integer(ch ? added + updated : added)
  }
  if (added || updated) {
    server.signalModifiedKey(db, key)
    server.notify('z', incr ? 'zincr' : 'zadd', key, db.id)
  }
  return reply
}

export const zadd: CommandImpl = { name: 'zadd', run: (c, argv) => zaddGeneric(c, argv, 0) }
export const zincrby: CommandImpl = { name: 'zincrby', run: (c, argv) => zaddGeneric(c, argv, ZADD_IN_INCR) }
