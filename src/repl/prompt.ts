// redis-cli 7.0.15's prompt and the client state it tracks from the commands it sends
// (redis-cli.c: cliRefreshPrompt, cliSendCommand, sigIntHandler/cliConnect).
import type { RespValue } from './resp.ts'
import type { OutputMode } from './format.ts'

export interface ClientState {
  host: string
  port: number
  /** The db redis-cli believes is selected (shown as [n] when not 0). */
  db: number
  /** Between a successful MULTI and EXEC/DISCARD/RESET: the prompt shows (TX). */
  inMulti: boolean
  /** The db at MULTI time; EXEC that fails and DISCARD go back to it. */
  preMultiDb?: number
}

/** What linenoise shows when redis-cli has no connection. */
export const NOT_CONNECTED_PROMPT = 'not connected> '

/** cliRefreshPrompt: "127.0.0.1:6379[2](TX)> " (IPv6 hosts in brackets; 127 bytes max). */
export function promptFor(state: { host: string; port: number; db: number; inMulti: boolean }): string {
  let p = state.host.includes(':') ? `[${state.host}]:${state.port}` : `${state.host}:${state.port}`
  if (state.db !== 0) p += `[${state.db}]`
  if (state.inMulti) p += '(TX)'
  p += '> '
  // The prompt lives in a 128-byte buffer filled with snprintf.
  return p.length > 127 ? p.slice(0, 127) : p
}

/** C atoi: leading spaces, a sign, digits; anything else stops it. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  if (!m) return 0
  // atoi returns an int: wrap like a 32-bit conversion of the long value.
  return Number(BigInt.asIntN(32, BigInt(m[1]!)))
}

/**
 * The state after redis-cli read the reply to `argv` (call once per reply, so once per
 * repetition of "3 SELECT 1"). Mirrors cliSendCommand in 7.0.15:
 * - SELECT n (2 args), reply not an error: db = atoi(n) (also when the reply is QUEUED);
 * - MULTI (1 arg), not an error: inMulti, remembering the db;
 * - EXEC (1 arg) while inMulti: inMulti off; an error or nil reply (aborted / WATCH
 *   failed) restores the db from MULTI time;
 * - DISCARD (1 arg), not an error: inMulti off, db from MULTI time;
 * - RESET (1 arg), not an error: db 0, inMulti off (and redis-cli forgets -3).
 * HELLO, AUTH and the rest leave the prompt state alone.
 */
export function trackClientState<S extends ClientState>(state: S, argv: readonly string[], reply: RespValue): S {
  if (argv.length === 0) return state
  const cmd = argv[0]!.toLowerCase()
  const argc = argv.length
  const isError = reply.type === 'error'
  if (cmd === 'select' && argc === 2 && !isError) {
    return { ...state, db: atoi(argv[1]!) }
  }
  if (cmd === 'multi' && argc === 1 && !isError) {
    return { ...state, inMulti: true, preMultiDb: state.db }
  }
  if (cmd === 'exec' && argc === 1 && state.inMulti) {
    const failed = isError || reply.type === 'null'
    return { ...state, inMulti: false, db: failed ? (state.preMultiDb ?? state.db) : state.db }
  }
  if (cmd === 'discard' && argc === 1 && !isError) {
    return { ...state, inMulti: false, db: state.preMultiDb ?? state.db }
  }
  if (cmd === 'reset' && argc === 1 && !isError) {
    return { ...state, inMulti: false, db: 0 }
  }
  return state
}

/**
 * The mode redis-cli enters when it sends `argv` (decided before the reply):
 * - 'subscribed' for SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE: print SUBSCRIBED_BANNER (tty
 *   only), then keep printing every reply/push as it arrives (formatCommandReply) until
 *   an error reply or Ctrl-C;
 * - 'monitor' for MONITOR: print every reply until an error reply or Ctrl-C;
 * - 'replica' for SYNC / PSYNC (redis-cli prints REPLICA_BANNER and streams the
 *   replication feed; Glassbox may refuse this);
 * - 'normal' otherwise: one reply per command.
 * The prompt is not shown while subscribed or monitoring; typed input is ignored
 * except Ctrl-C.
 */
export type ReadMode = 'normal' | 'subscribed' | 'monitor' | 'replica'

export function modeForCommand(argv: readonly string[]): ReadMode {
  if (argv.length === 0) return 'normal'
  const cmd = argv[0]!.toLowerCase()
  if (cmd === 'monitor') return 'monitor'
  if (cmd === 'subscribe' || cmd === 'psubscribe' || cmd === 'ssubscribe') return 'subscribed'
  if (cmd === 'sync' || cmd === 'psync') return 'replica'
  return 'normal'
}

export const SUBSCRIBED_BANNER = 'Reading messages... (press Ctrl-C to quit)\n'
export const REPLICA_BANNER = 'Entering replica output mode...  (press Ctrl-C to quit)\n'

/** The line printed when entering subscribed mode ('' with --raw). */
export function subscribedBanner(mode: OutputMode): string {
  return mode === 'raw' ? '' : SUBSCRIBED_BANNER
}

/**
 * Whether redis-cli stays in `mode` after reading `reply` there: subscribed and monitor
 * modes end only on an error reply (or Ctrl-C, see afterInterrupt). Note that inside
 * MULTI, SUBSCRIBE replies QUEUED and redis-cli keeps waiting, as the real one does.
 */
export function staysInMode(mode: ReadMode, reply: RespValue): boolean {
  if (mode === 'subscribed' || mode === 'monitor') return reply.type !== 'error'
  return false
}

/**
 * Ctrl-C while subscribed or monitoring: the terminal echoes "^C" (no newline), redis-cli
 * drops the connection and reconnects (a NEW client: subscriptions and MULTI are gone),
 * re-selects the db it had, and shows the prompt again right after the "^C".
 */
export function afterInterrupt<S extends ClientState>(state: S): S {
  return { ...state, inMulti: false }
}

/** The "^C" the terminal echoes when Ctrl-C interrupts subscribed/monitor mode. */
export const INTERRUPT_ECHO = '^C'
