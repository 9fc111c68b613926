// SADD, SREM, SMOVE (t_set.c saddCommand, sremCommand, smoveCommand).

import { ONE, ZERO, integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { setTypeAdd, setTypeCreate, setTypeIsMember, setTypeRemove, setTypeSize } from '../../types/set.ts'
import { isSet, lookupSet } from './lookup.ts'

// SADD key member [member ...]
export const sadd: CommandImpl = {
  name: 'sadd',
  run: (c, argv) => {
    const key = argv[1]
    const found = lookupSet(c, key, true)
    if (found !== undefined && !isSet(found)) return found
    const server = c.server
    const db = c.db
    let set = found
    if (set === undefined) {
      // The first member decides the initial encoding (setTypeCreate).
      set = setTypeCreate(server, argv[2])
      db.add(key, set)
    }
    const site = { db: db.id, key }
    let added = 0
    for (let j = 2; j < argv.length; j++) if (setTypeAdd(set, argv[j], server, site)) added++
    if (added > 0) {
      server.signalModifiedKey(db, key)
      server.notify('s', 'sadd', key, db.id)
    }
    server.dirty += added
    return integer(added)
  },
}

// SREM key member [member ...]: stops at the member that empties the set.
export const srem: CommandImpl = {
  name: 'srem',
  run: (c, argv) => {
    const key = argv[1]
    const set = lookupSet(c, key, true)
    if (set === undefined) return ZERO
    if (!isSet(set)) return set
    const server = c.server
    const db = c.db
    let deleted = 0
    let keyRemoved = false
    for (let j = 2; j < argv.length; j++) {
      if (!setTypeRemove(set, argv[j])) continue
      deleted++
      if (setTypeSize(set) === 0) {
        db.delete(key)
        keyRemoved = true
        break
      }
    }
    if (deleted > 0) {
      server.signalModifiedKey(db, key)
      server.notify('s', 'srem', key, db.id)
      if (keyRemoved) server.notify('g', 'del', key, db.id)
      server.dirty += deleted
    }
    return integer(deleted)
  },
}

// SMOVE source destination member
export const smove: CommandImpl = {
  name: 'smove',
  run: (c, argv) => {
    const srcKey = argv[1]
    const dstKey = argv[2]
    const member = argv[3]
    const src = lookupSet(c, srcKey, true)
    const dstFound = lookupSet(c, dstKey, true)
    if (src === undefined) return ZERO
    if (!isSet(src)) return src
    if (dstFound !== undefined && !isSet(dstFound)) return dstFound
    // Same key: nothing moves, the reply says whether the member is there.
    if (src === dstFound) return setTypeIsMember(src, member) ? ONE : ZERO
    if (!setTypeRemove(src, member)) return ZERO
    const server = c.server
    const db = c.db
    server.notify('s', 'srem', srcKey, db.id)
    if (setTypeSize(src) === 0) {
      db.delete(srcKey)
      server.notify('g', 'del', srcKey, db.id)
    }
    let dst = dstFound
    if (dst === undefined) {
      dst = setTypeCreate(server, member)
      db.add(dstKey, dst)
    }
    server.signalModifiedKey(db, srcKey)
    server.dirty++
    // The destination only changed (and is only signalled) when the member was new there.
    if (setTypeAdd(dst, member, server, { db: db.id, key: dstKey })) {
      server.dirty++
      server.signalModifiedKey(db, dstKey)
      server.notify('s', 'sadd', dstKey, db.id)
    }
    return ONE
  },
}
