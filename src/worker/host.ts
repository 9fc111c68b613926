// The engine host behind the worker's comlink API: one Server, its clients and
// its cron. Kept free of worker globals (timers and frame scheduling are
// injected) so it runs under vitest as well as in the worker.

import { createServer, type Server } from '../../engine/server/server.ts'
import type { Client } from '../../engine/server/client.ts'
import type { Clock } from '../../engine/server/clock.ts'
import { SeededRandom } from '../../engine/server/random.ts'
import { encodeReply } from '../../engine/protocol/encoder.ts'
import type { Reply } from '../../engine/protocol/reply.ts'
import { commandDocsListReply, getKeysFromCommand, REDIS_VERSION } from '../../engine/server/command-metadata.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'
import { inspect, type InspectWindow, type KeySnapshot } from '../../engine/introspect/inspect.ts'
import type { EngineApi, EngineInfo, Frame, FrameSink, OpenedClient, SendResult, TraceSink } from './types.ts'
import * as keyListing from './key-listing.ts'

export interface HostOptions {
  clock: Clock
  seed: number
  /** Run fn after `ms` (the cron); returns nothing, the host never cancels. */
  setTimer: (fn: () => void, ms: number) => void
  /** Run fn at the next animation frame (trace batching). */
  nextFrame: (fn: () => void) => void
  /** Run fn once the current task is done (batching pushes). */
  microtask?: (fn: () => void) => void
  /** Start the cron loop (off in unit tests that drive cron by hand). */
  cron?: boolean
}

interface HostedClient {
  client: Client
  sink: FrameSink
  seq: number
  /** Set while this client's own command runs: its pushes join send()'s result. */
  capture: Frame[] | undefined
  /** Frames produced outside this client's calls, flushed once per task. */
  pending: Frame[]
  flushQueued: boolean
}

/** The configs an encoding view draws its gauges against. */
/** The most trace events one delivery carries (the newest); older ones become one events-dropped. */
export const TRACE_BATCH_MAX = 10_000

const THRESHOLDS = [
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
  'set-max-intset-entries',
  'list-max-listpack-size',
  'list-compress-depth',
]

export class EngineHost implements EngineApi {
  readonly server: Server
  private readonly clients = new Map<number, HostedClient>()
  private readonly traceSinks = new Map<number, TraceSink>()
  private traceBatch: TraceEvent[] = []
  /** Events trimmed from the front of traceBatch since the last delivery. */
  private traceDropped = 0
  private traceFlushQueued = false
  private unsubscribeBus: (() => void) | undefined
  private nextTraceToken = 1
  private readonly microtask: (fn: () => void) => void

  constructor(private readonly opts: HostOptions) {
    this.microtask = opts.microtask ?? ((fn) => queueMicrotask(fn))
    this.server = createServer({
      clock: opts.clock,
      random: new SeededRandom(opts.seed),
      // Learners may use DEBUG and OBJECT freely from the REPL: every REPL client is local.
      config: { 'enable-debug-command': 'local' },
    })
    if (opts.cron !== false) this.scheduleCron()
  }

  private scheduleCron(): void {
    this.opts.setTimer(() => {
      if (this.server.shuttingDown) return
      try {
        this.server.cron()
        // Blocked clients time out at cron resolution, as in Redis (clientsCron + beforeSleep).
        this.server.beforeSleep()
      } finally {
        this.scheduleCron()
      }
    }, this.server.cronIntervalMs())
  }

  private beforeSleepQueued = false

  /**
   * beforeSleep once the current batch of commands is done (the end of an event
   * loop turn): clients a command unblocked get served, a pause that ended
   * releases its postponed commands.
   */
  private scheduleBeforeSleep(): void {
    if (this.beforeSleepQueued) return
    this.beforeSleepQueued = true
    this.microtask(() => {
      this.beforeSleepQueued = false
      this.server.beforeSleep()
    })
  }

  info(): EngineInfo {
    return { version: REDIS_VERSION, seed: this.seed ?? this.opts.seed }
  }

  /** The seed setSeed() last fixed (info() reports it). */
  private seed: number | undefined

  setSeed(seed: number): void {
    const s = seed >>> 0
    const r = this.server.random
    // Reseed in place: existing skiplists hold this same generator.
    if (r instanceof SeededRandom) r.reseed(s)
    this.seed = s
  }

  openClient(sink: FrameSink): OpenedClient {
    const client = this.server.connect({ local: true })
    const h: HostedClient = { client, sink, seq: 0, capture: undefined, pending: [], flushQueued: false }
    client.onPush = (r: Reply) => this.emit(h, 'push', r)
    client.onClose = () => this.emitClosed(h)
    // A blocked command's answer comes later (served, timed out, CLIENT UNBLOCK, a pause ending):
    // its reply if it has one, the pushes that follow it, then the end of the block.
    client.onUnblocked = (r: Reply | undefined) => {
      if (r !== undefined) this.emit(h, 'reply', r)
      for (const p of client.takeAfterReply()) this.emit(h, 'push', p)
      this.deliver(h, { seq: 0, kind: 'unblocked' })
    }
    this.clients.set(client.id, h)
    return { id: client.id, firstSeq: 0 }
  }

  closeClient(id: number): void {
    const h = this.clients.get(id)
    if (!h) return
    this.clients.delete(id)
    // Closing from the page: nobody is listening any more.
    h.client.onPush = () => {}
    h.client.onClose = () => {}
    h.client.close()
  }

  send(id: number, argv: string[]): SendResult {
    const h = this.clients.get(id)
    if (!h) throw new Error(`no client ${id}`)
    if (h.client.closed) return { frames: [{ seq: h.seq++, kind: 'closed' }], blocked: false }
    // Redis reads nothing more from a blocked client; the REPL waits for 'unblocked' first.
    if (h.client.blocked) throw new Error(`client ${id} is blocked: wait for its reply first`)
    // Frames captured during the call get their numbers at the end, once ordered.
    const captured: Frame[] = []
    h.capture = captured
    let reply: Reply | undefined
    try {
      reply = h.client.call(argv)
      // QUIT: the reply is written, then the connection closes (CLIENT_CLOSE_AFTER_REPLY).
      if (h.client.closeAfterReply && !h.client.closed) h.client.close()
    } finally {
      h.capture = undefined
    }
    // The socket order: pushes, the reply, then the close.
    const frames: Frame[] = captured.filter((f) => f.kind !== 'closed')
    if (reply !== undefined) frames.push({ seq: 0, kind: 'reply', bytes: encodeReply(reply, h.client.resp) })
    // Pushes that must follow the reply (client-tracking invalidations of keys it wrote).
    for (const p of h.client.takeAfterReply()) frames.push({ seq: 0, kind: 'push', bytes: encodeReply(p, h.client.resp) })
    if (captured.some((f) => f.kind === 'closed')) frames.push({ seq: 0, kind: 'closed' })
    for (const f of frames) f.seq = h.seq++
    this.scheduleBeforeSleep()
    return { frames, blocked: !h.client.closed && h.client.blocked }
  }

  inspect(db: number, key: string, window?: InspectWindow): KeySnapshot | null {
    return inspect(this.server, db, key, window)
  }

  // ---- key browser (issue 6): reads that leave no trace in the server -------

  scanKeys(db: number, cursor: number, opts?: keyListing.KeyScanOptions): keyListing.KeyScanResult {
    return keyListing.scanKeys(this.server, db, cursor, opts)
  }

  keyMeta(db: number, key: string): keyListing.KeyMeta | null {
    return keyListing.keyMeta(this.server, db, key)
  }

  keysInfo(db: number, keys: string[]): (keyListing.KeyInfo | null)[] {
    return keyListing.keysInfo(this.server, db, keys)
  }

  dbSize(db: number): number {
    return keyListing.dbSize(this.server, db)
  }

  commandKeys(argv: string[]): string[] {
    const cmd = this.server.commands.lookup(argv)
    if (cmd === undefined || argv.length < 2) return []
    const refs = getKeysFromCommand(cmd.meta, argv)
    return 'error' in refs ? [] : refs.map((k) => argv[k.pos])
  }

  thresholds(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const name of THRESHOLDS) out[name] = this.server.config.num(name)
    return out
  }

  commandDocs(): Uint8Array {
    return encodeReply(commandDocsListReply([], this.server.commands.isImplemented), 2)
  }

  subscribeTrace(sink: TraceSink): number {
    const token = this.nextTraceToken++
    this.traceSinks.set(token, sink)
    this.unsubscribeBus ??= this.server.traceBus.subscribe((e) => this.queueTrace(e))
    return token
  }

  unsubscribeTrace(token: number): void {
    this.traceSinks.delete(token)
    if (this.traceSinks.size === 0 && this.unsubscribeBus) {
      this.unsubscribeBus()
      this.unsubscribeBus = undefined
      this.traceBatch = []
      this.traceDropped = 0
    }
  }

  // ---- delivery -------------------------------------------------------------

  private emit(h: HostedClient, kind: 'push' | 'reply', r: Reply): void {
    this.deliver(h, { seq: 0, kind, bytes: encodeReply(r, h.client.resp) })
  }

  private emitClosed(h: HostedClient): void {
    this.deliver(h, { seq: 0, kind: 'closed' })
  }

  private deliver(h: HostedClient, frame: Frame): void {
    if (h.capture) {
      h.capture.push(frame)
      return
    }
    frame.seq = h.seq++
    h.pending.push(frame)
    if (h.flushQueued) return
    h.flushQueued = true
    // One message per client per task: a PUBLISH loop or MONITOR flood stays cheap.
    this.microtask(() => {
      h.flushQueued = false
      const batch = h.pending
      h.pending = []
      if (batch.length > 0) h.sink(batch)
    })
  }

  private queueTrace(e: TraceEvent): void {
    const batch = this.traceBatch
    batch.push(e)
    // Keep the newest TRACE_BATCH_MAX: a million-key DEBUG POPULATE would otherwise be cloned
    // to every subscriber at ~1 s each on the page's thread. Trimmed in halves, so O(1) per event.
    if (batch.length >= 2 * TRACE_BATCH_MAX) {
      this.traceDropped += batch.length - TRACE_BATCH_MAX
      this.traceBatch = batch.slice(batch.length - TRACE_BATCH_MAX)
    }
    if (this.traceFlushQueued) return
    this.traceFlushQueued = true
    this.opts.nextFrame(() => {
      this.traceFlushQueued = false
      let out = this.traceBatch
      const dropped = this.traceDropped + Math.max(0, out.length - TRACE_BATCH_MAX)
      if (out.length > TRACE_BATCH_MAX) out = out.slice(out.length - TRACE_BATCH_MAX)
      this.traceBatch = []
      this.traceDropped = 0
      if (dropped > 0) out.unshift({ type: 'events-dropped', count: dropped })
      if (out.length === 0) return
      for (const sink of this.traceSinks.values()) sink(out)
    })
  }
}
