// MULTI/EXEC/WATCH (Redis 7.0's multi.c): each client's transaction state (the
// queue and the dirty flags), the watched-keys registry (per db: key -> the
// clients watching it) and EXEC itself. processCommand queues commands and
// flags transactions; the commands in engine/commands/transactions call in here.

import { array, error, NULL_ARRAY, OK, type Reply } from '../protocol/reply.ts'
import type { Db } from '../keyspace/db.ts'
import type { Client } from './client.ts'
import type { CommandDef } from './command-table.ts'

/** A command queued between MULTI and EXEC (multiCmd). */
export interface QueuedCommand {
  readonly cmd: CommandDef
  readonly argv: string[]
}

/** One key watched by one client (watchedKey). */
export interface WatchedKey {
  readonly key: string
  readonly db: Db
  readonly client: Client
  /** The key was already logically expired when WATCH was called. */
  expired: boolean
}

/** A client's transaction state: CLIENT_MULTI, CLIENT_DIRTY_CAS, CLIENT_DIRTY_EXEC, mstate, watched_keys. */
export class ClientMulti {
  /** Between MULTI and EXEC/DISCARD (CLIENT_MULTI). */
  inMulti = false
  /** A watched key was touched: EXEC answers a null array (CLIENT_DIRTY_CAS). */
  dirtyCas = false
  /** A command was rejected while queueing: EXEC answers EXECABORT (CLIENT_DIRTY_EXEC). */
  dirtyExec = false
  /** EXEC is running the queue: blocking commands must not block (CLIENT_DENY_BLOCKING). */
  executing = false
  queue: QueuedCommand[] = []
  /** In WATCH order. */
  watched: WatchedKey[] = []
}

export const QUEUED: Reply = { kind: 'status', value: 'QUEUED' }
const EXECABORT = error('EXECABORT Transaction discarded because of previous errors.')

// db->watched_keys: per database, key -> the watchers in WATCH order. Keyed by
// the Db object, which keeps its identity (and so its watchers) across SWAPDB.
const registries = new WeakMap<Db, Map<string, WatchedKey[]>>()

function registry(db: Db): Map<string, WatchedKey[]> {
  let r = registries.get(db)
  if (r === undefined) {
    r = new Map()
    registries.set(db, r)
  }
  return r
}

/** Number of distinct keys watched in a db (by any client). */
export function watchedKeyCount(db: Db): number {
  return registries.get(db)?.size ?? 0
}

/** The clients watching a key of a db, in WATCH order (for introspection and tests). */
export function watchersOf(db: Db, key: string): Client[] {
  return (registries.get(db)?.get(key) ?? []).map((wk) => wk.client)
}

// ---- queue ------------------------------------------------------------------

/** queueMultiCommand: nothing is kept once the transaction is doomed anyway. */
export function queueMultiCommand(c: Client, cmd: CommandDef, argv: string[]): Reply {
  const m = c.multi
  if (!m.dirtyCas && !m.dirtyExec) m.queue.push({ cmd, argv })
  return QUEUED
}

/** flagTransaction: an error while queueing makes the coming EXEC fail. */
export function flagTransaction(c: Client): void {
  if (c.multi.inMulti) c.multi.dirtyExec = true
}

/** discardTransaction: leave MULTI, drop the queue and the flags, unwatch everything. */
export function discardTransaction(c: Client): void {
  const m = c.multi
  m.queue = []
  m.inMulti = false
  m.dirtyCas = false
  m.dirtyExec = false
  unwatchAllKeys(c)
}

/**
 * execCommandAbort: EXEC itself was rejected by processCommand (arity, auth,
 * pub/sub context...). The transaction is discarded and the reason is reported
 * under EXECABORT. Redis's reason texts have no "ERR " (that prefix is added
 * only when the reply is written), so it is dropped here.
 */
export function execAbortReply(c: Client, reason: Reply): Reply {
  discardTransaction(c)
  const text = reason.kind === 'error' ? reason.value : ''
  const why = text.startsWith('ERR ') ? text.slice(4) : text
  return error(`EXECABORT Transaction discarded because of: ${why}`)
}

// ---- MULTI / EXEC / DISCARD ---------------------------------------------------

export function multiCommand(c: Client): Reply {
  if (c.multi.inMulti) return error('ERR MULTI calls can not be nested')
  c.multi.inMulti = true
  return OK
}

export function discardCommand(c: Client): Reply {
  if (!c.multi.inMulti) return error('ERR DISCARD without MULTI')
  discardTransaction(c)
  return OK
}

/**
 * execCommand: run the queue through call(), so each command is counted in
 * commandstats and errorstats as if sent alone; the replies come back as one
 * array. A touched (or since expired) watched key gives a null array, an error
 * while queueing gives EXECABORT; either way the transaction is over.
 */
export function execCommand(c: Client): Reply | undefined {
  const m = c.multi
  if (!m.inMulti) return error('ERR EXEC without MULTI')
  if (isWatchedKeyExpired(c)) m.dirtyCas = true
  if (m.dirtyCas || m.dirtyExec) {
    const r = m.dirtyExec ? EXECABORT : NULL_ARRAY
    discardTransaction(c)
    return r
  }
  // Unwatch first: the transaction's own writes must not touch its watches.
  unwatchAllKeys(c)
  const server = c.server
  const queue = m.queue
  const origCmd = c.cmd
  const origArgv = c.argv
  const origPush = c.onPush
  // Everything the client is sent while the queue runs, in order: replies and
  // any pushes (SUBSCRIBE confirmations, messages published to itself).
  const frames: Reply[] = []
  let pushed = false
  c.onPush = (r) => {
    pushed = true
    frames.push(r)
  }
  m.executing = true
  try {
    for (const q of queue) {
      c.cmd = q.cmd
      c.argv = q.argv
      const r = server.call(c, q.cmd, q.argv)
      if (r !== undefined) frames.push(r)
    }
  } finally {
    m.executing = false
    c.onPush = origPush
    c.cmd = origCmd
    c.argv = origArgv
    discardTransaction(c)
  }
  return execReply(c, frames, queue.length, pushed)
}

/**
 * Redis writes the array header (one element per queued command) and then
 * whatever each command sends, pushes included, so a command that sends extra
 * frames puts more frames on the wire than the header counts. The same bytes
 * here: the header with its first n frames as one array, then the rest, the
 * last of them as the reply.
 */
function execReply(c: Client, frames: Reply[], n: number, pushed: boolean): Reply | undefined {
  if (!pushed || frames.length <= n) return array(frames)
  c.push(array(frames.slice(0, n)))
  for (let i = n; i < frames.length - 1; i++) c.push(frames[i])
  return frames[frames.length - 1]
}

// ---- WATCH ---------------------------------------------------------------------

/** watchForKey: once per (db, key) per client; remembers whether it had already expired. */
export function watchForKey(c: Client, key: string): void {
  const m = c.multi
  const db = c.db
  for (const wk of m.watched) if (wk.db === db && wk.key === key) return
  const reg = registry(db)
  let list = reg.get(key)
  if (list === undefined) {
    list = []
    reg.set(key, list)
  }
  const wk: WatchedKey = { key, db, client: c, expired: db.isExpired(key) }
  m.watched.push(wk)
  list.push(wk)
}

export function watchCommand(c: Client, keys: readonly string[]): Reply {
  if (c.multi.inMulti) return error('ERR WATCH inside MULTI is not allowed')
  // Already dirty: EXEC will fail whatever else is watched.
  if (c.multi.dirtyCas) return OK
  for (const k of keys) watchForKey(c, k)
  return OK
}

export function unwatchCommand(c: Client): Reply {
  unwatchAllKeys(c)
  c.multi.dirtyCas = false
  return OK
}

/** unwatchAllKeys: forget this client's watches (the dirty flag is the caller's business). */
export function unwatchAllKeys(c: Client): void {
  const m = c.multi
  if (m.watched.length === 0) return
  for (const wk of m.watched) {
    const reg = registries.get(wk.db)
    const list = reg?.get(wk.key)
    if (reg === undefined || list === undefined) continue
    const i = list.indexOf(wk)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) reg.delete(wk.key)
  }
  m.watched = []
}

/** isWatchedKeyExpired: a watched key (not already expired at WATCH time) has expired since. */
export function isWatchedKeyExpired(c: Client): boolean {
  for (const wk of c.multi.watched) {
    if (wk.expired) continue
    if (wk.db.isExpired(wk.key)) return true
  }
  return false
}

/**
 * touchWatchedKey (called from signalModifiedKey): every client watching the
 * key becomes dirty and stops watching. A watch on a key that was already
 * expired at WATCH time only lapses when the key is finally deleted (no
 * logical change); if such a key is touched while still present, Redis 7.0
 * stops walking the watchers there, and so does this.
 */
export function touchWatchedKey(db: Db, key: string): void {
  const reg = registries.get(db)
  if (reg === undefined || reg.size === 0) return
  const list = reg.get(key)
  if (list === undefined) return
  for (const wk of [...list]) {
    if (wk.expired) {
      if (db.dict.get(key) === undefined) {
        wk.expired = false
        continue
      }
      break
    }
    wk.client.multi.dirtyCas = true
    unwatchAllKeys(wk.client)
  }
}

/**
 * touchAllWatchedKeysInDb (FLUSHDB, FLUSHALL, SWAPDB): call before the db is
 * emptied (or swapped with `replacedWith`). A watched key changes if it exists
 * in the emptied db or, for SWAPDB, in the one replacing it, with the expired
 * cases sorted out as in Redis 7.0.
 */
export function touchAllWatchedKeysInDb(emptied: Db, replacedWith?: Db): void {
  const reg = registries.get(emptied)
  if (reg === undefined || reg.size === 0) return
  const inReplacement = (key: string): boolean => replacedWith !== undefined && replacedWith.dict.get(key) !== undefined
  const expiredInReplacement = (key: string): boolean => replacedWith !== undefined && replacedWith.isExpired(key)
  for (const key of [...reg.keys()]) {
    const list = reg.get(key)
    // Unwatched by an earlier key of the same client in this walk.
    if (list === undefined) continue
    const existsInEmptied = emptied.dict.get(key) !== undefined
    if (!existsInEmptied && !inReplacement(key)) continue
    for (const wk of [...list]) {
      if (wk.expired) {
        if (!inReplacement(key)) {
          // The expired key is now gone: no logical change.
          wk.expired = false
          continue
        } else if (expiredInReplacement(key)) {
          continue
        }
      } else if (!existsInEmptied && expiredInReplacement(key)) {
        // A missing key replaced by an already expired one.
        wk.expired = true
        continue
      }
      wk.client.multi.dirtyCas = true
      unwatchAllKeys(wk.client)
    }
  }
}
