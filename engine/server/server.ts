// The server (Redis's redisServer + processCommand/call): databases, clients,
// the command table, statistics and the cron. Hosts (the Node TCP server, the
// browser worker, tests) create one with createServer() and drive its cron.

import { error, type Reply } from '../protocol/reply.ts'
import { Db } from '../keyspace/db.ts'
import type { Keyspace, KeyspaceStats } from '../keyspace/keyspace.ts'
import { LFU_INIT_VAL, LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION, type RObj } from '../keyspace/object.ts'
import { activeExpireCycle, type ExpireCycleState } from '../keyspace/expire.ts'
import { TraceBus, type TraceEvent } from '../introspect/events.ts'
import { PubSub, subscribedContextError, subscribedPingReply } from '../pubsub/pubsub.ts'
import { allCommands } from '../commands/index.ts'
import { execAbortReply, flagTransaction, queueMultiCommand, discardTransaction, touchWatchedKey } from './multi.ts'
import { isSharedObject } from '../types/string.ts'
import { Config } from './config.ts'
import { recordCommandLatency } from './info.ts'
import { feedMonitors, leaveMonitorMode, monitorContextError, observeCommand, observeUnblocked } from './monitor.ts'
import { latencyAddSampleIfNeeded } from './latency.ts'
import { configTable } from './config-table.ts'
import { Client, type ClientOptions } from './client.ts'
import { Blocking } from './blocking.ts'
import type { Clock } from './clock.ts'
import { SeededRandom, type Random } from './random.ts'
import { CMD, CommandTable, type CommandDef } from './command-table.ts'
import { unknownCommand, unknownSubcommand, wrongArity, E } from './errors.ts'
import { persistenceBeforeWrite, persistenceCron, persistenceDenies } from '../persistence/snapshot.ts'
import { installAof } from '../persistence/aof.ts'
import { PROPAGATE_AOF, PROPAGATE_BOTH, PROPAGATE_NONE, PROPAGATE_REPL, Propagation, type PropagateHook } from './propagation.ts'

// Commands that run even inside MULTI instead of being queued (processCommand).
const TX_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset'])

export interface ServerOptions {
  clock: Clock
  random?: Random
  /** Start-up configuration directives (as in redis.conf / command line), applied in order. */
  config?: ReadonlyArray<readonly [string, string]> | Record<string, string>
  /** Seed for the dict hash function; random per process by default, like Redis. */
  hashSeed?: number
}

export interface ServerStats extends KeyspaceStats {
  numCommands: number
  numConnections: number
  rejectedConnections: number
  totalErrorReplies: number
  netInputBytes: number
  netOutputBytes: number
  evictedKeys: number
  totalReadsProcessed: number
  totalWritesProcessed: number
  unexpectedErrorReplies: number
}

function freshStats(): ServerStats {
  return {
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    expireCycleCpuMs: 0,
    numCommands: 0,
    numConnections: 0,
    rejectedConnections: 0,
    totalErrorReplies: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    evictedKeys: 0,
    totalReadsProcessed: 0,
    totalWritesProcessed: 0,
    unexpectedErrorReplies: 0,
  }
}

/** Server-wide notification hooks filled by later subsystems (pub/sub, WATCH, AOF). */
export interface ServerHooks {
  keyspaceEvent?: (classFlag: string, event: string, key: string, dbid: number) => void
  modifiedKey?: (db: Db, key: string) => void
  /**
   * The AOF feed: every propagated op meant for the AOF, in order, once each;
   * MULTI and EXEC come as ops of their own. `target` is PROPAGATE_AOF or
   * PROPAGATE_BOTH (engine/server/propagation.ts). Installing it turns
   * propagation on (Redis's aof_state != AOF_OFF).
   */
  propagate?: PropagateHook
  /** A database (or all of them: -1) was emptied by FLUSHDB/FLUSHALL. */
  flushed?: (dbid: number) => void
  /** After a command called by a client finished (call()'s tail): tracking remembers the keys it read. */
  afterCall?: (c: Client, cmd: CommandDef, argv: string[]) => void
  /** After every command a client sent, rejected ones included (resetClient). */
  afterProcess?: (c: Client, cmd: CommandDef | undefined) => void
  /** A client is being disconnected: forget its state. */
  clientClosed?: (c: Client) => void
  /** Once per event-loop turn, before replies are written (beforeSleep). */
  beforeSleep?: () => void
}

export class Server implements Keyspace {
  readonly clock: Clock
  readonly random: Random
  readonly config: Config
  readonly dbs: Db[]
  readonly clients = new Map<number, Client>()
  readonly commands: CommandTable
  readonly hashSeed: number
  readonly traceBus = new TraceBus()
  readonly hooks: ServerHooks = {}
  /** Channels, patterns and keyspace notifications (installs hooks.keyspaceEvent). */
  readonly pubsub: PubSub
  /** Blocked clients, keys they wait on, CLIENT PAUSE (blocked.c). */
  readonly blocking: Blocking
  /** also_propagate, core_propagates and the running call's force/prevent flags. */
  readonly propagation: Propagation
  /** The client whose command is running (server.current_client), if any. */
  currentClient: Client | undefined
  /** Nesting of processCommand: blocked clients are served when the outermost command ends. */
  private depth = 0
  readonly runId: string
  readonly startTimeMs: number
  stats: ServerStats = freshStats()
  /** Error replies counted by their first word (INFO errorstats). */
  errorStats = new Map<string, number>()
  /** Changes since the last save (rdb_changes_since_last_save). */
  dirty = 0
  /** maxmemory-policy is an LFU one (read on every key access). */
  private lfu = false
  /** Per-command time snapshot used for expiry decisions. */
  private cmdTimeMs = 0
  private nextClientId = 1
  private errorMark = 0
  private loading = false
  readonly expireState: ExpireCycleState = { timelimitExit: false, lastFastCycleUs: 0 }
  /** Set by SHUTDOWN; the host stops serving. */
  onShutdown: (() => void) | undefined
  shuttingDown = false
  /** A (simulated) BGSAVE child is running (persistence/snapshot.ts sets it). */
  childActive = false

  constructor(opts: ServerOptions) {
    this.clock = opts.clock
    this.random = opts.random ?? new SeededRandom(opts.clock.nowMs() & 0xffffffff)
    this.hashSeed = opts.hashSeed ?? this.random.u32()
    this.runId = new SeededRandom(this.random.u32()).hex(20)
    this.config = new Config(configTable)
    const startup = Array.isArray(opts.config) ? opts.config : Object.entries(opts.config ?? {})
    for (const [name, value] of startup) {
      const def = this.config.def(name)
      if (!def) throw new Error(`Bad directive or wrong number of arguments: ${name}`)
      const r = this.config.check(def, value)
      if (!r.ok) throw new Error(`Invalid argument for '${name}': ${r.error}`)
      this.config.apply(def.name, r.value)
    }
    this.lfu = this.config.str('maxmemory-policy').endsWith('-lfu')
    this.config.onChange('maxmemory-policy', (v) => (this.lfu = v.endsWith('-lfu')))
    this.dbs = Array.from({ length: this.config.num('databases') }, (_, i) => new Db(i, this))
    this.commands = new CommandTable(allCommands)
    this.pubsub = new PubSub(this)
    this.propagation = new Propagation(this)
    this.blocking = new Blocking(this)
    this.startTimeMs = this.clock.nowMs()
    this.cmdTimeMs = this.startTimeMs
  }

  // ---- clients ------------------------------------------------------------

  /** Open a client connection. */
  connect(opts?: ClientOptions): Client {
    const c = new Client(this, this.nextClientId++, opts)
    this.clients.set(c.id, c)
    this.stats.numConnections++
    return c
  }

  /** Forget a client and all of its state. */
  disconnect(c: Client): void {
    if (c.closed) return
    c.closed = true
    this.clients.delete(c.id)
    this.blocking.clientClosed(c)
    this.hooks.clientClosed?.(c)
    discardTransaction(c)
    this.pubsub.clientClosed(c)
    leaveMonitorMode(c)
    c.onClose()
  }

  authRequired(): boolean {
    return this.config.str('requirepass') !== ''
  }

  // ---- command execution (processCommand / call) ---------------------------

  /**
   * Check and run one command (processCommand). Returns the reply, or undefined
   * when the command sends none.
   */
  processCommand(c: Client, argv: string[]): Reply | undefined {
    // Pushes meant to follow the previous reply, if the host did not collect them.
    for (const p of c.takeAfterReply()) c.push(p)
    c.queryArgv = argv
    const prev = this.currentClient
    this.currentClient = c
    this.depth++
    let r: Reply | undefined
    try {
      r = this.dispatch(c, argv)
      if (!c.blocked) this.hooks.afterProcess?.(c, c.cmd)
    } finally {
      this.depth--
      this.currentClient = prev
      // A command threw (an engine bug) half way through call(): start the next one clean.
      if (this.depth === 0 && this.propagation.nested !== 0) this.propagation.reset()
    }
    // handleClientsBlockedOnKeys once the outermost command is done (processCommand's tail).
    if (this.depth === 0 && this.blocking.hasReadyKeys) this.blocking.handleClientsBlockedOnKeys()
    // CLIENT REPLY OFF/SKIP: the reply is dropped (prepareClientToWrite); pushes are not.
    if (c.replyOff || c.replySkip) r = undefined
    // resetClient: SKIP covers exactly the one command after CLIENT REPLY SKIP.
    c.replySkip = c.replySkipNext
    c.replySkipNext = false
    return r
  }

  private dispatch(c: Client, argv: string[]): Reply | undefined {
    // One clock read serves the idle time and call()'s start (the clock is ~75 ns a read).
    const nowUs = this.clock.nowUs()
    c.lastInteractionMs = Math.floor(nowUs / 1000)
    const cmd = this.commands.lookup(argv)
    c.cmd = cmd
    // Redis sets lastcmd at lookup: unknown commands show cmd=NULL, rejected and queued ones their name.
    c.lastCmd = cmd
    c.argv = argv
    if (cmd === undefined) {
      const top = argv.length >= 2 ? this.commands.lookupTop(argv[0]) : undefined
      if (top && top.subcommands) return this.reject(c, unknownSubcommand(argv[1], argv[0]))
      return this.reject(c, unknownCommand(argv))
    }
    if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
      return this.reject(c, wrongArity(cmd.fullName))
    }
    if (cmd.flags & CMD.protected && !this.protectedAllowed(c)) {
      return this.reject(
        c,
        error(
          `ERR ${cmd.name.toUpperCase()} command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`,
        ),
      )
    }
    if (!c.authenticated && !(cmd.flags & CMD.no_auth)) {
      return this.reject(c, E.noAuth)
    }
    if (c.multi.inMulti && cmd.flags & CMD.no_multi) {
      return this.reject(c, error('ERR Command not allowed inside a transaction'))
    }
    const denied = subscribedContextError(c, cmd.fullName)
    if (denied) return this.reject(c, denied)
    const replicaDenied = monitorContextError(c, cmd)
    if (replicaDenied) return this.reject(c, replicaDenied)
    // CLIENT PAUSE: postpone the command (even one about to be queued in MULTI) until the pause ends.
    if (this.blocking.pauseType !== 'off' && this.pausesCommand(c, cmd) && this.blocking.checkPauseEnd(this.clock.nowMs())) {
      this.blocking.postpone(c, argv)
      return undefined
    }
    // Persistence (issue 7): MISCONF for writes after a failed BGSAVE (processCommand's disk-error check).
    const diskError = persistenceDenies(this, c, cmd)
    if (diskError) return this.reject(c, diskError)
    if (c.multi.inMulti && !TX_CONTROL.has(cmd.fullName)) {
      return queueMultiCommand(c, cmd, argv)
    }
    return this.call(c, cmd, argv, nowUs)
  }

  /** ALL pauses every command; WRITE those that may write or replicate, and EXEC of a transaction that has some. */
  private pausesCommand(c: Client, cmd: CommandDef): boolean {
    if (this.blocking.pauseType === 'all') return true
    const writes = CMD.write | CMD.may_replicate
    if (cmd.flags & writes) return true
    return cmd.fullName === 'exec' && c.multi.queue.some((q) => q.cmd.flags & writes)
  }

  private protectedAllowed(c: Client): boolean {
    const v = this.config.str('enable-debug-command')
    return v === 'yes' || (v === 'local' && c.local)
  }

  /** rejectCommand: an error reply that counts as a rejected call. */
  private reject(c: Client, r: Reply): Reply {
    if (c.cmd) c.cmd.stats.rejectedCalls++
    flagTransaction(c)
    if (c.cmd?.fullName === 'exec') r = execAbortReply(c, r)
    return this.countError(r)
  }

  /** afterErrorReply: count an error reply in INFO stats and errorstats. */
  countError(r: Reply): Reply {
    if (r.kind !== 'error') return r
    this.stats.totalErrorReplies++
    const text = r.value
    const space = text.indexOf(' ')
    const code = space > 0 && space < 32 ? text.slice(0, space) : 'ERR'
    this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1)
    return r
  }

  /** call(): run the command and account for it. */
  call(c: Client, cmd: CommandDef, argv: string[], startUs = this.clock.nowUs()): Reply | undefined {
    // Commands run by EXEC see EXEC's time (fixed_time_expire in call()).
    if (!c.multi.executing) this.cmdTimeMs = Math.floor(startUs / 1000)
    // Errors replied by commands nested in this one (EXEC) are theirs, not this one's
    // (incrCommandStatsOnError's running mark).
    this.errorMark = this.stats.totalErrorReplies
    // Persistence (issue 7): a running BGSAVE child copies the pages of values this write may change.
    if (this.childActive && cmd.flags & CMD.write) persistenceBeforeWrite(this, c, cmd, argv)
    // Propagation state of this level (call()'s client flags and core_propagates), restored on the way out.
    const prop = this.propagation
    const prevCore = prop.core
    const prevForce = prop.force
    const prevPrevent = prop.prevent
    prop.core = true
    prop.force = 0
    prop.prevent = 0
    const dirtyBefore = this.dirty
    prop.nested++
    // (A command that throws, an engine bug, leaves this level's state behind: processCommand resets it.)
    let r = cmd.run!(c, argv)
    prop.nested--
    // call()'s propagation: the command's (possibly rewritten) argv if it changed the dataset or forced it.
    if ((this.dirty > dirtyBefore || prop.force !== 0) && prop.active) this.propagateCall(c, cmd, this.dirty > dirtyBefore)
    prop.force = prevForce
    prop.prevent = prevPrevent
    // afterCommand: the outermost call emits everything gathered meanwhile (state restored first,
    // so a throwing hook cannot leave it behind).
    prop.core = prevCore
    if (prop.nested === 0 && prop.pending.length > 0) prop.propagatePending()
    if (cmd.fullName === 'ping') r = subscribedPingReply(c, argv, r)
    if (r !== undefined && r.kind === 'error') r = this.countError(r)
    const durationUs = this.clock.nowUs() - startUs
    this.hooks.afterCall?.(c, cmd, argv)
    if (c.blocked) {
      // A blocked command is counted when it is unblocked (updateStatsOnUnblock); MONITOR sees it now.
      c.blockedDurationUs = durationUs
      feedMonitors(this, c, cmd, argv)
      return r
    }
    cmd.stats.calls++
    cmd.stats.usec += durationUs
    if (this.config.bool('latency-tracking')) recordCommandLatency(cmd, durationUs)
    if (this.stats.totalErrorReplies > this.errorMark) cmd.stats.failedCalls++
    this.errorMark = this.stats.totalErrorReplies
    this.stats.numCommands++
    observeCommand(this, c, cmd, argv, durationUs)
    return r
  }

  /**
   * The propagation part of call(): EXEC is never propagated itself (its
   * commands are, wrapped by propagatePending), and preventCommandPropagation
   * masks what dirty or forceCommandPropagation asked for.
   */
  private propagateCall(c: Client, cmd: CommandDef, dirtied: boolean): void {
    const prop = this.propagation
    if (prop.prevent === PROPAGATE_BOTH || cmd.fullName === 'exec') return
    let target = dirtied ? PROPAGATE_BOTH : PROPAGATE_NONE
    target |= prop.force & (PROPAGATE_AOF | PROPAGATE_REPL)
    target &= ~prop.prevent
    if (target !== PROPAGATE_NONE) prop.alsoPropagate(c.db.id, c.argv, target)
  }

  /**
   * Run fn as if `c` were the client executing (serving a blocked client).
   * It is an execution unit of its own: what it propagates goes out when it
   * ends (serveClientsBlockedOn*Key's afterCommand).
   */
  withCurrentClient<T>(c: Client, fn: () => T): T {
    const prev = this.currentClient
    this.currentClient = c
    this.cmdTimeMs = this.clock.nowMs()
    try {
      return this.propagation.unit(fn)
    } finally {
      this.currentClient = prev
    }
  }

  /** updateStatsOnUnblock: the blocked command's call is counted now, with its blocked-time duration. */
  countUnblockedCall(c: Client, replyUs: number, hadErrors: boolean): void {
    const cmd = c.lastCmd
    if (cmd === undefined) return
    const us = c.blockedDurationUs + replyUs
    cmd.stats.calls++
    cmd.stats.usec += us
    if (hadErrors) cmd.stats.failedCalls++
    this.stats.numCommands++
    if (this.config.bool('latency-tracking')) recordCommandLatency(cmd, us)
    observeUnblocked(this, c, cmd, c.argv, us)
  }

  /**
   * beforeSleep: hosts call it once per turn of their event loop, after
   * running the input they read: blocked clients whose time is up get their
   * reply, commands postponed by a pause that ended run again.
   */
  beforeSleep(): void {
    this.blocking.handleTimeouts(this.clock.nowMs())
    if (this.blocking.hasUnblocked) this.blocking.processUnblocked()
    this.hooks.beforeSleep?.()
  }

  // ---- the Keyspace services databases use ---------------------------------

  hasActiveChild(): boolean {
    return this.childActive
  }

  isLoading(): boolean {
    return this.loading
  }

  /** server.loading: set while a file is loaded (no expiry, no propagation meanwhile). */
  setLoading(on: boolean): void {
    this.loading = on
  }

  commandTimeMs(): number {
    return this.cmdTimeMs
  }

  /** Keys do not expire while clients are paused (expireIfNeeded's checkClientPauseTimeoutAndReturnIfPaused). */
  expiryPaused(): boolean {
    return this.blocking.pauseType !== 'off' && this.blocking.checkPauseEnd(this.clock.nowMs())
  }

  /** dbAdd's signalKeyAsReady: a list or zset key appeared, so clients blocked on it may be served. */
  keyAdded(db: Db, key: string, o: RObj): void {
    if (o.type === 'list' || o.type === 'zset') this.blocking.signalKeyAsReady(db, key)
  }

  lazyfreeExpire(): boolean {
    return this.config.bool('lazyfree-lazy-expire')
  }

  /** The policy is one of the LFU ones. */
  lfuPolicy(): boolean {
    return this.lfu
  }

  /**
   * LRU clock: seconds, 24 bits. Like Redis's cached server.lruclock, it is read
   * from the time snapshot taken when the current command (or cron tick) started.
   */
  lruClock(): number {
    return Math.floor(this.cmdTimeMs / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX
  }

  /** LFU time: minutes, 16 bits (LFUGetTimeInMinutes), from the same snapshot. */
  lfuTimeInMinutes(): number {
    return Math.floor(this.cmdTimeMs / 1000 / 60) & 65535
  }

  initAccess(o: RObj): void {
    // Shared integers keep the clock they were created with (createSharedObjects at start-up).
    if (isSharedObject(o)) return
    o.lru = this.lfuPolicy() ? (this.lfuTimeInMinutes() << 8) | LFU_INIT_VAL : this.lruClock()
  }

  touchObject(o: RObj): void {
    if (this.lfuPolicy()) {
      const counter = this.lfuDecrAndReturn(o)
      o.lru = (this.lfuTimeInMinutes() << 8) | this.lfuLogIncr(counter)
    } else {
      o.lru = this.lruClock()
    }
  }

  /** LFUDecrAndReturn: the counter less one per lfu-decay-time minutes elapsed. */
  lfuDecrAndReturn(o: RObj): number {
    const ldt = o.lru >>> 8
    const counter = o.lru & 255
    const now = this.lfuTimeInMinutes()
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now
    const decay = this.config.num('lfu-decay-time')
    const periods = decay ? Math.floor(elapsed / decay) : 0
    return periods ? (periods > counter ? 0 : counter - periods) : counter
  }

  /** LFULogIncr: a logarithmic counter that saturates at 255. */
  private lfuLogIncr(counter: number): number {
    if (counter === 255) return 255
    const r = this.random.next()
    const base = Math.max(0, counter - LFU_INIT_VAL)
    const p = 1 / (base * this.config.num('lfu-log-factor') + 1)
    return r < p ? counter + 1 : counter
  }

  /** estimateObjectIdleTime in ms. */
  idleTimeMs(o: RObj): number {
    const now = this.lruClock()
    const idle = now >= o.lru ? now - o.lru : LRU_CLOCK_MAX - o.lru + now
    return idle * LRU_CLOCK_RESOLUTION
  }

  notify(classFlag: string, event: string, key: string, dbid: number): void {
    this.hooks.keyspaceEvent?.(classFlag, event, key, dbid)
  }

  signalModifiedKey(db: Db, key: string): void {
    touchWatchedKey(db, key)
    this.hooks.modifiedKey?.(db, key)
  }

  /**
   * alsoPropagate: queue an op for the AOF (and replicas) after the running
   * command's own; `target` defaults to both (PROPAGATE_AOF | PROPAGATE_REPL).
   */
  propagate(dbid: number, argv: string[], target: number = PROPAGATE_BOTH): void {
    this.propagation.alsoPropagate(dbid, argv, target)
  }

  trace(e: TraceEvent): void {
    if (this.traceBus.active) this.traceBus.emit(e)
  }

  // ---- cron (serverCron) -----------------------------------------------------

  /** Milliseconds between cron ticks at the current hz. */
  cronIntervalMs(): number {
    return 1000 / this.effectiveHz()
  }

  latencySample(event: string, ms: number): void {
    latencyAddSampleIfNeeded(this, event, ms)
  }

  effectiveHz(): number {
    const hz = this.config.num('hz')
    return Math.min(500, Math.max(1, hz))
  }

  /** One serverCron tick. The host calls it every cronIntervalMs(). */
  cron(): void {
    this.cmdTimeMs = this.clock.nowMs()
    // clientsCron's timeout check and the pause end; postponed commands run in beforeSleep.
    this.beforeSleep()
    // databasesCron: active expiry, then resize and incremental rehash of db dicts.
    // While clients are paused the dataset stays still: no active expiry either.
    // Its DELs go out together at the end of the cycle, never wrapped in MULTI/EXEC.
    if (this.config.bool('active-expire-enabled') && !this.expiryPaused()) {
      this.propagation.unit(() => activeExpireCycle(this, 'slow'), true)
    }
    for (const db of this.dbs) {
      if (db.dict.needsShrink()) db.dict.resizeToFit()
      if (db.expires.needsShrink()) db.expires.resizeToFit()
    }
    if (this.config.bool('activerehashing')) {
      for (const db of this.dbs) {
        const now = () => this.clock.nowMs()
        if (db.dict.isRehashing) {
          db.dict.rehashMilliseconds(1, now)
          break
        }
        if (db.expires.isRehashing) {
          db.expires.rehashMilliseconds(1, now)
          break
        }
      }
    }
    // Persistence (issue 7): the BGSAVE child's step, BGSAVE SCHEDULE and the save points.
    persistenceCron(this)
  }

  /** Remove every key of every database. */
  flushAll(): number {
    let n = 0
    for (const db of this.dbs) n += db.clear()
    this.trace({ type: 'db-flushed', db: 'all' })
    return n
  }

  shutdown(): void {
    this.shuttingDown = true
    for (const c of [...this.clients.values()]) this.disconnect(c)
    this.onShutdown?.()
  }
}

export function createServer(opts: ServerOptions): Server {
  const server = new Server(opts)
  // Persistence (issue 7): CONFIG SET appendonly yes/no reaches the AOF.
  installAof(server)
  return server
}
