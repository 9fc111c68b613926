// LMOVE and RPOPLPUSH (t_list.c lmoveGenericCommand, lmoveHandlePush).

import { NULL, bulk } from '../../protocol/reply.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { ListObject } from '../../keyspace/object.ts'
import { isReply } from '../args.ts'
import { createQuicklistObject, listTypeLength, listTypePop, listTypePush, type ListEnd } from '../../types/list.ts'
import { lookupList, parseListEnd } from './shared.ts'

/** lmoveHandlePush: create the destination if needed, signal, push, notify. */
export function lmoveHandlePush(c: Client, dstkey: string, dst: ListObject | undefined, value: string, where: ListEnd): void {
  if (dst === undefined) {
    dst = createQuicklistObject(c.server)
    c.db.add(dstkey, dst)
  }
  c.server.signalModifiedKey(c.db, dstkey)
  listTypePush(dst, value, where)
  c.server.notify('l', where === 'head' ? 'lpush' : 'rpush', dstkey, c.db.id)
}

/**
 * Moves one element from `src` (which must hold a non-empty list) to `dst`:
 * the moved element, or WRONGTYPE when the destination is not a list.
 * Shared by LMOVE / RPOPLPUSH and by BLMOVE / BRPOPLPUSH when served.
 */
export function moveElement(c: Client, srckey: string, src: ListObject, dstkey: string, from: ListEnd, to: ListEnd): Reply {
  const dst = lookupList(c, dstkey, true)
  if (isReply(dst)) return dst
  const value = listTypePop(src, from)!
  lmoveHandlePush(c, dstkey, dst, value, to)
  c.server.notify('l', from === 'head' ? 'lpop' : 'rpop', srckey, c.db.id)
  if (listTypeLength(src) === 0) {
    c.db.delete(srckey)
    c.server.notify('g', 'del', srckey, c.db.id)
  }
  c.server.signalModifiedKey(c.db, srckey)
  c.server.dirty++
  return bulk(value)
}

/** lmoveGenericCommand (without the BLMOVE propagation rewrite, done by the caller). */
export function lmoveGeneric(c: Client, argv: string[], from: ListEnd, to: ListEnd): Reply {
  const src = lookupList(c, argv[1], true)
  if (src === undefined) return NULL
  if (isReply(src)) return src
  // Only very old RDB files could hold an empty list.
  if (listTypeLength(src) === 0) return NULL
  return moveElement(c, argv[1], src, argv[2], from, to)
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
export const lmove: CommandImpl = {
  name: 'lmove',
  run: (c, argv) => {
    const from = parseListEnd(argv[3])
    if (isReply(from)) return from
    const to = parseListEnd(argv[4])
    if (isReply(to)) return to
    return lmoveGeneric(c, argv, from, to)
  },
}

// RPOPLPUSH source destination
export const rpoplpush: CommandImpl = {
  name: 'rpoplpush',
  run: (c, argv) => lmoveGeneric(c, argv, 'tail', 'head'),
}

