// The real clock for the Node host. Both readings come from one source
// (the time origin + performance.now()) so ms and µs never disagree.
//
// The engine reads the clock several times per command (call() times every
// command, lookups stamp the LRU clock), so the reading is kept cheap: the
// `performance` object and its time origin are looked up once, not through
// the global's lazy getter and the timeOrigin accessor on every call.

import { performance } from 'node:perf_hooks'
import type { Clock } from '../server/clock.ts'

const now = performance.now.bind(performance)

export class SystemClock implements Clock {
  private readonly sleepCell = new Int32Array(new SharedArrayBuffer(4))
  private readonly originUs = performance.timeOrigin * 1000

  nowUs(): number {
    return Math.floor(this.originUs + now() * 1000)
  }

  nowMs(): number {
    return Math.floor(this.nowUs() / 1000)
  }

  /** Block the thread, as Redis's DEBUG SLEEP blocks its only thread. */
  sleep(ms: number): void {
    if (ms > 0) Atomics.wait(this.sleepCell, 0, 0, ms)
  }
}
