// The real clock for the engine in a browser worker (design.md "Time and
// randomness"): wall time from performance.timeOrigin + performance.now(), which
// is monotonic within the worker and precise to microseconds where allowed.

import type { Clock } from '../../engine/server/clock.ts'

const nowFloatMs = (): number => performance.timeOrigin + performance.now()

/**
 * DEBUG SLEEP blocks Redis's only thread; here it blocks the worker's. Atomics.wait
 * sleeps without burning CPU but needs SharedArrayBuffer (cross-origin isolation);
 * elsewhere a busy loop does the same job. The page is never blocked: it is
 * another thread.
 */
function sleep(ms: number): void {
  if (!(ms > 0)) return
  if (typeof SharedArrayBuffer === 'function' && typeof Atomics?.wait === 'function') {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
      return
    } catch {
      // Atomics.wait is not allowed on this thread: fall through to the loop.
    }
  }
  const end = nowFloatMs() + ms
  while (nowFloatMs() < end) {
    // spin
  }
}

export const browserClock: Clock = {
  nowMs: () => Math.floor(nowFloatMs()),
  nowUs: () => Math.floor(nowFloatMs() * 1000),
  sleep,
}

/** A random 32-bit seed for the engine's Random, unless the page asked for one. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]
}
