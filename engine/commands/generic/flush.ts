// FLUSHDB / FLUSHALL [ASYNC | SYNC] (db.c flushdbCommand / flushallCommand).
// ASYNC frees in the background in Redis; the result is the same here.

import { OK } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { Db } from '../../keyspace/db.ts'
import type { Reply } from '../../protocol/reply.ts'
import { optEq } from './cstr.ts'
import { touchAllWatchedKeysInDb } from '../../server/multi.ts'
import { persistenceFlushAll } from '../../persistence/snapshot.ts'
import { PROPAGATE_BOTH, forceCommandPropagation } from '../../server/propagation.ts'

/**
 * getFlushCommandFlags: the only argument may be SYNC or ASYNC; anything else,
 * or more than one argument, is a syntax error (the arity is -1).
 */
function checkFlushArgs(argv: readonly string[]): Reply | undefined {
  if (argv.length === 1) return undefined
  if (argv.length === 2 && (optEq(argv[1], 'sync') || optEq(argv[1], 'async'))) return undefined
  return E.syntax
}

// signalFlushedDb: every existing key of the db counts as modified for WATCH
// (touchAllWatchedKeysInDb); client tracking is told once for the whole flush.
function signalFlushed(c: Client, db: Db): void {
  touchAllWatchedKeysInDb(db)
}

export const flushdb: CommandImpl = {
  name: 'flushdb',
  run: (c, argv) => {
    const err = checkFlushArgs(argv)
    if (err) return err
    const server = c.server
    const db = c.db
    signalFlushed(c, db)
    server.hooks.flushed?.(db.id)
    server.dirty += db.clear()
    server.trace({ type: 'db-flushed', db: db.id })
    // Propagated even when the db was already empty (dirty unchanged).
    forceCommandPropagation(c, PROPAGATE_BOTH)
    return OK
  },
}

export const flushall: CommandImpl = {
  name: 'flushall',
  run: (c, argv) => {
    const err = checkFlushArgs(argv)
    if (err) return err
    const server = c.server
    for (const db of server.dbs) signalFlushed(c, db)
    server.hooks.flushed?.(-1)
    server.dirty += server.flushAll()
    // Persistence (issue 7): a running BGSAVE dies, save points save the empty dataset.
    persistenceFlushAll(server)
    // flushAllDataAndResetRDB counts the flush itself as one more change.
    server.dirty++
    forceCommandPropagation(c, PROPAGATE_BOTH)
    return OK
  },
}
