// LSET, LINSERT, LREM, LTRIM: in-place list edits (t_list.c).

import { OK, ZERO, error, integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { isReply } from '../args.ts'
import {
  listTypeInsert,
  listTypeLength,
  listTypeRemove,
  listTypeReplaceAtIndex,
  listTypeTrim,
} from '../../types/list.ts'
import { lookupList, parseLong } from './shared.ts'

const indexOutOfRange = error('ERR index out of range')

// LSET key index element: the key is checked before the index is parsed.
export const lset: CommandImpl = {
  name: 'lset',
  run: (c, argv) => {
    const key = argv[1]
    const o = lookupList(c, key, true)
    if (o === undefined) return E.noSuchKey
    if (isReply(o)) return o
    const index = parseLong(argv[2])
    if (isReply(index)) return index
    if (!listTypeReplaceAtIndex(o, index, argv[3])) return indexOutOfRange
    c.server.signalModifiedKey(c.db, key)
    c.server.notify('l', 'lset', key, c.db.id)
    c.server.dirty++
    return OK
  },
}

// LINSERT key BEFORE|AFTER pivot element: -1 when the pivot is not there.
export const linsert: CommandImpl = {
  name: 'linsert',
  run: (c, argv) => {
    const key = argv[1]
    const where = argv[2].toLowerCase()
    if (where !== 'after' && where !== 'before') return E.syntax
    const o = lookupList(c, key, true)
    if (o === undefined) return ZERO
    if (isReply(o)) return o
    if (!listTypeInsert(o, argv[3], argv[4], where === 'after')) return integer(-1)
    c.server.signalModifiedKey(c.db, key)
    c.server.notify('l', 'linsert', key, c.db.id)
    c.server.dirty++
    return integer(listTypeLength(o))
  },
}

// LREM key count element
export const lrem: CommandImpl = {
  name: 'lrem',
  run: (c, argv) => {
    const key = argv[1]
    const count = parseLong(argv[2])
    if (isReply(count)) return count
    const o = lookupList(c, key, true)
    if (o === undefined) return ZERO
    if (isReply(o)) return o
    const removed = listTypeRemove(o, argv[3], count)
    c.server.dirty += removed
    if (removed) {
      c.server.signalModifiedKey(c.db, key)
      c.server.notify('l', 'lrem', key, c.db.id)
    }
    if (listTypeLength(o) === 0) {
      c.db.delete(key)
      c.server.notify('g', 'del', key, c.db.id)
    }
    return integer(removed)
  },
}

// LTRIM key start stop: always OK (also for a missing key).
export const ltrim: CommandImpl = {
  name: 'ltrim',
  run: (c, argv) => {
    const key = argv[1]
    let start = parseLong(argv[2])
    if (isReply(start)) return start
    let end = parseLong(argv[3])
    if (isReply(end)) return end
    const o = lookupList(c, key, true)
    if (o === undefined) return OK
    if (isReply(o)) return o
    const llen = listTypeLength(o)
    if (start < 0) start = llen + start
    if (end < 0) end = llen + end
    if (start < 0) start = 0
    let ltrim: number
    let rtrim: number
    if (start > end || start >= llen) {
      // Empty range: everything goes.
      ltrim = llen
      rtrim = 0
    } else {
      if (end >= llen) end = llen - 1
      ltrim = start
      rtrim = llen - end - 1
    }
    listTypeTrim(o, ltrim, rtrim)
    c.server.notify('l', 'ltrim', key, c.db.id)
    if (listTypeLength(o) === 0) {
      c.db.delete(key)
      c.server.notify('g', 'del', key, c.db.id)
    }
    c.server.signalModifiedKey(c.db, key)
    c.server.dirty += ltrim + rtrim
    return OK
  },
}
