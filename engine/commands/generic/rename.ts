// RENAME / RENAMENX (db.c renameGenericCommand), COPY (copyCommand), MOVE
// (moveCommand) and SWAPDB (swapdbCommand).

import { OK, ONE, ZERO, error, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { Db } from '../../keyspace/db.ts'
import type { RObj } from '../../keyspace/object.ts'
import { createEmbeddedStringObject, createRawStringObject } from '../../types/string.ts'
import { isReply, parseInt32 } from '../args.ts'
import { optEq } from './cstr.ts'
import { touchAllWatchedKeysInDb } from '../../server/multi.ts'

function renameGeneric(c: Client, argv: string[], nx: boolean): Reply {
  const db = c.db
  const server = c.server
  const src = argv[1]
  const dst = argv[2]
  const o = db.lookupWrite(src)
  if (o === undefined) return E.noSuchKey
  // Same name: nothing to do, but a missing key is still an error.
  if (src === dst) return nx ? ZERO : OK
  const expire = db.getExpireExact(src)
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) return ZERO
    // Overwrite: the old destination goes first (no 'del' event).
    db.delete(dst)
  }
  db.add(dst, o, true)
  if (expire !== -1n) db.setExpire(dst, expire)
  db.delete(src)
  server.signalModifiedKey(db, src)
  server.signalModifiedKey(db, dst)
  server.notify('g', 'rename_from', src, db.id)
  server.notify('g', 'rename_to', dst, db.id)
  server.dirty++
  return nx ? ONE : OK
}

export const rename: CommandImpl = { name: 'rename', run: (c, argv) => renameGeneric(c, argv, false) }
export const renamenx: CommandImpl = { name: 'renamenx', run: (c, argv) => renameGeneric(c, argv, true) }

/** The db with that index, or the error MOVE and COPY reply (selectDb failing). */
function targetDb(c: Client, arg: string): Db | Reply {
  const id = parseInt32(arg)
  if (isReply(id)) return id
  const db = c.server.dbs[id]
  return id >= 0 && db !== undefined ? db : E.dbIndexOutOfRange
}

// MOVE key db: the object itself moves, keeping its TTL and access clock.
export const move: CommandImpl = {
  name: 'move',
  run: (c, argv) => {
    const server = c.server
    const src = c.db
    const key = argv[1]
    const dst = targetDb(c, argv[2])
    if (isReply(dst)) return dst
    if (dst === src) return E.sameObject
    const o = src.lookupWrite(key)
    if (o === undefined) return ZERO
    const expire = src.getExpireExact(key)
    if (dst.lookupWrite(key) !== undefined) return ZERO
    dst.add(key, o, true)
    if (expire !== -1n) dst.setExpire(key, expire)
    src.delete(key)
    server.signalModifiedKey(src, key)
    server.signalModifiedKey(dst, key)
    server.notify('g', 'move_from', key, src.id)
    server.notify('g', 'move_to', key, dst.id)
    server.dirty++
    return ONE
  },
}

const dups = new Map<string, (o: RObj) => RObj>()

/** Each collection type registers its deep copy (COPY's dupListObject, dupHashObject, ...). */
export function registerDup(type: RObj['type'], fn: (o: RObj) => RObj): void {
  dups.set(type, fn)
}

/**
 * A private copy of a value (COPY's per-type dup). A string copy keeps its
 * encoding but is never a shared integer (dupStringObject), so OBJECT REFCOUNT
 * of a copied small integer is 1. Other types copy with their registered dup.
 */
export function dupObject(o: RObj): RObj | undefined {
  if (o.type === 'string') {
    if (o.encoding === 'int') return { type: 'string', encoding: 'int', value: o.value, lru: 0 }
    return o.encoding === 'embstr' ? createEmbeddedStringObject(o.value) : createRawStringObject(o.value)
  }
  return dups.get(o.type)?.(o)
}

// COPY source destination [DB destination-db] [REPLACE]
export const copy: CommandImpl = {
  name: 'copy',
  run: (c, argv) => {
    const server = c.server
    const src = c.db
    let dst = c.db
    let replace = false
    for (let j = 3; j < argv.length; j++) {
      const more = argv.length - j - 1
      if (optEq(argv[j], 'replace')) {
        replace = true
      } else if (optEq(argv[j], 'db') && more >= 1) {
        const d = targetDb(c, argv[j + 1])
        if (isReply(d)) return d
        dst = d
        j++
      } else {
        return E.syntax
      }
    }
    const key = argv[1]
    const newkey = argv[2]
    if (src === dst && key === newkey) return E.sameObject
    const o = src.lookupRead(key)
    if (o === undefined) return ZERO
    const expire = src.getExpireExact(key)
    let overwrite = false
    if (dst.lookupWrite(newkey) !== undefined) {
      if (!replace) return ZERO
      overwrite = true
    }
    const dup = dupObject(o)
    if (dup === undefined) return error('ERR unknown type object')
    if (overwrite) dst.delete(newkey)
    dst.add(newkey, dup)
    if (expire !== -1n) dst.setExpire(newkey, expire)
    server.signalModifiedKey(dst, newkey)
    server.notify('g', 'copy_to', newkey, dst.id)
    server.dirty++
    return ONE
  },
}

// SWAPDB index1 index2: swaps contents; clients stay on their index, so a
// client on db 0 sees the other db's keys from now on.
export const swapdb: CommandImpl = {
  name: 'swapdb',
  run: (c, argv) => {
    const server = c.server
    const a = parseInt32(argv[1], 'invalid first DB index')
    if (isReply(a)) return a
    const b = parseInt32(argv[2], 'invalid second DB index')
    if (isReply(b)) return b
    const n = server.dbs.length
    if (a < 0 || a >= n || b < 0 || b >= n) return E.dbIndexOutOfRange
    if (a !== b) {
      const da = server.dbs[a]
      const db = server.dbs[b]
      // touchAllWatchedKeysInDb both ways: a watched key changes if it exists
      // on either side. Other modified-key listeners see every key of both.
      touchAllWatchedKeysInDb(da, db)
      touchAllWatchedKeysInDb(db, da)
      // dbSwapDatabases touches WATCHed keys only: no signalModifiedKey, so no tracking invalidation.
      da.swapWith(db)
      // scanDatabaseForReadyKeys: clients blocked in either db may now find their key.
      server.blocking.signalWaitedKeys(da)
      server.blocking.signalWaitedKeys(db)
      server.trace({ type: 'dbs-swapped', a, b })
    }
    server.dirty++
    return OK
  },
}
