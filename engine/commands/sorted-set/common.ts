// Shared pieces of the sorted-set commands: typed lookups, reply shapes and the
// range-result handler (t_zset.c zrange_result_handler) that either replies to
// the client or stores into a destination key.

import { array, bulk, double, error, integer, ZERO, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { ZsetObject } from '../../keyspace/object.ts'
import type { ValueSite } from '../../types/trace.ts'
import {
  createZsetListpackObject,
  createZsetObject,
  zsetAdd,
  zsetLength,
  type ZEntry,
} from '../../types/zset.ts'

export const errNotFloatRange = error('ERR min or max is not a float')
export const errNotLexRange = error('ERR min or max not valid string range item')
export const errNaN = error('ERR resulting score is not a number (NaN)')

export function siteOf(c: Client, key: string): ValueSite {
  return { db: c.db.id, key }
}

/** lookupKeyRead + checkType: the zset, undefined when missing, or WRONGTYPE. */
export function readZset(c: Client, key: string): ZsetObject | undefined | Reply {
  const o = c.db.lookupRead(key)
  if (o === undefined) return undefined
  return o.type === 'zset' ? o : E.wrongType
}

/** lookupKeyWrite + checkType. */
export function writeZset(c: Client, key: string): ZsetObject | undefined | Reply {
  const o = c.db.lookupWrite(key)
  if (o === undefined) return undefined
  return o.type === 'zset' ? o : E.wrongType
}

export function isZset(v: ZsetObject | undefined | Reply): v is ZsetObject {
  return v !== undefined && (v as { type?: string }).type === 'zset'
}

/**
 * Members (and scores) as Redis emits them: RESP2 a flat array (member, score, ...),
 * RESP3 with scores an array of [member, score] pairs.
 */
export function entriesReply(c: Client, entries: readonly ZEntry[], withscores: boolean): Reply {
  const out: Reply[] = []
  if (!withscores) {
    for (const e of entries) out.push(bulk(e.member))
  } else if (c.resp === 2) {
    for (const e of entries) out.push(bulk(e.member), double(e.score))
  } else {
    for (const e of entries) out.push(array([bulk(e.member), double(e.score)]))
  }
  return array(out)
}

/** Delete a key that became empty, with the 'del' event (the caller notifies its own event first). */
export function deleteEmptied(c: Client, key: string): void {
  c.db.delete(key)
  c.server.notify('g', 'del', key, c.db.id)
}

/**
 * zrangeResultBeginStore / EmitForStore / FinalizeStore: the destination starts as a
 * skiplist only when the known length passes zset-max-listpack-entries (-1 = unknown),
 * members are added one by one with zsetAdd, and an empty result deletes the key.
 */
export function storeRangeResult(c: Client, dst: string, entries: readonly ZEntry[], knownLength: number): Reply {
  const server = c.server
  const db = c.db
  if (entries.length === 0) {
    if (db.delete(dst)) {
      server.signalModifiedKey(db, dst)
      server.notify('g', 'del', dst, db.id)
      server.dirty++
    }
    return ZERO
  }
  const o = knownLength > server.config.num('zset-max-listpack-entries') ? createZsetObject(server) : createZsetListpackObject()
  const site = siteOf(c, dst)
  for (const e of entries) zsetAdd(o, server, e.score, e.member, 0, site)
  db.setKey(dst, o)
  server.notify('z', 'zrangestore', dst, db.id)
  server.dirty++
  return integer(zsetLength(o))
}
