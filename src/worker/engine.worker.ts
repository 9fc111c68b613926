/// <reference lib="webworker" />
// The engine's module worker: one EngineHost exposed with comlink. The page
// reaches it only through src/engine-client.ts.

import * as Comlink from 'comlink'
import { EngineHost } from './host.ts'
import { browserClock, randomSeed } from './browser-clock.ts'
import type { EngineApi, EngineOptions } from './types.ts'

const scope = self as unknown as DedicatedWorkerGlobalScope

let host: EngineHost | undefined

function start(opts: EngineOptions = {}): EngineHost {
  host ??= new EngineHost({
    clock: browserClock,
    seed: opts.seed ?? randomSeed(),
    setTimer: (fn, ms) => void setTimeout(fn, ms),
    // Dedicated workers have requestAnimationFrame in Chromium and Firefox; a 16 ms timer elsewhere.
    nextFrame: (fn) => (typeof scope.requestAnimationFrame === 'function' ? scope.requestAnimationFrame(fn) : setTimeout(fn, 16)),
  })
  return host
}

/** The comlink surface: EngineApi plus start() to pass options before first use. */
const api: EngineApi & { start(opts?: EngineOptions): void } = {
  start: (opts) => void start(opts),
  info: () => start().info(),
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
  thresholds: () => start().thresholds(),
  subscribeTrace: (sink) => start().subscribeTrace(sink),
  unsubscribeTrace: (token) => start().unsubscribeTrace(token),
}

Comlink.expose(api, scope)

export type WorkerApi = typeof api
