// redis-cli 7.0.15's help table, built at connect from the server's COMMAND DOCS reply
// (redis-cli.c: cliInitHelp, cliInitCommandHelpEntry, cliAddArgument), and what it
// drives: the dimmed hint after the cursor (hintsCallback), TAB completion
// (completionCallback) and the HELP command (cliOutputHelp, cliOutputCommandHelp).
import type { RespValue } from './resp.ts'
import { isSpace, splitArgs, utf8Bytes } from './split.ts'

export interface HelpEntry {
  type: 'command' | 'group'
  /** Upper-case words: ['GET'], ['CLIENT', 'LIST'], or ['@string'] for a group. */
  argv: string[]
  /** argv joined by a space: 'CLIENT LIST', '@string'. */
  full: string
  /** The argument synopsis ('key value [NX|XX] ...'); '' for groups and argument-less commands. */
  params: string
  summary: string | null
  since: string | null
  group: string | null
}

export interface HelpTable {
  /** Sorted by `full` with strcmp, like redis-cli's qsort(helpEntryCompare). */
  entries: HelpEntry[]
}

/** The version redis-cli reports (Debian's build has no git sha). */
export const REDIS_CLI_VERSION = '7.0.15'

function text(v: RespValue | undefined): string | null {
  if (!v) return null
  switch (v.type) {
    case 'bulk': case 'simple': case 'verbatim': case 'error': return v.value
    case 'integer': return String(v.value)
    default: return null
  }
}

/** Key/value pairs of a RESP3 map, or of a RESP2 flat array [k1, v1, k2, v2, ...]. */
function pairs(v: RespValue | undefined): Array<[RespValue, RespValue]> {
  if (!v) return []
  if (v.type === 'map') return v.entries
  if (v.type === 'array') {
    const out: Array<[RespValue, RespValue]> = []
    for (let i = 0; i + 1 < v.items.length; i += 2) out.push([v.items[i]!, v.items[i + 1]!])
    return out
  }
  return []
}

function list(v: RespValue | undefined): RespValue[] {
  if (v && (v.type === 'array' || v.type === 'set')) return v.items
  return []
}

function orEmpty(s: string | null): string {
  return s === null || s === '' ? '""' : s
}

/** cliAddArgument: one argument spec -> its synopsis text. */
function argumentText(spec: RespValue): string {
  if (spec.type !== 'map' && spec.type !== 'array') return ''
  let name: string | null = null
  let type: string | null = null
  let token = ''
  let optional = false
  let multiple = false
  let multipleToken = false
  let args: RespValue | undefined
  for (const [k, v] of pairs(spec)) {
    switch (text(k)) {
      case 'name': name = text(v); break
      case 'token': token += orEmpty(text(v)); break
      case 'type': type = text(v); break
      case 'arguments': args = v; break
      case 'flags':
        for (const f of list(v)) {
          const flag = text(f)
          if (flag === 'optional') optional = true
          else if (flag === 'multiple') multiple = true
          else if (flag === 'multiple_token') multipleToken = true
        }
        break
    }
  }
  let repeat = ''
  switch (type) {
    case 'key': case 'string': case 'integer': case 'double': case 'pattern': case 'unix-time': case 'token':
      repeat = orEmpty(name)
      break
    case 'oneof': repeat = list(args).map(argumentText).join('|'); break
    case 'block': repeat = list(args).map(argumentText).join(' '); break
    default: break // pure-token, or a type redis-cli does not know: no repeating part
  }
  if (token !== '' && type !== 'pure-token') token += ' '
  let out = optional ? '[' : ''
  out += token + repeat
  if (multiple) out += ' [' + (multipleToken ? token : '') + repeat + ' ...]'
  if (optional) out += ']'
  return out
}

function addCommand(entries: HelpEntry[], groups: Set<string>, cmd: string, sub: string | null, docs: RespValue): void {
  const argv = [cmd.toUpperCase()]
  // Subcommand names come as "client|list".
  if (sub !== null) argv.push(sub.slice(sub.indexOf('|') + 1).toUpperCase())
  const entry: HelpEntry = {
    type: 'command', argv, full: argv.join(' '), params: '', summary: null, since: null, group: null,
  }
  entries.push(entry)
  for (const [k, v] of pairs(docs)) {
    switch (text(k)) {
      case 'summary': entry.summary = text(v); break
      case 'since': entry.since = text(v); break
      case 'group':
        entry.group = text(v)
        if (entry.group !== null) groups.add(entry.group)
        break
      case 'arguments': entry.params = list(v).map(argumentText).join(' '); break
      case 'subcommands':
        for (const [name, subDocs] of pairs(v)) addCommand(entries, groups, cmd, text(name) ?? '', subDocs)
        break
    }
  }
}

/** cliInitHelp: the help table from a COMMAND DOCS reply (RESP2 or RESP3 shape). */
export function buildHelpTable(commandDocs: RespValue): HelpTable {
  const entries: HelpEntry[] = []
  const groups = new Set<string>()
  for (const [name, docs] of pairs(commandDocs)) addCommand(entries, groups, text(name) ?? '', null, docs)
  for (const g of groups) {
    entries.push({ type: 'group', argv: ['@' + g], full: '@' + g, params: '', summary: null, since: null, group: null })
  }
  entries.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0))
  return { entries }
}

/** ASCII-only case folding, like strcasecmp in the C locale. */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}

function eqNoCase(a: string, b: string): boolean {
  return a.length === b.length && lowerAscii(a) === lowerAscii(b)
}

/** C strings end at NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

/**
 * hintsCallback: the dimmed text linenoise shows after the typed line (redis-cli draws
 * it in color 90), or null for no hint. The command entry whose words are the longest
 * prefix of the typed arguments (case-insensitive; the first such entry in table order)
 * gives its params with one word dropped per further argument already typed (stopping
 * at the first '['), and a leading space unless the line ends with a space. So
 * "client caching" hints " YES|NO" but "client li" hints CLIENT's (empty) params: " ".
 * May be '' (line ends with a space and nothing is left to hint). Honour ':set nohints'
 * by not calling this.
 */
export function hintFor(table: HelpTable, line: string): string | null {
  const buf = cstr(utf8Bytes(line))
  const argv = splitArgs(line)
  if (argv === null || argv.length === 0) return null
  const endspace = buf.length > 0 && isSpace(buf[buf.length - 1])
  const words = argv.map(cstr)
  let best: HelpEntry | null = null
  for (const e of table.entries) {
    if (e.type !== 'command') continue
    if (e.argv.length <= words.length && e.argv.length > (best?.argv.length ?? 0) &&
      e.argv.every((w, j) => eqNoCase(w, words[j]!))) best = e
  }
  if (best === null) return null
  let hint = best.params
  let toremove = words.length - best.argv.length
  while (toremove > 0 && hint.length > 0) {
    if (hint[0] === '[') break
    if (hint[0] === ' ') toremove--
    hint = hint.slice(1)
  }
  return endspace ? hint : ' ' + hint
}

/**
 * completionCallback: what TAB cycles through, in order. Command entries (upper case,
 * subcommands included: 'CLIENT LIST') whose name starts with the typed line,
 * case-insensitively. After "help " (any case, then any spaces) groups ('@string')
 * are candidates too, and the typed "help  " prefix is kept as typed.
 */
export function completions(table: HelpTable, line: string): string[] {
  let start = 0
  let groups = false
  if (line.length >= 5 && eqNoCase(line.slice(0, 5), 'help ')) {
    start = 5
    while (start < line.length && isSpace(line[start])) start++
    groups = true
  }
  const typed = lowerAscii(line.slice(start))
  const out: string[] = []
  for (const e of table.entries) {
    if (e.type === 'group' && !groups) continue
    if (typed.length <= e.full.length && lowerAscii(e.full.slice(0, typed.length)) === typed) {
      out.push(line.slice(0, start) + e.full)
    }
  }
  return out
}

function commandHelpText(e: HelpEntry, withGroup: boolean): string {
  let out = `\r\n  \x1b[1m${e.full}\x1b[0m \x1b[90m${e.params}\x1b[0m\r\n`
  // glibc printf prints a NULL %s as "(null)".
  out += `  \x1b[33msummary:\x1b[0m ${e.summary ?? '(null)'}\r\n`
  if (e.since !== null) out += `  \x1b[33msince:\x1b[0m ${e.since}\r\n`
  if (withGroup) out += `  \x1b[33mgroup:\x1b[0m ${e.group ?? '(null)'}\r\n`
  return out
}

/** cliOutputGenericHelp: what `help` alone prints. */
export function genericHelp(): string {
  return `redis-cli ${REDIS_CLI_VERSION}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set redis-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    'Set your preferences in ~/.redisclirc\n'
}

/**
 * cliOutputHelp: the exact bytes redis-cli prints for `HELP <args>` (args are the
 * arguments after HELP or ?, as byte strings). `help` alone -> genericHelp();
 * `help @group` -> every command of that group (no group line); `help cmd [sub]` ->
 * every entry whose first words match (so `help client` lists CLIENT and all its
 * subcommands). Always ends with "\r\n"; contains ANSI bold/grey/yellow escapes as
 * redis-cli prints them.
 */
export function helpCommand(table: HelpTable, args: readonly string[]): string {
  if (args.length === 0) return genericHelp()
  const a = args.map(cstr)
  const group = a[0]!.startsWith('@') ? a[0]!.slice(1) : null
  let out = ''
  for (const e of table.entries) {
    if (e.type !== 'command') continue
    if (group === null) {
      if (a.length <= e.argv.length && a.every((w, j) => eqNoCase(w, e.argv[j]!))) out += commandHelpText(e, true)
    } else if (e.group !== null && eqNoCase(group, e.group)) {
      out += commandHelpText(e, false)
    }
  }
  return out + '\r\n'
}
