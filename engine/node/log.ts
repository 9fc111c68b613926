// The server log in redis-server's format (server.c serverLogRaw):
//   <pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level char> <message>
// role is 'C' before the server is set up (config loading, like Redis's child/
// early logs) and 'M' (master) after; level chars are . - * # for debug,
// verbose, notice, warning. Lines go to stdout, or appended to `logfile`.

import { appendFileSync } from 'node:fs'

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning'

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 }
const MARKS = ['.', '-', '*', '#']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export interface LoggerOptions {
  /** Minimum level written (Redis's loglevel). */
  level?: LogLevel
  /** Append to this file instead of writing to stdout ('' = stdout). */
  file?: string
  /** Where lines go when there is no file (tests capture it). */
  write?: (line: string) => void
}

export class Logger {
  level: LogLevel
  file: string
  role = 'C'
  private readonly write: (line: string) => void

  constructor(opts: LoggerOptions = {}) {
    this.level = opts.level ?? 'notice'
    this.file = opts.file ?? ''
    this.write = opts.write ?? ((line) => process.stdout.write(line))
  }

  enabled(level: LogLevel): boolean {
    return LEVELS[level] >= LEVELS[this.level]
  }

  log(level: LogLevel, msg: string): void {
    if (!this.enabled(level)) return
    const line = `${process.pid}:${this.role} ${timestamp(new Date())} ${MARKS[LEVELS[level]]} ${msg}\n`
    if (this.file) {
      try {
        appendFileSync(this.file, line)
        return
      } catch {
        // Like Redis, a log file that cannot be opened loses the line; stdout is the fallback here.
      }
    }
    this.write(line)
  }

  debug(msg: string): void {
    this.log('debug', msg)
  }

  verbose(msg: string): void {
    this.log('verbose', msg)
  }

  notice(msg: string): void {
    this.log('notice', msg)
  }

  warning(msg: string): void {
    this.log('warning', msg)
  }
}

/** "23 Nov 2026 00:58:49.625" in local time, as strftime("%d %b %Y %H:%M:%S.") + ms. */
export function timestamp(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0')
  return (
    `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
  )
}
