// Helpers shared by the list commands: the typed lookup (lookupKey*OrReply +
// checkType), argument parsing with Redis's errors, and listElementsRemoved.

import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { ListObject } from '../../keyspace/object.ts'
import { E } from '../../server/errors.ts'
import { isReply, parseLongLong } from '../args.ts'
import { listTypeLength, type ListEnd } from '../../types/list.ts'

const SAFE = 2n ** 53n

/**
 * A C `long` argument as a JS number. Values beyond +-2^53 are clamped: every
 * list index or count that large means "past the end" just the same.
 */
export function toSafeNumber(v: bigint): number {
  if (v > SAFE) return Number(SAFE)
  if (v < -SAFE) return -Number(SAFE)
  return Number(v)
}

/** getLongFromObjectOrReply, clamped (see toSafeNumber). */
export function parseLong(s: string): number | Reply {
  const v = parseLongLong(s)
  return isReply(v) ? v : toSafeNumber(v)
}

/**
 * The list at `key`: undefined when missing, E.wrongType for another type.
 * `write` picks lookupKeyWrite (no hit/miss stats) over lookupKeyRead.
 */
export function lookupList(c: Client, key: string, write: boolean): ListObject | undefined | Reply {
  const o = write ? c.db.lookupWrite(key) : c.db.lookupRead(key)
  if (o === undefined) return undefined
  if (o.type !== 'list') return E.wrongType
  return o
}

/** getListPositionFromObjectOrReply: LEFT / RIGHT, case-insensitive. */
export function parseListEnd(s: string): ListEnd | Reply {
  const l = s.toLowerCase()
  if (l === 'right') return 'tail'
  if (l === 'left') return 'head'
  return E.syntax
}

/** The argument Redis propagates for an end: shared.left / shared.right, which are lowercase. */
export const endName = (where: ListEnd): string => (where === 'head' ? 'left' : 'right')

/**
 * listElementsRemoved: after popping `count` elements, notify lpop/rpop, delete
 * the key when the list is empty (with a 'del' event), signal the change and
 * count it in dirty. Returns whether the key was deleted.
 */
export function listElementsRemoved(c: Client, key: string, where: ListEnd, o: ListObject, count: number): boolean {
  const server = c.server
  const db = c.db
  server.notify('l', where === 'head' ? 'lpop' : 'rpop', key, db.id)
  let deleted = false
  if (listTypeLength(o) === 0) {
    deleted = true
    db.delete(key)
    server.notify('g', 'del', key, db.id)
  }
  server.signalModifiedKey(db, key)
  server.dirty += count
  return deleted
}
