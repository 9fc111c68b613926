// ZPOPMIN, ZPOPMAX, ZMPOP and the shared pop (t_zset.c genericZpopCommand), also
// used when a blocked BZPOPMIN / BZPOPMAX / BZMPOP client is served.

import { EMPTY_ARRAY, NULL_ARRAY, array, bulk, double, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { LONG_MAX, isReply, parsePositiveLong, parseRangeLong } from '../args.ts'
import { optEq } from '../generic/cstr.ts'
import { rewriteArgv } from '../string/options.ts'
import { blockForKeys, mayBlock, parseBlockTimeout } from '../../server/blocking.ts'
import { zsetLength, zsetPopOne } from '../../types/zset.ts'
import type { ZsetObject } from '../../keyspace/object.ts'

export interface PopShape {
  /** Emit the key name (BZPOP*, ZMPOP, BZMPOP). */
  emitkey: boolean
  /** Nested [member, score] pairs (RESP3 ZPOP with COUNT, ZMPOP, BZMPOP). */
  nested: boolean
  /** Reply a null array, not an empty one, when nothing can be popped (ZMPOP, BZMPOP). */
  nilWhenEmpty: boolean
}

/**
 * Pop up to `count` (-1 = a plain single pop) from `zobj` at `key`, with the events and
 * the key deletion. The caller has found a non-empty zset.
 */
export function popFrom(c: Client, key: string, zobj: ZsetObject, max: boolean, count: number, shape: PopShape): Reply {
  const server = c.server
  const db = c.db
  if (count === 0) return EMPTY_ARRAY
  if (count === -1) count = 1
  const llen = zsetLength(zobj)
  let rangelen = count > llen ? llen : count
  const items: Reply[] = []
  let first = true
  do {
    const e = zsetPopOne(zobj, max)
    server.dirty++
    if (first) {
      server.notify('z', max ? 'zpopmax' : 'zpopmin', key, db.id)
      server.signalModifiedKey(db, key)
      first = false
    }
    if (shape.nested) items.push(array([bulk(e.member), double(e.score)]))
    else items.push(bulk(e.member), double(e.score))
  } while (--rangelen > 0)
  if (zsetLength(zobj) === 0) {
    db.delete(key)
    server.notify('g', 'del', key, db.id)
  }
  if (!shape.emitkey) return array(items)
  if (!shape.nested) return array([bulk(key), ...items])
  return array([bulk(key), array(items)])
}

/** genericZpopCommand over several keys: the first existing key decides (WRONGTYPE stops the search). */
export function genericZpop(c: Client, keys: readonly string[], max: boolean, count: number, shape: PopShape): Reply {
  let zobj: ZsetObject | undefined
  let key = ''
  for (const k of keys) {
    const o = c.db.lookupWrite(k)
    if (o === undefined) continue
    if (o.type !== 'zset') return E.wrongType
    zobj = o
    key = k
    break
  }
  if (zobj === undefined) return shape.nilWhenEmpty ? NULL_ARRAY : EMPTY_ARRAY
  return popFrom(c, key, zobj, max, count, shape)
}

function zpopMinMax(c: Client, argv: string[], max: boolean): Reply {
  if (argv.length > 3) return E.syntax
  let count = -1
  if (argv.length === 3) {
    const n = parsePositiveLong(argv[2])
    if (isReply(n)) return n
    count = n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n)
  }
  const nested = c.resp > 2 && count !== -1
  return genericZpop(c, [argv[1]], max, count, { emitkey: false, nested, nilWhenEmpty: false })
}

export const zpopmin: CommandImpl = { name: 'zpopmin', run: (c, argv) => zpopMinMax(c, argv, false) }
export const zpopmax: CommandImpl = { name: 'zpopmax', run: (c, argv) => zpopMinMax(c, argv, true) }

export interface ZmpopArgs {
  keys: string[]
  max: boolean
  count: number
}

/** zmpopGenericCommand's argument parsing: numkeys, keys, MIN|MAX, [COUNT n]. */
export function parseZmpop(argv: string[], numkeysIdx: number): ZmpopArgs | Reply {
  const nk = parseRangeLong(argv[numkeysIdx], 1n, LONG_MAX, 'numkeys should be greater than 0')
  if (isReply(nk)) return nk
  const whereIdx = BigInt(numkeysIdx) + nk + 1n
  if (whereIdx >= BigInt(argv.length)) return E.syntax
  const wi = Number(whereIdx)
  let max: boolean
  if (optEq(argv[wi], 'min')) max = false
  else if (optEq(argv[wi], 'max')) max = true
  else return E.syntax
  let count = -1
  for (let j = wi + 1; j < argv.length; j++) {
    const moreargs = argv.length - 1 - j
    if (count === -1 && optEq(argv[j], 'count') && moreargs > 0) {
      j++
      const n = parseRangeLong(argv[j], 1n, LONG_MAX, 'count should be greater than 0')
      if (isReply(n)) return n
      count = n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n)
    } else {
      return E.syntax
    }
  }
  if (count === -1) count = 1
  return { keys: argv.slice(numkeysIdx + 1, wi), max, count }
}

export const zmpop: CommandImpl = {
  name: 'zmpop',
  run: (c, argv) => {
    const a = parseZmpop(argv, 1)
    if (isReply(a)) return a
    // Replicated as ZPOPMIN/ZPOPMAX key count (genericZpopCommand's rewrite).
    let popped: { key: string; n: number } | undefined
    const r = genericZpopTracked(c, a, (key, n) => (popped = { key, n }))
    if (popped !== undefined) rewriteArgv(c, [a.max ? 'ZPOPMAX' : 'ZPOPMIN', popped.key, String(popped.n)])
    return r
  },
}

function genericZpopTracked(c: Client, a: ZmpopArgs, onPop: (key: string, n: number) => void): Reply {
  for (const k of a.keys) {
    const o = c.db.lookupWrite(k)
    if (o === undefined) continue
    if (o.type !== 'zset') return E.wrongType
    const llen = zsetLength(o)
    onPop(k, a.count > llen ? llen : a.count)
    return popFrom(c, k, o, a.max, a.count, { emitkey: true, nested: true, nilWhenEmpty: true })
  }
  return NULL_ARRAY
}

/**
 * blockingGenericZpopCommand: the timeout first, then the first non-empty zset is
 * popped right away (replicated as ZPOPMIN/ZPOPMAX); with none, the client blocks
 * (or, when it may not block, gets the timeout reply at once).
 */
function blockingZpop(c: Client, keys: string[], max: boolean, timeoutArg: string, count: number, nested: boolean): Reply | undefined {
  const timeoutMs = parseBlockTimeout(c, timeoutArg)
  if (isReply(timeoutMs)) return timeoutMs
  const shape: PopShape = { emitkey: true, nested, nilWhenEmpty: nested }
  for (const key of keys) {
    const o = c.db.lookupWrite(key)
    if (o === undefined) continue
    if (o.type !== 'zset') return E.wrongType
    const llen = zsetLength(o)
    if (llen === 0) continue
    const r = popFrom(c, key, o, max, count, shape)
    const name = max ? 'ZPOPMAX' : 'ZPOPMIN'
    rewriteArgv(c, count === -1 ? [name, key] : [name, key, String(count > llen ? llen : count)])
    return r
  }
  if (!mayBlock(c)) return NULL_ARRAY
  return blockForKeys(c, {
    keys,
    timeoutMs,
    valueType: 'zset',
    serve: (key) => {
      // serveClientsBlockedOnSortedSetKey: pop for the woken client, propagate as ZPOP*.
      const o = c.db.lookupWrite(key)
      if (o === undefined || o.type !== 'zset' || zsetLength(o) === 0) return undefined
      const llen = zsetLength(o)
      const r = popFrom(c, key, o, max, count, shape)
      const name = max ? 'ZPOPMAX' : 'ZPOPMIN'
      c.server.propagate(c.db.id, count === -1 ? [name, key] : [name, key, String(count > llen ? llen : count)])
      return r
    },
  })
}

// BZPOPMIN key [key ...] timeout
export const bzpopmin: CommandImpl = {
  name: 'bzpopmin',
  run: (c, argv) => blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1], -1, false),
}

// BZPOPMAX key [key ...] timeout
export const bzpopmax: CommandImpl = {
  name: 'bzpopmax',
  run: (c, argv) => blockingZpop(c, argv.slice(1, -1), true, argv[argv.length - 1], -1, false),
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: arguments first, then the timeout.
export const bzmpop: CommandImpl = {
  name: 'bzmpop',
  run: (c, argv) => {
    const a = parseZmpop(argv, 2)
    if (isReply(a)) return a
    return blockingZpop(c, a.keys, a.max, argv[1], a.count, true)
  },
}
