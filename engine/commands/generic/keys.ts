// Keyspace commands over whole keys (db.c): DEL, UNLINK, EXISTS, TYPE, KEYS,
// RANDOMKEY, DBSIZE, TOUCH.

import { EMPTY_ARRAY, NULL, bulk, integer, status, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { Db } from '../../keyspace/db.ts'
import { LOOKUP_NOTOUCH } from '../../keyspace/db.ts'
import type { RObj } from '../../keyspace/object.ts'
import { globMatch } from '../../structures/glob.ts'

/** getObjectTypeName: the TYPE reply, "none" for a missing key. */
export function typeName(o: RObj | undefined): string {
  return o === undefined ? 'none' : o.type
}

// delGenericCommand: an expired key is expired first (firing 'expired', not
// 'del'), so it does not count as deleted. UNLINK frees lazily in Redis, which
// is not observable here.
function delGeneric(c: Client, argv: string[]): Reply {
  const server = c.server
  const db = c.db
  let deleted = 0
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]
    db.expireIfNeeded(key)
    if (db.delete(key)) {
      server.signalModifiedKey(db, key)
      server.notify('g', 'del', key, db.id)
      server.dirty++
      deleted++
    }
  }
  return integer(deleted)
}

export const del: CommandImpl = { name: 'del', run: delGeneric }
export const unlink: CommandImpl = { name: 'unlink', run: delGeneric }

// EXISTS key [key ...]: a key named twice counts twice. Counts hits/misses.
export const exists: CommandImpl = {
  name: 'exists',
  run: (c, argv) => {
    let n = 0
    for (let j = 1; j < argv.length; j++) if (c.db.lookup(argv[j], LOOKUP_NOTOUCH) !== undefined) n++
    return integer(n)
  },
}

// TOUCH key [key ...]: a read lookup that updates the access clock.
export const touch: CommandImpl = {
  name: 'touch',
  run: (c, argv) => {
    let n = 0
    for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j]) !== undefined) n++
    return integer(n)
  },
}

// TYPE key: a status reply.
export const type: CommandImpl = {
  name: 'type',
  run: (c, argv) => status(typeName(c.db.lookup(argv[1], LOOKUP_NOTOUCH))),
}

/**
 * keysCommand: every key matching the pattern, in bucket order. Logically
 * expired keys are skipped but not deleted. A bare "*" matches everything
 * without calling the matcher (so it also matches the empty key).
 */
export function keysMatching(db: Db, pattern: string): string[] {
  const all = pattern === '*'
  const out: string[] = []
  for (const e of db.dict.entries()) {
    const key = e.key
    if ((all || globMatch(pattern, key)) && !db.isExpired(key)) out.push(key)
  }
  return out
}

export const keys: CommandImpl = {
  name: 'keys',
  run: (c, argv) => {
    const found = keysMatching(c.db, argv[1])
    return found.length === 0 ? EMPTY_ARRAY : { kind: 'array', value: found.map(bulk) }
  },
}

/**
 * dbRandomKey: a fair random key (dictGetFairRandomKey), retried while the
 * pick has expired (the lookup deletes it). Redis 7.0 bounds the retries only
 * on replicas, where expired keys are not deleted; this engine applies the
 * same 100-try guard whenever expiry is paused, the one case here where the
 * loop could otherwise spin forever.
 */
export function randomKey(c: Client): string | undefined {
  const db = c.db
  const server = c.server
  const rand = (): number => server.random.next()
  let maxTries = 100
  const allVolatile = db.dict.size === db.expires.size
  for (;;) {
    const e = db.dict.fairRandomEntry(rand)
    if (e === undefined) return undefined
    const key = e.key
    if (db.expires.has(key)) {
      if (allVolatile && server.expiryPaused() && --maxTries === 0) return key
      if (db.expireIfNeeded(key)) continue
    }
    return key
  }
}

export const randomkey: CommandImpl = {
  name: 'randomkey',
  run: (c) => {
    const key = randomKey(c)
    return key === undefined ? NULL : bulk(key)
  },
}

// DBSIZE: dictSize, so logically expired keys not yet reclaimed still count.
export const dbsize: CommandImpl = {
  name: 'dbsize',
  run: (c) => integer(c.db.dict.size),
}
