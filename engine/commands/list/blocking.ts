// BLPOP / BRPOP / BLMPOP / BLMOVE / BRPOPLPUSH (t_list.c blockingPopGenericCommand,
// blmoveGenericCommand, serveClientBlockedOnList). With data there they behave like
// the non-blocking command (and are propagated as it); otherwise the client parks on
// the keys (engine/server/blocking.ts) and is served, in blocking order, when a list
// appears under one of them.

import { NULL, NULL_ARRAY, array, bulk, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { ListObject } from '../../keyspace/object.ts'
import { blockForKeys, mayBlock, parseBlockTimeout } from '../../server/blocking.ts'
import { isReply } from '../args.ts'
import { listTypeLength, listTypePop, type ListEnd } from '../../types/list.ts'
import { rewriteArgv } from '../string/options.ts'
import { endName, listElementsRemoved, lookupList, parseListEnd } from './shared.ts'
import { mpopFirst, parseMpop, popRangeWithKey, type MpopArgs } from './pop.ts'
import { lmoveGeneric, lmoveHandlePush } from './move.ts'

const popName = (where: ListEnd): string => (where === 'head' ? 'LPOP' : 'RPOP')

/** The non-empty list under `key` a woken client can be served from, if any. */
function readyList(c: Client, key: string): ListObject | undefined {
  const o = c.db.lookupWrite(key)
  if (o === undefined || o.type !== 'list' || listTypeLength(o) === 0) return undefined
  return o
}

/** serveClientBlockedOnList for BLPOP / BRPOP: pop one, reply [key, element]. */
function serveSinglePop(c: Client, key: string, where: ListEnd): Reply | undefined {
  const o = readyList(c, key)
  if (o === undefined) return undefined
  const server = c.server
  server.propagate(c.db.id, [popName(where), key])
  const value = listTypePop(o, where)!
  server.notify('l', where === 'head' ? 'lpop' : 'rpop', key, c.db.id)
  if (listTypeLength(o) === 0) {
    c.db.delete(key)
    server.notify('g', 'del', key, c.db.id)
  }
  // No signalModifiedKey: the push that woke us already signalled the key.
  return array([bulk(key), bulk(value)])
}

/** serveClientBlockedOnList for BLMPOP: pop up to count, reply [key, [elements]]. */
function serveRangePop(c: Client, key: string, where: ListEnd, count: number): Reply | undefined {
  const o = readyList(c, key)
  if (o === undefined) return undefined
  c.server.propagate(c.db.id, [popName(where), key, String(Math.min(count, listTypeLength(o)))])
  return popRangeWithKey(c, key, o, where, count)
}

/** serveClientBlockedOnList for BLMOVE / BRPOPLPUSH: a WRONGTYPE destination unblocks with the error. */
function serveMove(c: Client, key: string, dstkey: string, from: ListEnd, to: ListEnd, rpoplpush: boolean): Reply | undefined {
  const o = readyList(c, key)
  if (o === undefined) return undefined
  const dst = lookupList(c, dstkey, true)
  if (isReply(dst)) return dst
  const value = listTypePop(o, from)!
  lmoveHandlePush(c, dstkey, dst, value, to)
  const server = c.server
  server.propagate(c.db.id, rpoplpush ? ['RPOPLPUSH', key, dstkey] : ['LMOVE', key, dstkey, endName(from), endName(to)])
  server.notify('l', from === 'head' ? 'lpop' : 'rpop', key, c.db.id)
  if (listTypeLength(o) === 0) {
    c.db.delete(key)
    server.notify('g', 'del', key, c.db.id)
  }
  return bulk(value)
}

/**
 * blockingPopGenericCommand: `count` -1 is BLPOP/BRPOP (one element, flat
 * reply), else BLMPOP. The timeout is parsed first.
 */
function blockingPop(c: Client, timeoutArg: string, keys: string[], where: ListEnd, count: number): Reply | undefined {
  const timeoutMs = parseBlockTimeout(c, timeoutArg)
  if (isReply(timeoutMs)) return timeoutMs
  if (count !== -1) {
    const args: MpopArgs = { keys, where, count }
    const r = mpopFirst(c, args)
    if (r !== undefined) return r
  } else {
    for (const key of keys) {
      const o = lookupList(c, key, true)
      if (o === undefined) continue
      if (isReply(o)) return o
      if (listTypeLength(o) === 0) continue
      const value = listTypePop(o, where)!
      listElementsRemoved(c, key, where, o, 1)
      // Replicated as the plain pop.
      rewriteArgv(c, [popName(where), key])
      return array([bulk(key), bulk(value)])
    }
  }
  // Inside MULTI/EXEC or a script the client cannot block: reply as on timeout.
  if (!mayBlock(c)) return NULL_ARRAY
  return blockForKeys(c, {
    keys,
    timeoutMs,
    valueType: 'list',
    serve: count === -1 ? (key) => serveSinglePop(c, key, where) : (key) => serveRangePop(c, key, where, count),
  })
}

// BLPOP key [key ...] timeout
export const blpop: CommandImpl = {
  name: 'blpop',
  run: (c, argv) => blockingPop(c, argv[argv.length - 1], argv.slice(1, -1), 'head', -1),
}

// BRPOP key [key ...] timeout
export const brpop: CommandImpl = {
  name: 'brpop',
  run: (c, argv) => blockingPop(c, argv[argv.length - 1], argv.slice(1, -1), 'tail', -1),
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: arguments first, then the timeout.
export const blmpop: CommandImpl = {
  name: 'blmpop',
  run: (c, argv) => {
    const args = parseMpop(argv, 2)
    if (isReply(args)) return args
    return blockingPop(c, argv[1], args.keys, args.where, args.count)
  },
}

/** blmoveGenericCommand: LMOVE when the source has data, else block on it. */
function blmoveGeneric(c: Client, argv: string[], from: ListEnd, to: ListEnd, timeoutMs: number, rpoplpush: boolean): Reply | undefined {
  const src = lookupList(c, argv[1], true)
  if (isReply(src)) return src
  if (src === undefined) {
    // Blocking is not allowed (MULTI, scripts): an empty source answers at once.
    if (!mayBlock(c)) return NULL
    const dstkey = argv[2]
    return blockForKeys(c, {
      keys: [argv[1]],
      timeoutMs,
      valueType: 'list',
      serve: (key) => serveMove(c, key, dstkey, from, to, rpoplpush),
      // A timed-out BLMOVE gets a null array like the pops (replyToBlockedClientTimedOut), unlike the
      // immediate null reply above.
    })
  }
  const r = lmoveGeneric(c, argv, from, to)
  if (r.kind === 'bulk') {
    rewriteArgv(c, rpoplpush ? ['RPOPLPUSH', argv[1], argv[2]] : ['LMOVE', argv[1], argv[2], argv[3], argv[4]])
  }
  return r
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
export const blmove: CommandImpl = {
  name: 'blmove',
  run: (c, argv) => {
    const from = parseListEnd(argv[3])
    if (isReply(from)) return from
    const to = parseListEnd(argv[4])
    if (isReply(to)) return to
    const timeoutMs = parseBlockTimeout(c, argv[5])
    if (isReply(timeoutMs)) return timeoutMs
    return blmoveGeneric(c, argv, from, to, timeoutMs, false)
  },
}

// BRPOPLPUSH source destination timeout
export const brpoplpush: CommandImpl = {
  name: 'brpoplpush',
  run: (c, argv) => {
    const timeoutMs = parseBlockTimeout(c, argv[3])
    if (isReply(timeoutMs)) return timeoutMs
    return blmoveGeneric(c, argv, 'tail', 'head', timeoutMs, true)
  },
}
