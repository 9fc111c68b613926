// The real clock for the Node host. Both readings come from one source
// (performance.timeOrigin + now) so ms and µs never disagree.

import type { Clock } from '../server/clock.ts'

export class SystemClock implements Clock {
  private readonly sleepCell = new Int32Array(new SharedArrayBuffer(4))

  nowUs(): number {
    return Math.floor((performance.timeOrigin + performance.now()) * 1000)
  }

  nowMs(): number {
    return Math.floor(this.nowUs() / 1000)
  }

  /** Block the thread, as Redis's DEBUG SLEEP blocks its only thread. */
  sleep(ms: number): void {
    if (ms > 0) Atomics.wait(this.sleepCell, 0, 0, ms)
  }
}
