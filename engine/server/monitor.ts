// MONITOR (replicationFeedMonitors, Redis 7.0.15): clients in monitor mode get
// one status line per command executed by anyone, fed from call() after the
// command ran: `+<sec>.<usec> [<db> <addr>] "arg" ...`. A monitor is flagged
// as a replica in Redis, so commands that touch the keyspace are refused to it.

import { error, status, type Reply } from '../protocol/reply.ts'
import { string2llNumber } from '../structures/numbers.ts'
import type { Server } from './server.ts'
import type { Client } from './client.ts'
import { CMD, type CommandDef } from './command-table.ts'
import { latencyAddSampleIfNeeded } from './latency.ts'
import { slowlogOf, slowlogWants } from './slowlog.ts'

const monitorSets = new WeakMap<Server, Set<Client>>()

function monitorsOf(server: Server): Set<Client> {
  let s = monitorSets.get(server)
  if (!s) {
    s = new Set()
    monitorSets.set(server, s)
  }
  return s
}

/** The client is in monitor mode. */
export function isMonitor(c: Client): boolean {
  return monitorSets.get(c.server)?.has(c) ?? false
}

/** Number of clients in monitor mode. */
export function monitorCount(server: Server): number {
  return monitorSets.get(server)?.size ?? 0
}

/** monitorCommand: enter monitor mode; a client already in it gets no reply at all. */
export function monitorCommand(c: Client): Reply | undefined {
  // EXEC runs its queue with CLIENT_DENY_BLOCKING set.
  if (c.multi.executing) return error("ERR MONITOR isn't allowed for DENY BLOCKING client")
  if (isMonitor(c)) return undefined
  monitorsOf(c.server).add(c)
  return status('OK')
}

/** Leave monitor mode (RESET, disconnect). */
export function leaveMonitorMode(c: Client): void {
  monitorSets.get(c.server)?.delete(c)
}

/**
 * processCommand's replica check: a monitor (CLIENT_SLAVE) may not run commands
 * that read, write or may replicate.
 */
export function monitorContextError(c: Client, cmd: CommandDef): Reply | undefined {
  if (!(cmd.flags & (CMD.readonly | CMD.write | CMD.may_replicate))) return undefined
  if (!isMonitor(c)) return undefined
  return error("ERR Replica can't interact with the keyspace")
}

const REDACTED = '(redacted)'

/**
 * The arguments as logged (c->original_argv after redactClientCommandArgument):
 * AUTH hides its password (and user), HELLO the AUTH pair of a valid request.
 */
export function loggedArgv(cmd: CommandDef, argv: readonly string[]): readonly string[] {
  if (cmd.fullName === 'auth') {
    // authCommand redacts only once the argument count is accepted.
    if (argv.length > 3) return argv
    return argv.map((a, i) => (i === 0 ? a : REDACTED))
  }
  if (cmd.fullName === 'hello' && argv.length >= 2) {
    // helloCommand checks the protocol version first, then redacts AUTH pairs while parsing options.
    const ver = string2llNumber(argv[1])
    if (ver !== 2 && ver !== 3) return argv
    const out = [...argv]
    for (let j = 2; j < argv.length; j++) {
      const more = argv.length - 1 - j
      const opt = argv[j].toLowerCase()
      if (opt === 'auth' && more >= 2) {
        out[j + 1] = REDACTED
        out[j + 2] = REDACTED
        j += 2
      } else if (opt === 'setname' && more) {
        j++
      } else {
        break
      }
    }
    return out
  }
  return argv
}

/** sdscatrepr: double-quoted, with C escapes and \xHH for unprintable bytes. */
export function catRepr(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    const code = s.charCodeAt(i)
    if (ch === '\\' || ch === '"') out += `\\${ch}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code === 7) out += '\\a'
    else if (code === 8) out += '\\b'
    else if (code >= 0x20 && code <= 0x7e) out += ch
    else out += `\\x${code.toString(16).padStart(2, '0')}`
  }
  return `${out}"`
}

/**
 * call()'s monitor feed: every executed command except admin and
 * skip_monitor ones, with the db selected after it ran.
 */
export function feedMonitors(server: Server, c: Client, cmd: CommandDef, argv: readonly string[]): void {
  const set = monitorSets.get(server)
  if (!set || set.size === 0) return
  if (cmd.flags & (CMD.skip_monitor | CMD.admin)) return
  if (server.isLoading()) return
  const us = Math.floor(server.clock.nowUs())
  const sec = Math.floor(us / 1e6)
  const micros = String(us - sec * 1e6).padStart(6, '0')
  const args = loggedArgv(cmd, argv).map(catRepr).join(' ')
  const line = status(`${sec}.${micros} [${c.db.id} ${c.addr}] ${args}`)
  // The monitor's own command (PING, say): its line goes after its reply, as Redis appends it after call() replied.
  for (const m of set) {
    if (m === c) m.pushAfterReply(line)
    else m.push(line)
  }
}

/**
 * What call() does after a command ran, in Redis's order: the latency sample
 * ("fast-command" for CMD_FAST commands, else "command", in whole ms), the slow
 * log (unless skip_slowlog) and the MONITOR feed. Arguments are logged redacted.
 */
/** updateStatsOnUnblock's slow log and latency sample for a command that was blocked. */
export function observeUnblocked(server: Server, c: Client, cmd: CommandDef, argv: readonly string[], durationUs: number): void {
  const us = Math.floor(durationUs)
  latencyAddSampleIfNeeded(server, cmd.flags & CMD.fast ? 'fast-command' : 'command', Math.floor(us / 1000))
  if (!(cmd.flags & CMD.skip_slowlog) && slowlogWants(server, us)) {
    slowlogOf(server).pushIfNeeded(server, c, loggedArgv(cmd, argv), us)
  }
}

export function observeCommand(server: Server, c: Client, cmd: CommandDef, argv: readonly string[], durationUs: number): void {
  const us = Math.floor(durationUs)
  latencyAddSampleIfNeeded(server, cmd.flags & CMD.fast ? 'fast-command' : 'command', Math.floor(us / 1000))
  // Checked first so the common case (not slow) builds no redacted argv.
  if (!(cmd.flags & CMD.skip_slowlog) && slowlogWants(server, us)) {
    slowlogOf(server).pushIfNeeded(server, c, loggedArgv(cmd, argv), us)
  }
  feedMonitors(server, c, cmd, argv)
}
