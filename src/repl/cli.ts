// What redis-cli 7.0.15's repl() does with one submitted line, as a pure decision the
// terminal layer carries out (redis-cli.c: repl, cliSetPreferences, issueCommandRepeat,
// isSensitiveCommand).
import { parseRepeat, splitArgs, INVALID_REPEAT } from './split.ts'

export type LineAction =
  /** Blank line: nothing happens, nothing goes to history. */
  | { kind: 'empty' }
  /** Print `output` and show the prompt again (bad quotes, bad repeat count, :set ...). */
  | { kind: 'print'; output: string }
  /** QUIT / EXIT (first word, any case): redis-cli exits. */
  | { kind: 'quit' }
  /** ':set hints' / ':set nohints'. */
  | { kind: 'set-hints'; hints: boolean }
  /** CLEAR alone: clear the screen (linenoiseClearScreen). */
  | { kind: 'clear' }
  /** CONNECT host port: reconnect elsewhere (Glassbox: refuse or ignore). */
  | { kind: 'connect'; host: string; port: number }
  /** HELP / ? (after an optional repeat count, which is ignored): print helpCommand(table, args). */
  | { kind: 'help'; args: string[] }
  /** Send `argv` `repeat` times, printing each reply (repeat may be very large). */
  | { kind: 'command'; argv: string[]; repeat: number }

export interface LineOutcome {
  action: LineAction
  /** Whether redis-cli adds the line to its history (it skips blank lines, bad repeat
   * counts and commands carrying secrets: AUTH, ACL SETUSER, CONFIG SET requirepass, ...). */
  addToHistory: boolean
}

const eq = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b

/** isSensitiveCommand: lines redis-cli keeps out of its history. */
export function isSensitiveCommand(argv: readonly string[]): boolean {
  const argc = argv.length
  if (argc === 0) return false
  if (eq(argv[0], 'auth')) return true
  if (argc > 1 && eq(argv[0], 'acl') && eq(argv[1], 'setuser')) return true
  if (argc > 2 && eq(argv[0], 'config') && eq(argv[1], 'set') &&
    (eq(argv[2], 'masterauth') || eq(argv[2], 'masteruser') || eq(argv[2], 'requirepass'))) return true
  if (argc > 4 && eq(argv[0], 'hello')) {
    for (let j = 2; j < argc; j++) {
      const more = argc - 1 - j
      if (eq(argv[j], 'auth') && more >= 2) return true
      if (eq(argv[j], 'setname') && more > 0) j++
      else return false
    }
    return false
  }
  if (argc > 7 && eq(argv[0], 'migrate')) {
    for (let j = 6; j < argc; j++) {
      const more = argc - 1 - j
      if (eq(argv[j], 'auth') && more > 0) return true
      if (eq(argv[j], 'auth2') && more >= 2) return true
      if (eq(argv[j], 'keys') && more > 0) return false
    }
  }
  return false
}

/** C atoi (for CONNECT's port). */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]!))) : 0
}

/**
 * One submitted line -> what redis-cli does with it. Note redis-cli checks QUIT, ':',
 * CONNECT and CLEAR on the first word *before* dropping a repeat count ("2 quit" sends
 * QUIT twice), but HELP after it.
 */
export function interpretLine(line: string): LineOutcome {
  const argv = splitArgs(line)
  if (argv === null) return { action: { kind: 'print', output: 'Invalid argument(s)\n' }, addToHistory: true }
  if (argv.length === 0) return { action: { kind: 'empty' }, addToHistory: false }
  const rep = parseRepeat(argv)
  if (!rep.ok) return { action: { kind: 'print', output: INVALID_REPEAT + '\n' }, addToHistory: false }
  const skipped = rep.args
  const addToHistory = !isSensitiveCommand(skipped)
  const first = argv[0]!
  const lower = first.toLowerCase()
  if (lower === 'quit' || lower === 'exit') return { action: { kind: 'quit' }, addToHistory }
  if (first.startsWith(':')) {
    if (lower === ':set' && argv.length >= 2) {
      const opt = argv[1]!.toLowerCase()
      if (opt === 'hints') return { action: { kind: 'set-hints', hints: true }, addToHistory }
      if (opt === 'nohints') return { action: { kind: 'set-hints', hints: false }, addToHistory }
      return { action: { kind: 'print', output: `unknown redis-cli preference '${cut(argv[1]!)}'\n` }, addToHistory }
    }
    return { action: { kind: 'print', output: `unknown redis-cli internal command '${cut(first)}'\n` }, addToHistory }
  }
  if (lower === 'restart') {
    return { action: { kind: 'print', output: "Use 'restart' only in Lua debugging mode.\n" }, addToHistory }
  }
  if (argv.length === 3 && lower === 'connect') {
    return { action: { kind: 'connect', host: argv[1]!, port: atoi(argv[2]!) }, addToHistory }
  }
  if (argv.length === 1 && lower === 'clear') return { action: { kind: 'clear' }, addToHistory }
  const cmd = skipped[0]!.toLowerCase()
  if (cmd === 'help' || cmd === '?') return { action: { kind: 'help', args: skipped.slice(1) }, addToHistory }
  return { action: { kind: 'command', argv: skipped, repeat: rep.repeat }, addToHistory }
}

function cut(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}
