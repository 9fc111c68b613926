// Server-assisted client-side caching (Redis 7.0.15 tracking.c, with the parts
// of networking.c and server.c that drive it).
//
// The tracking table maps a key name (db-agnostic, like Redis) to the ids of the
// clients that may hold it in their cache. Ids, not clients: a client that goes
// away leaves its ids behind, to be dropped lazily when the key is invalidated,
// exactly as Redis does (so INFO's tracking_total_keys/items keep counting them).
// BCAST clients subscribe to prefixes instead: keys modified under a prefix are
// collected and sent in one message per prefix from beforeSleep.
//
// Everything is installed on a server the first time a client enables tracking
// (Redis creates its tables then too), so a server nobody tracks pays nothing.

import { array, bulk, integer, NULL, push, type Reply } from '../protocol/reply.ts'
import type { Client } from './client.ts'
import type { Server } from './server.ts'
import type { Db } from '../keyspace/db.ts'
import { CMD, type CommandDef } from './command-table.ts'
import { extractKeys } from './command-metadata.ts'
import { infoState } from './info.ts'

/** The Pub/Sub channel RESP2 clients subscribe to when invalidations are redirected to them. */
export const TRACKING_CHANNEL = '__redis__:invalidate'

/** CLIENT TRACKING options (the CLIENT_TRACKING_* flags that the command sets). */
export interface TrackingOptions {
  bcast: boolean
  optin: boolean
  optout: boolean
  noloop: boolean
}

/** One client's tracking state (its CLIENT_TRACKING_* flags, redirection and prefixes). */
export interface ClientTracking {
  on: boolean
  bcast: boolean
  optin: boolean
  optout: boolean
  noloop: boolean
  /** CLIENT CACHING yes/no was given for the next command (CLIENT_TRACKING_CACHING). */
  caching: boolean
  /** The redirect client went away (CLIENT_TRACKING_BROKEN_REDIR). */
  brokenRedir: boolean
  /** Client id invalidations go to; 0 for none. */
  redirect: number
  /** BCAST prefixes of this client. */
  readonly prefixes: Set<string>
}

/** A BCAST prefix (bcastState): keys modified under it this turn, with their last modifier, and its clients. */
interface BcastState {
  keys: Map<string, Client | null>
  readonly clients: Set<Client>
}

interface TableEntry {
  readonly ids: Set<number>
  /** Position in Tracking.keyList (for random picks). */
  index: number
}

/** The engine-wide tracking state of one server (TrackingTable, PrefixTable and counters). */
export class Tracking {
  private readonly table = new Map<string, TableEntry>()
  /** The table's keys, for O(1) random eviction (raxRandomWalk). */
  private readonly keyList: string[] = []
  /** TrackingTableTotalItems: client ids stored over all keys. */
  private totalItems = 0
  readonly prefixTable = new Map<string, BcastState>()
  /** server.tracking_clients. */
  trackingClients = 0
  /** server.tracking_pending_keys: invalidations for the running client, sent after its reply (null: a flush). */
  private pending: (string | null)[] = []
  /** trackingLimitUsedSlots' timeout_counter: grows the effort while the table stays too big. */
  private limitCounter = 0
  /** A key being deleted by expiry: its invalidation has no modifying client (signalModifiedKey(NULL, ...)). */
  private expiring: { key: string; dbid: number } | undefined
  /** The client whose pending invalidations are being sent: what goes to it must follow its reply. */
  private flushing: Client | undefined
  private readonly states = new WeakMap<Client, ClientTracking>()

  constructor(private readonly server: Server) {
    const hooks = server.hooks
    const prevModified = hooks.modifiedKey
    hooks.modifiedKey = (db, key) => {
      prevModified?.(db, key)
      this.keyModified(db, key)
    }
    const prevFlushed = hooks.flushed
    hooks.flushed = (dbid) => {
      prevFlushed?.(dbid)
      this.invalidateKeysOnFlush()
    }
    const prevAfterCall = hooks.afterCall
    hooks.afterCall = (c, cmd, argv) => {
      prevAfterCall?.(c, cmd, argv)
      this.afterCall(c, cmd, argv)
    }
    const prevAfterProcess = hooks.afterProcess
    hooks.afterProcess = (c, cmd) => {
      prevAfterProcess?.(c, cmd)
      this.afterProcess(c, cmd)
    }
    const prevClosed = hooks.clientClosed
    hooks.clientClosed = (c) => {
      prevClosed?.(c)
      this.disable(c)
      this.states.delete(c)
    }
    const prevBeforeSleep = hooks.beforeSleep
    hooks.beforeSleep = () => {
      prevBeforeSleep?.()
      this.beforeSleep()
    }
    // Expired keys are signalled with no client (deleteExpiredKeyAndPropagate), so a
    // BCAST NOLOOP client still hears about keys that expired under its own command.
    const prevEvent = hooks.keyspaceEvent
    hooks.keyspaceEvent = (classFlag, event, key, dbid) => {
      if (event === 'expired' || event === 'evicted') this.expiring = { key, dbid }
      prevEvent?.(classFlag, event, key, dbid)
    }
    const info = infoState(server)
    info.trackingClients = () => this.trackingClients
    info.trackingTotalKeys = () => this.table.size
    info.trackingTotalItems = () => this.totalItems
    info.trackingTotalPrefixes = () => this.prefixTable.size
  }

  // ---- per-client state -------------------------------------------------------

  /** The client's tracking state (all off for a client that never enabled tracking). */
  stateOf(c: Client): ClientTracking {
    let st = this.states.get(c)
    if (st === undefined) {
      st = {
        on: false,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        caching: false,
        brokenRedir: false,
        redirect: 0,
        prefixes: new Set(),
      }
      this.states.set(c, st)
    }
    return st
  }

  /** Tracking state without creating it. */
  peek(c: Client): ClientTracking | undefined {
    return this.states.get(c)
  }

  /** CLIENT LIST's tracking flags, in catClientInfoString's order. */
  private updateFlags(c: Client, st: ClientTracking): void {
    c.trackingFlags = (st.on ? 't' : '') + (st.brokenRedir ? 'R' : '') + (st.bcast ? 'B' : '')
  }

  /** enableTracking: flags other than CACHING start over; BCAST prefixes add to the client's existing ones. */
  enable(c: Client, redirect: number, opts: TrackingOptions, prefixes: readonly string[]): void {
    const st = this.stateOf(c)
    if (!st.on) this.trackingClients++
    st.on = true
    st.brokenRedir = false
    st.bcast = false
    st.optin = false
    st.optout = false
    st.noloop = false
    st.redirect = redirect
    if (opts.bcast) {
      st.bcast = true
      if (prefixes.length === 0) this.enablePrefix(c, st, '')
      for (const p of prefixes) this.enablePrefix(c, st, p)
    }
    st.optin = opts.optin
    st.optout = opts.optout
    st.noloop = opts.noloop
    this.updateFlags(c, st)
  }

  /** enableBcastTrackingForPrefix: a prefix entry lives as long as it has clients. */
  private enablePrefix(c: Client, st: ClientTracking, prefix: string): void {
    let bs = this.prefixTable.get(prefix)
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() }
      this.prefixTable.set(prefix, bs)
    }
    if (!bs.clients.has(c)) {
      bs.clients.add(c)
      st.prefixes.add(prefix)
    }
  }

  /** disableTracking: leave every prefix; the client's ids stay in the table until their keys change. */
  disable(c: Client): void {
    const st = this.states.get(c)
    if (st === undefined) return
    if (st.bcast) {
      for (const p of st.prefixes) {
        const bs = this.prefixTable.get(p)
        if (bs === undefined) continue
        bs.clients.delete(c)
        if (bs.clients.size === 0) this.prefixTable.delete(p)
      }
      st.prefixes.clear()
    }
    if (st.on) {
      this.trackingClients--
      st.on = false
      st.brokenRedir = false
      st.bcast = false
      st.optin = false
      st.optout = false
      st.caching = false
      st.noloop = false
    }
    this.updateFlags(c, st)
  }

  // ---- remembering keys (trackingRememberKeys) ------------------------------------

  private afterCall(c: Client, cmd: CommandDef, argv: string[]): void {
    // call(): keys read by a read-only command are remembered for a tracking, non-BCAST client.
    const st = this.states.get(c)
    if (st !== undefined && st.on && !st.bcast && cmd.flags & CMD.readonly && !SCRIPT_RO.has(cmd.fullName)) {
      this.rememberKeys(c, st, cmd, argv)
    }
    // The outermost call() only (not each command EXEC runs): afterCommand sends what was pending.
    if (c !== this.server.currentClient || c.multi.executing) return
    if (this.pending.length > 0) this.flushPending()
  }

  /** resetClient: CACHING lasts for one command, unless in MULTI or the command was a CLIENT subcommand; rejected commands count. */
  private afterProcess(c: Client, cmd: CommandDef | undefined): void {
    const st = this.states.get(c)
    if (st !== undefined && st.caching && !c.multi.inMulti && cmd?.parent?.name !== 'client') st.caching = false
  }

  private rememberKeys(c: Client, st: ClientTracking, cmd: CommandDef, argv: string[]): void {
    // Shard channels look like keys to cluster clients but are not cached data.
    if (cmd.flags & CMD.pubsub) return
    // OPTIN tracks only after CACHING yes, OPTOUT all but after CACHING no.
    if ((st.optin && !st.caching) || (st.optout && st.caching)) return
    for (const ref of extractKeys(cmd.meta, argv)) {
      const key = argv[ref.pos]
      let entry = this.table.get(key)
      if (entry === undefined) {
        entry = { ids: new Set(), index: this.keyList.length }
        this.table.set(key, entry)
        this.keyList.push(key)
      }
      if (!entry.ids.has(c.id)) {
        entry.ids.add(c.id)
        this.totalItems++
      }
    }
  }

  private removeKey(key: string, entry: TableEntry): void {
    this.totalItems -= entry.ids.size
    this.table.delete(key)
    const last = this.keyList.pop()!
    if (last !== key) {
      this.keyList[entry.index] = last
      this.table.get(last)!.index = entry.index
    }
  }

  // ---- invalidation ----------------------------------------------------------------

  /** signalModifiedKey's trackingInvalidateKey(c, key, 1). */
  private keyModified(db: Db, key: string): void {
    // SWAPDB exchanges whole databases without invalidating anything in 7.0.15 (observed),
    // though its module signals every key of both to the modified-key listeners.
    const current = this.server.currentClient
    if (current !== undefined && current.cmd?.fullName === 'swapdb') return
    let modifier: Client | null = current ?? null
    const exp = this.expiring
    if (exp !== undefined) {
      this.expiring = undefined
      if (exp.key === key && exp.dbid === db.id) modifier = null
    }
    this.invalidateKey(key, true, modifier)
  }

  /** trackingInvalidateKey: tell every client that may cache `key`, then forget the key. */
  private invalidateKey(key: string, bcast: boolean, modifier: Client | null): void {
    if (bcast && this.prefixTable.size > 0) this.rememberKeyToBroadcast(modifier, key)
    const entry = this.table.get(key)
    if (entry === undefined) return
    const current = this.server.currentClient
    for (const id of entry.ids) {
      const target = this.server.clients.get(id)
      if (target === undefined) continue
      const st = this.states.get(target)
      // A client that switched to BCAST since reading the key is not told about it.
      if (st === undefined || !st.on || st.bcast) continue
      // NOLOOP: not about keys the client changed itself.
      if (st.noloop && target === current) continue
      // The running client hears about its own writes after its reply (7.0.9+: only
      // while it executes a command; a blocked client being served does not).
      if (target === current && !target.blocked) this.pending.push(key)
      else this.sendMessage(target, array([bulk(key)]))
    }
    this.removeKey(key, entry)
  }

  /** trackingHandlePendingKeyInvalidations, from the outermost call()'s tail. */
  private flushPending(): void {
    const c = this.server.currentClient
    const keys = this.pending
    this.pending = []
    if (c === undefined || c.closed) return
    this.flushing = c
    try {
      for (const key of keys) this.sendMessage(c, key === null ? NULL : array([bulk(key)]))
    } finally {
      this.flushing = undefined
    }
  }

  /** trackingInvalidateKeysOnFlush: every tracking client is told "everything" (a null), and the table empties. */
  private invalidateKeysOnFlush(): void {
    if (this.trackingClients > 0) {
      const current = this.server.currentClient
      for (const c of this.server.clients.values()) {
        if (!this.states.get(c)?.on) continue
        if (c === current) this.pending.push(null)
        else this.sendMessage(c, NULL)
      }
    }
    this.table.clear()
    this.keyList.length = 0
    this.totalItems = 0
  }

  /**
   * sendTrackingMessage: `payload` (the keys, or a null for a flush) to the client
   * or to its redirection. RESP3 gets a push; a RESP2 redirect target only if it
   * is subscribed (a message on __redis__:invalidate); otherwise nothing can be sent.
   */
  private sendMessage(c: Client, payload: Reply): void {
    const st = this.stateOf(c)
    let target = c
    if (st.redirect !== 0) {
      const redir = this.server.clients.get(st.redirect)
      if (redir === undefined) {
        st.brokenRedir = true
        this.updateFlags(c, st)
        if (c.resp === 3) this.deliver(c, push([bulk('tracking-redir-broken'), integer(st.redirect)]))
        return
      }
      target = redir
    }
    if (target.resp === 3) {
      this.deliver(target, push([bulk('invalidate'), payload]))
    } else if (st.redirect !== 0 && target.pubsub.flag) {
      this.deliver(target, push([bulk('message'), bulk(TRACKING_CHANNEL), payload]))
    }
  }

  private deliver(to: Client, r: Reply): void {
    if (to === this.flushing) to.pushAfterReply(r)
    else to.push(r)
  }

  // ---- BCAST ----------------------------------------------------------------------------

  /** trackingRememberKeyToBroadcast: the key goes under each matching prefix, with who changed it last. */
  private rememberKeyToBroadcast(modifier: Client | null, key: string): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (prefix.length > key.length) continue
      if (prefix.length !== 0 && !key.startsWith(prefix)) continue
      bs.keys.set(key, modifier)
    }
  }

  /** trackingBroadcastInvalidationMessages: prefixes and keys in byte order, as Redis's radix trees keep them. */
  private broadcast(): void {
    if (this.trackingClients === 0) return
    for (const prefix of [...this.prefixTable.keys()].sort()) {
      const bs = this.prefixTable.get(prefix)!
      if (bs.keys.size > 0) {
        const keys = [...bs.keys.keys()].sort()
        const all = array(keys.map(bulk))
        for (const c of [...bs.clients]) {
          if (this.states.get(c)?.noloop) {
            // Without the keys this client changed last; nothing if that leaves none.
            const own = keys.filter((k) => bs.keys.get(k) !== c)
            if (own.length > 0) this.sendMessage(c, array(own.map(bulk)))
          } else {
            this.sendMessage(c, all)
          }
        }
      }
      bs.keys = new Map()
    }
  }

  // ---- tracking-table-max-keys ---------------------------------------------------------------

  /**
   * trackingLimitUsedSlots: over the limit, forget random keys (telling their clients,
   * as if the keys changed) with an effort that grows while the table stays too big.
   */
  limitUsedSlots(): void {
    const max = this.server.config.num('tracking-table-max-keys')
    if (max === 0) return
    if (this.table.size <= max) {
      this.limitCounter = 0
      return
    }
    let effort = 100 * (this.limitCounter + 1)
    while (effort-- > 0 && this.keyList.length > 0) {
      const key = this.keyList[Math.floor(this.server.random.next() * this.keyList.length)]
      this.invalidateKey(key, false, null)
      if (this.table.size <= max) {
        this.limitCounter = 0
        return
      }
    }
    this.limitCounter++
  }

  private beforeSleep(): void {
    // Nothing may stay pending past the command that queued it (Redis asserts this in beforeSleep).
    if (this.pending.length > 0 && this.server.currentClient === undefined) this.pending = []
    // Redis checks the limit before each command and in serverCron; this runs after each
    // batch of input and from the cron.
    if (this.trackingClients > 0) this.limitUsedSlots()
    this.broadcast()
  }

  // ---- introspection ----------------------------------------------------------------------

  /** INFO stats: tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
  totals(): { keys: number; items: number; prefixes: number } {
    return { keys: this.table.size, items: this.totalItems, prefixes: this.prefixTable.size }
  }

  /** The ids that may cache `key` (tests, visualisations). */
  clientsOf(key: string): readonly number[] {
    return [...(this.table.get(key)?.ids ?? [])]
  }

  /** Whether `c` is still a member of any BCAST prefix (tests). */
  hasPrefixMembership(c: Client): boolean {
    for (const bs of this.prefixTable.values()) if (bs.clients.has(c)) return true
    return false
  }
}

// Read-only scripts are not tracked themselves, only the commands they run (call()).
const SCRIPT_RO = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro'])

const trackings = new WeakMap<Server, Tracking>()

/** The server's tracking state, created (with its hooks) on first use. */
export function tracking(server: Server): Tracking {
  let t = trackings.get(server)
  if (t === undefined) {
    t = new Tracking(server)
    trackings.set(server, t)
  }
  return t
}

/** The server's tracking state if any client ever enabled tracking. */
export function trackingIfInstalled(server: Server): Tracking | undefined {
  return trackings.get(server)
}

/** disableTracking for RESET (clearClientConnectionState): a no-op when tracking was never used. */
export function disableTracking(c: Client): void {
  trackings.get(c.server)?.disable(c)
}

/** CLIENT LIST's redir= field: the redirection of a tracking client (0: none), -1 when not tracking. */
export function trackingRedirection(c: Client): number {
  const st = trackings.get(c.server)?.peek(c)
  return st?.on ? st.redirect : -1
}
