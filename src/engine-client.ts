// The one module that owns the comlink proxy to the engine worker
// (design.md "Worker boundary"). Everything else talks to EngineConnection.

import * as Comlink from 'comlink'
import type { WorkerApi } from './worker/engine.worker.ts'
import type { Frame, SendResult } from './worker/types.ts'
import type { TraceEvent } from '../engine/introspect/events.ts'
import type { InspectWindow, KeySnapshot } from '../engine/introspect/inspect.ts'
import type { KeyInfo, KeyMeta, KeyScanOptions, KeyScanResult } from './worker/key-listing.ts'

let remote: Comlink.Remote<WorkerApi> | undefined
let worker: Worker | undefined

/** The worker, started on first use. */
export function engine(): Comlink.Remote<WorkerApi> {
  if (!remote) {
    // The built index.html has already started it (vite.config.ts, startEngineWorkerEarly).
    const early = (globalThis as { __glassboxWorker?: Worker }).__glassboxWorker
    worker = early ?? new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'glassbox-engine' })
    remote = Comlink.wrap<WorkerApi>(worker)
    const seed = new URLSearchParams(location.search).get('seed')
    if (seed !== null && /^\d+$/.test(seed)) void remote.start({ seed: Number(seed) >>> 0 })
    // Start-up first (issue 7, src/worker/persistence.ts): own the data saved in this browser, or with
    // ?storage=memory a server that saves nothing. Every other call waits for it.
    void remote.boot(new URLSearchParams(location.search).get('storage') === 'memory' ? { storage: 'memory' } : {})
  }
  return remote
}

/**
 * One engine client as the page sees it: frames arrive in the order the engine
 * produced them, whichever channel carried them.
 */
export class EngineConnection {
  private nextSeq = 0
  private readonly early = new Map<number, Frame>()
  private listeners: ((f: Frame) => void)[] = []
  closed = false

  private constructor(readonly id: number) {}

  static async open(): Promise<EngineConnection> {
    // Frames may arrive before openClient's answer: hold them until the connection exists.
    const slot: { conn?: EngineConnection; buffered: Frame[][] } = { buffered: [] }
    const sink = Comlink.proxy((frames: Frame[]) => {
      if (slot.conn) slot.conn.accept(frames)
      else slot.buffered.push(frames)
    })
    const opened = await engine().openClient(sink)
    const conn = new EngineConnection(opened.id)
    conn.nextSeq = opened.firstSeq
    slot.conn = conn
    for (const b of slot.buffered) conn.accept(b)
    return conn
  }

  /** Receive every frame after the ones send() returns, in order (pushes, late replies, close). */
  onFrame(fn: (f: Frame) => void): () => void {
    this.listeners.push(fn)
    return () => (this.listeners = this.listeners.filter((l) => l !== fn))
  }

  /**
   * Run one command. The result's frames (pushes made during the call, then the
   * reply) are also dispatched to onFrame listeners, in order.
   */
  async send(argv: string[]): Promise<SendResult> {
    const r = await engine().send(this.id, argv)
    this.accept(r.frames)
    return r
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.listeners = []
    void engine().closeClient(this.id)
  }

  private accept(frames: Frame[]): void {
    for (const f of frames) this.early.set(f.seq, f)
    for (let f = this.early.get(this.nextSeq); f !== undefined; f = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq)
      this.nextSeq++
      if (f.kind === 'closed') this.closed = true
      for (const l of this.listeners) l(f)
    }
  }
}

/** COMMAND DOCS of every implemented command, RESP2 bytes. */
export function commandDocs(): Promise<Uint8Array> {
  return engine().commandDocs()
}

/** One key's structure as the engine holds it, or null (design.md "Introspection"). */
export function inspectKey(db: number, key: string, window?: InspectWindow): Promise<KeySnapshot | null> {
  return engine().inspect(db, key, window)
}

/** Key browser: one SCAN step of a db that leaves no trace in the server (src/worker/key-listing.ts). */
export function scanKeys(db: number, cursor: number, opts?: KeyScanOptions): Promise<KeyScanResult> {
  return engine().scanKeys(db, cursor, opts)
}

/** Key browser: type, encoding, TTL and MEMORY USAGE of a key, without touching it. */
export function keyMeta(db: number, key: string): Promise<KeyMeta | null> {
  return engine().keyMeta(db, key)
}

/** Key browser: type, encoding and TTL of several keys; null for missing ones. */
export function keysInfo(db: number, keys: string[]): Promise<(KeyInfo | null)[]> {
  return engine().keysInfo(db, keys)
}

/** DBSIZE of a db, not run as a command. */
export function dbSize(db: number): Promise<number> {
  return engine().dbSize(db)
}

/** The keys a command line names (COMMAND GETKEYS). */
export function commandKeys(argv: string[]): Promise<string[]> {
  return engine().commandKeys(argv)
}

/** Restart the engine's random sequence from `seed`: the same commands then draw the same skiplist levels. */
export function setSeed(seed: number): Promise<void> {
  return engine().setSeed(seed)
}

/** The engine's version and its random seed (the one fixed last, else the start seed). */
export function engineInfo(): Promise<{ version: string; seed: number }> {
  return engine().info()
}

/** The encoding thresholds in force (CONFIG GET). */
export function thresholds(): Promise<Record<string, number>> {
  return engine().thresholds()
}

/** Trace events, batched per animation frame by the worker. Returns an unsubscribe function. */
export async function subscribeTrace(fn: (events: TraceEvent[]) => void): Promise<() => void> {
  const token = await engine().subscribeTrace(Comlink.proxy(fn))
  return () => void engine().unsubscribeTrace(token)
}
