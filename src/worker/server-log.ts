// The in-page server's log, in redis-server's line format (server.c
// serverLogRaw, like engine/node/log.ts which the browser cannot import):
//   <pid>:M <dd Mon yyyy HH:MM:SS.mmm> <mark> <message>
// with marks . - * # for debug, verbose, notice, warning. Lines are kept in
// memory (the last MAX_LINES) for the app to show.

import type { RdbLogLevel } from '../../engine/persistence/rdb.ts'

const MARKS: Record<RdbLogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' }
const RANK: Record<RdbLogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 }
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MAX_LINES = 500

/** "23 Nov 2026 00:58:49.625" in local time (strftime "%d %b %Y %H:%M:%S." plus milliseconds). */
export function logTimestamp(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return (
    `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
  )
}

export class ServerLog {
  /** Lines kept, oldest first. */
  readonly lines: string[] = []
  /** Minimum level kept (Redis's loglevel). */
  level: RdbLogLevel = 'notice'
  /** Lines written since the start, including the ones dropped. */
  written = 0

  constructor(
    readonly pid: number,
    private readonly now: () => number,
  ) {}

  log(level: RdbLogLevel, msg: string): void {
    if (RANK[level] < RANK[this.level]) return
    // Redis's messages may end with a newline of their own (the "Too many databases" one does).
    const text = msg.replace(/\n+$/, '')
    this.lines.push(`${this.pid}:M ${logTimestamp(new Date(this.now()))} ${MARKS[level]} ${text}`)
    this.written++
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES)
  }

  /** The lines written after `written` had the value `from`. */
  since(from: number): string[] {
    return this.lines.slice(Math.max(0, this.lines.length - (this.written - from)))
  }
}
