// The slow log (slowlog.c): the latest commands whose execution took at least
// slowlog-log-slower-than µs, newest first, at most slowlog-max-len of them.
// call() feeds it after every command (slowlogPushCurrentCommand); SLOWLOG reads it.

import type { Server } from './server.ts'
import type { Client } from './client.ts'

/** SLOWLOG_ENTRY_MAX_ARGC / SLOWLOG_ENTRY_MAX_STRING (slowlog.h). */
export const SLOWLOG_ENTRY_MAX_ARGC = 32
export const SLOWLOG_ENTRY_MAX_STRING = 128

export interface SlowlogEntry {
  readonly id: number
  /** Unix seconds when the entry was logged. */
  readonly time: number
  readonly durationUs: number
  readonly argv: readonly string[]
  /** Client address (getClientPeerId) and name at the time. */
  readonly peer: string
  readonly name: string
}

export class Slowlog {
  /** Newest first (Redis adds at the list head). */
  entries: SlowlogEntry[] = []
  nextId = 0

  /** slowlogPushEntryIfNeeded: log when enabled and slow enough, then trim to slowlog-max-len. */
  pushIfNeeded(server: Server, c: Client, argv: readonly string[], durationUs: number): void {
    if (slowlogWants(server, durationUs)) {
      this.entries.unshift({
        id: this.nextId++,
        time: Math.floor(server.clock.nowMs() / 1000),
        durationUs,
        argv: slowlogArgv(argv),
        peer: c.addr,
        name: c.name,
      })
    }
    // Trimmed on every call, so a lowered slowlog-max-len applies at the next command.
    const max = server.config.num('slowlog-max-len')
    if (this.entries.length > max) this.entries.length = max
  }

  reset(): void {
    this.entries = []
  }
}

/**
 * slowlogCreateEntry's argument copy: at most 32 arguments, the last kept slot
 * saying how many were left out, and strings cut at 128 bytes.
 */
export function slowlogArgv(argv: readonly string[]): string[] {
  const argc = Math.min(argv.length, SLOWLOG_ENTRY_MAX_ARGC)
  const out: string[] = []
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`)
    } else if (argv[j].length > SLOWLOG_ENTRY_MAX_STRING) {
      out.push(`${argv[j].slice(0, SLOWLOG_ENTRY_MAX_STRING)}... (${argv[j].length - SLOWLOG_ENTRY_MAX_STRING} more bytes)`)
    } else {
      out.push(argv[j])
    }
  }
  return out
}

const slowlogs = new WeakMap<Server, Slowlog>()

/** The server's slow log (created on first use). */
/** The duration reaches slowlog-log-slower-than (a negative threshold disables the log). */
export function slowlogWants(server: Server, durationUs: number): boolean {
  const slower = server.config.num('slowlog-log-slower-than')
  return slower >= 0 && durationUs >= slower
}

export function slowlogOf(server: Server): Slowlog {
  let s = slowlogs.get(server)
  if (!s) {
    s = new Slowlog()
    slowlogs.set(server, s)
  }
  return s
}
