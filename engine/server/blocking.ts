// Blocked clients (Redis's blocked.c): clients waiting for data on keys
// (BLPOP, BZPOPMIN, ...), for replicas (WAIT), or postponed by CLIENT PAUSE.
//
// A timed-out list or zset block is answered with a null array
// (replyToBlockedClientTimedOut), BLMOVE included; WAIT with its ack count.
//
// A blocked client gets no reply now and its host stops feeding it commands
// (Redis stops processing its query buffer). It is woken when a key it waits
// on is added (signalKeyAsReady from dbAdd, served after the command that
// added it: handleClientsBlockedOnKeys), on timeout, by CLIENT UNBLOCK, or
// when the pause ends. Its late reply and the end of the block reach the
// host through client.onUnblocked.

import { NULL_ARRAY, error, integer, type Reply } from '../protocol/reply.ts'
import type { Db } from '../keyspace/db.ts'
import type { Client } from './client.ts'
import type { Server } from './server.ts'
import { string2ld, string2ll } from '../structures/numbers.ts'
import { ldToNumber } from '../structures/long-double.ts'

export interface BlockOnKeys {
  /** Keys in c.db the client waits on, in argument order (duplicates are ignored). */
  keys: readonly string[]
  /** Absolute unix time in ms at which to give up; 0 = wait forever. */
  timeoutMs: number
  /** The value type that can serve this client; a ready key of another type does not wake it. */
  valueType: 'list' | 'zset'
  /**
   * Called when `key` exists in the client's db with valueType: do what the
   * command does when data is there and return the reply (an error reply
   * unblocks the client with it), or undefined to keep waiting.
   */
  serve(key: string): Reply | undefined
}

type BlockState =
  | { kind: 'keys'; db: Db; spec: BlockOnKeys; keys: string[]; timeoutMs: number; startUs: number }
  | { kind: 'wait'; timeoutMs: number; startUs: number }
  | { kind: 'postpone'; argv: string[]; timeoutMs: 0; startUs: number }

export type PauseType = 'off' | 'write' | 'all'

// Per-server blocking state, kept beside the server like Redis's globals.
export class Blocking {
  /** db -> key -> clients blocked on it, first come first served (db->blocking_keys). */
  private readonly byKey = new Map<Db, Map<string, Client[]>>()
  /** Keys added since the last serve pass (server.ready_keys + db->ready_keys). */
  private ready: { db: Db; key: string }[] = []
  private readonly readySet = new Map<Db, Set<string>>()
  private readonly states = new Map<Client, BlockState>()
  /** Clients whose block ended and whose postponed command must run again (server.unblocked_clients). */
  private unblocked: Client[] = []
  /** CLIENT PAUSE: the strongest type in force and when it ends (client_pause_type / client_pause_end_time). */
  pauseType: PauseType = 'off'
  pauseEndMs = 0
  private readonly postponed: Client[] = []
  /** The command each postponed client runs again once the pause ends. */
  private readonly pendingArgv = new Map<Client, string[]>()

  constructor(private readonly server: Server) {}

  get blockedCount(): number {
    return this.states.size
  }

  /** Clients with a timeout set (clients_in_timeout_table). */
  get inTimeoutTable(): number {
    let n = 0
    for (const s of this.states.values()) if (s.timeoutMs !== 0) n++
    return n
  }

  isBlocked(c: Client): boolean {
    return this.states.has(c)
  }

  kindOf(c: Client): BlockState['kind'] | undefined {
    return this.states.get(c)?.kind
  }

  blockForKeys(c: Client, spec: BlockOnKeys): void {
    const keys: string[] = []
    let dbKeys = this.byKey.get(c.db)
    if (dbKeys === undefined) this.byKey.set(c.db, (dbKeys = new Map()))
    for (const key of spec.keys) {
      if (keys.includes(key)) continue
      keys.push(key)
      let list = dbKeys.get(key)
      if (list === undefined) dbKeys.set(key, (list = []))
      list.push(c)
    }
    this.block(c, { kind: 'keys', db: c.db, spec, keys, timeoutMs: spec.timeoutMs, startUs: this.server.clock.nowUs() })
    if (this.server.traceBus.active) this.server.trace({ type: 'client-blocked', client: c.id, keys, db: c.db.id })
  }

  blockForReplicas(c: Client, timeoutMs: number): void {
    this.block(c, { kind: 'wait', timeoutMs, startUs: this.server.clock.nowUs() })
  }

  /** blockPostponeClient: the command runs again once the pause ends. */
  postpone(c: Client, argv: string[]): void {
    this.block(c, { kind: 'postpone', argv, timeoutMs: 0, startUs: this.server.clock.nowUs() })
    this.postponed.push(c)
  }

  private block(c: Client, st: BlockState): void {
    this.states.set(c, st)
    c.blocked = true
  }

  /** signalKeyAsReady: called by dbAdd; cheap when nobody waits on the key. */
  signalKeyAsReady(db: Db, key: string): void {
    const waiting = this.byKey.get(db)?.get(key)
    if (waiting === undefined) return
    let set = this.readySet.get(db)
    if (set === undefined) this.readySet.set(db, (set = new Set()))
    if (set.has(key)) return
    set.add(key)
    this.ready.push({ db, key })
  }

  /** scanDatabaseForReadyKeys (SWAPDB): every waited-on key of `db` that now holds a list or zset is ready. */
  signalWaitedKeys(db: Db): void {
    const dbKeys = this.byKey.get(db)
    if (dbKeys === undefined) return
    for (const key of dbKeys.keys()) {
      const o = db.dict.get(key)
      if (o !== undefined && (o.type === 'list' || o.type === 'zset')) this.signalKeyAsReady(db, key)
    }
  }

  get hasReadyKeys(): boolean {
    return this.ready.length > 0
  }

  /**
   * handleClientsBlockedOnKeys: serve the clients waiting on every key made
   * ready, oldest waiter first, again and again while serving makes new keys
   * ready (a BLMOVE pushing into a key others wait on).
   */
  handleClientsBlockedOnKeys(): void {
    while (this.ready.length > 0) {
      const batch = this.ready
      this.ready = []
      for (const { db, key } of batch) {
        this.readySet.get(db)?.delete(key)
        this.serveKey(db, key)
      }
    }
  }

  private serveKey(db: Db, key: string): void {
    const clients = this.byKey.get(db)?.get(key)
    if (clients === undefined) return
    // Walk the waiters in blocking order, as serveClientsBlockedOnListKey / ...SortedSetKey do:
    // a waiter for another type (or one not served) is passed over and keeps its place, so the
    // next value of its type still goes to the oldest waiter. Only a served receiver leaves the
    // list (unblocked), so a snapshot walks the same clients.
    for (const receiver of [...clients]) {
      const o = db.lookupWrite(key)
      if (o === undefined) return
      const st = this.states.get(receiver)
      if (st === undefined || st.kind !== 'keys' || st.db !== db || st.spec.valueType !== o.type) continue
      const startUs = this.server.clock.nowUs()
      const errorsBefore = this.server.stats.totalErrorReplies
      const r = this.server.withCurrentClient(receiver, () => st.spec.serve(key))
      if (r === undefined) continue
      if (r.kind === 'error') this.server.countError(r)
      this.finish(receiver, r, 'served', this.server.clock.nowUs() - startUs, this.server.stats.totalErrorReplies > errorsBefore)
    }
  }

  /** Timeouts (handleBlockedClientsTimeout), and the end of a CLIENT PAUSE (checkClientPauseTimeoutAndReturnIfPaused). */
  handleTimeouts(nowMs: number): void {
    this.checkPauseEnd(nowMs)
    if (this.states.size === 0) return
    for (const [c, st] of [...this.states]) {
      if (st.timeoutMs !== 0 && st.timeoutMs <= nowMs && this.states.get(c) === st) this.timeOut(c)
    }
  }

  /** replyToBlockedClientTimedOut + unblockClient. */
  private timeOut(c: Client): void {
    const st = this.states.get(c)
    if (st === undefined) return
    const reply = st.kind === 'wait' ? integer(0) : NULL_ARRAY
    this.finish(c, reply, 'timeout', 0, false)
  }

  /** CLIENT UNBLOCK: true when the client was blocked in a way that may be unblocked. */
  unblockByCommand(c: Client, asError: boolean): boolean {
    const st = this.states.get(c)
    // Redis 7.0.15 crashes when asked to unblock a client postponed by CLIENT PAUSE (later versions answer 0).
    if (st === undefined || st.kind === 'postpone') return false
    if (asError) {
      const r = error('UNBLOCKED client unblocked via CLIENT UNBLOCK')
      this.server.countError(r)
      this.finish(c, r, 'unblocked', 0, true)
    } else {
      this.timeOut(c)
    }
    return true
  }

  /** Unblock with a reply: statistics as updateStatsOnUnblock, then the host writes the reply and resumes input. */
  private finish(c: Client, reply: Reply, why: 'served' | 'timeout' | 'unblocked', replyUs: number, hadErrors: boolean): void {
    const st = this.remove(c)
    if (st === undefined) return
    if (st.kind !== 'postpone') this.server.countUnblockedCall(c, replyUs, hadErrors)
    if (this.server.traceBus.active) this.server.trace({ type: 'client-unblocked', client: c.id, reason: why })
    c.onUnblocked(reply)
  }

  /** Forget a client's block without replying (disconnect). */
  clientClosed(c: Client): void {
    this.remove(c)
    const i = this.unblocked.indexOf(c)
    if (i >= 0) this.unblocked.splice(i, 1)
  }

  private remove(c: Client): BlockState | undefined {
    const st = this.states.get(c)
    if (st === undefined) return undefined
    this.states.delete(c)
    c.blocked = false
    if (st.kind === 'keys') {
      const dbKeys = this.byKey.get(st.db)
      for (const key of st.keys) {
        const list = dbKeys?.get(key)
        if (list === undefined) continue
        const i = list.indexOf(c)
        if (i >= 0) list.splice(i, 1)
        if (list.length === 0) dbKeys!.delete(key)
      }
    } else if (st.kind === 'postpone') {
      const i = this.postponed.indexOf(c)
      if (i >= 0) this.postponed.splice(i, 1)
    }
    return st
  }

  // ---- CLIENT PAUSE ---------------------------------------------------------

  /** pauseClients: a stronger type or a later end wins. */
  pause(type: 'write' | 'all', endMs: number): void {
    if (this.pauseType === 'off' || type === 'all') this.pauseType = type
    if (endMs > this.pauseEndMs) this.pauseEndMs = endMs
  }

  /** unpauseClients: postponed clients run their command again, in the order they came. */
  unpause(): void {
    this.pauseType = 'off'
    this.pauseEndMs = 0
    for (const c of [...this.postponed]) {
      const st = this.remove(c)
      if (st?.kind === 'postpone') {
        this.pendingArgv.set(c, st.argv)
        this.unblocked.push(c)
      }
    }
  }

  /** True while a pause is in force; ends it when its time has passed. */
  checkPauseEnd(nowMs: number): boolean {
    if (this.pauseType === 'off') return false
    if (this.pauseEndMs <= nowMs) {
      this.unpause()
      return false
    }
    return true
  }

  /**
   * processUnblockedClients (beforeSleep): run again the commands CLIENT PAUSE
   * postponed. A command that blocks again stays blocked.
   */
  processUnblocked(): void {
    while (this.unblocked.length > 0) {
      const c = this.unblocked.shift()!
      const argv = this.pendingArgv.get(c)
      this.pendingArgv.delete(c)
      if (argv === undefined || c.closed) continue
      const r = this.server.processCommand(c, argv)
      if (!c.blocked) c.onUnblocked(r)
    }
  }

  get hasUnblocked(): boolean {
    return this.unblocked.length > 0
  }
}

/** False inside MULTI/EXEC (or a script): blocking commands then answer as on timeout (CLIENT_DENY_BLOCKING). */
export function mayBlock(c: Client): boolean {
  return !c.multi.executing && !c.denyBlocking
}

/** blockForKeys: park the client; returns undefined (no reply now). */
export function blockForKeys(c: Client, spec: BlockOnKeys): undefined {
  c.server.blocking.blockForKeys(c, spec)
  return undefined
}

/**
 * getTimeoutFromObjectOrReply: a timeout argument to an absolute time in ms
 * (0 = forever). Seconds are a long double, scaled to ms and rounded up;
 * milliseconds an integer. Values that overflow when scaled come out
 * negative, as the C conversion does.
 */
export function parseBlockTimeout(c: Client, arg: string, unit: 'seconds' | 'milliseconds' = 'seconds'): number | Reply {
  let ms: number
  if (unit === 'seconds') {
    const ld = string2ld(arg)
    if (ld === null) return error('ERR timeout is not a float or out of range')
    const v = Math.ceil(ldToNumber(ld) * 1000)
    // (long long) of an out-of-range long double is the x87 "integer indefinite", LLONG_MIN.
    ms = Number.isFinite(v) && Math.abs(v) < 9.2e18 ? v : -1
  } else {
    const v = string2ll(arg)
    if (v === null) return error('ERR timeout is not an integer or out of range')
    ms = Number(v)
  }
  if (ms < 0) return error('ERR timeout is negative')
  if (Object.is(ms, -0)) ms = 0
  return ms > 0 ? ms + c.server.clock.nowMs() : 0
}
