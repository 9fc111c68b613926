// Time is injected (design.md "Time and randomness"): the engine never reads the
// wall clock itself. Hosts give it a real clock; tests and lessons a virtual one.

export interface Clock {
  /** Unix time in milliseconds. */
  nowMs(): number
  /** Unix time in microseconds (may be fractional-free integer). */
  nowUs(): number
  /**
   * Block the calling thread for `ms` milliseconds (DEBUG SLEEP: Redis stops its
   * only thread). Hosts that cannot block may leave it out; the command then
   * returns at once.
   */
  sleep?(ms: number): void
}

/** A clock that only moves when told to: for tests and reproducible lessons. */
export class VirtualClock implements Clock {
  private us: number
  constructor(startMs = 1_700_000_000_000) {
    this.us = startMs * 1000
  }
  nowMs(): number {
    return Math.floor(this.us / 1000)
  }
  nowUs(): number {
    return this.us
  }
  advance(ms: number): void {
    this.us += Math.round(ms * 1000)
  }
  set(ms: number): void {
    this.us = ms * 1000
  }
  /** Sleeping on a virtual clock is time passing. */
  sleep(ms: number): void {
    this.advance(ms)
  }
}
