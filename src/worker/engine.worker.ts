/// <reference lib="webworker" />
// The engine's module worker: one EngineHost exposed with comlink. The page
// reaches it only through src/engine-client.ts.

import * as Comlink from 'comlink'
import { EngineHost } from './host.ts'
import { browserClock, randomSeed } from './browser-clock.ts'
import type { EngineApi, EngineOptions, PersistenceApi } from './types.ts'
import { WorkerBoot } from './persistence.ts'
import { openIdbStorage } from './idb-storage.ts'

const scope = self as unknown as DedicatedWorkerGlobalScope

// Start-up (issue 7): the data lock, IndexedDB and loading dump.rdb come before the
// first command; every EngineApi call below waits for boot (see gated()).
const boot = new WorkerBoot({
  makeHost: (seed) =>
    new EngineHost({
      clock: browserClock,
      seed,
      setTimer: (fn, ms) => void setTimeout(fn, ms),
      // Dedicated workers have requestAnimationFrame in Chromium and Firefox; a 16 ms timer elsewhere.
      nextFrame: (fn) => (typeof scope.requestAnimationFrame === 'function' ? scope.requestAnimationFrame(fn) : setTimeout(fn, 16)),
    }),
  clock: browserClock,
  locks: scope.navigator.locks,
  openStorage: () => openIdbStorage(),
  randomSeed,
})

/** The running host (the calls that use it run through boot.gate, after start-up); start(opts) passes the seed before boot. */
function start(opts: EngineOptions = {}): EngineHost {
  if (opts.seed !== undefined) boot.seed ??= opts.seed
  return boot.host!
}

/** The comlink surface: EngineApi plus start() to pass options before first use. */
const api: EngineApi & { start(opts?: EngineOptions): void } = {
  start: (opts) => void start(opts),
  info: () => start().info(),
  setSeed: (seed) => start().setSeed(seed),
  openClient: (sink) => start().openClient(sink),
  closeClient: (id) => start().closeClient(id),
  send: (id, argv) => {
    const r = start().send(id, argv)
    // Hand the reply buffers over instead of copying them.
    const buffers = r.frames.flatMap((f) => ('bytes' in f ? [f.bytes.buffer as ArrayBuffer] : []))
    return Comlink.transfer(r, buffers)
  },
  commandDocs: () => {
    const bytes = start().commandDocs()
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer])
  },
  inspect: (db, key, window) => start().inspect(db, key, window),
  commandKeys: (argv) => start().commandKeys(argv),
  scanKeys: (db, cursor, opts) => start().scanKeys(db, cursor, opts),
  keyMeta: (db, key) => start().keyMeta(db, key),
  keysInfo: (db, keys) => start().keysInfo(db, keys),
  dbSize: (db) => start().dbSize(db),
  thresholds: () => start().thresholds(),
  subscribeTrace: (sink) => start().subscribeTrace(sink),
  unsubscribeTrace: (token) => start().unsubscribeTrace(token),
}

/** Every call but start() waits until the server runs (at once once it does). */
function gated<T extends object>(o: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, fn] of Object.entries(o) as [string, (...a: unknown[]) => unknown][]) {
    out[k] = k === 'start' ? fn : (...a: unknown[]) => boot.gate(() => fn(...a))
  }
  return out as T
}

/** Persistence (src/worker/persistence.ts): boot, status, import/export (buffers transferred), reset. */
const persistenceApi: PersistenceApi = {
  boot: (opts) => boot.boot(opts),
  pageHidden: () => boot.pageHidden(),
  serverLog: (from) => boot.serverLog(from),
  persistenceStatus: () => boot.persistenceStatus(),
  exportRdb: (source) => {
    const f = boot.exportRdb(source)
    return f === null ? null : Comlink.transfer(f, [f.bytes.buffer as ArrayBuffer])
  },
  exportAof: () => {
    const files = boot.exportAof()
    return Comlink.transfer(files, files.map((f) => f.bytes.buffer as ArrayBuffer))
  },
  importRdb: (bytes) => boot.importRdb(bytes),
  resetData: () => boot.resetData(),
}
const { boot: bootCall, pageHidden, serverLog, ...afterBoot } = persistenceApi

Comlink.expose({ ...gated(api), ...gated(afterBoot), boot: bootCall, pageHidden, serverLog }, scope)

export type WorkerApi = typeof api & PersistenceApi
