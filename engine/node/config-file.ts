// redis-server's command line and redis.conf format (server.c main() and
// config.c loadServerConfig / loadServerConfigFromString):
//   glassbox-server [/path/to/redis.conf] [--directive value ...] [-]
// Command-line options become extra config lines appended after the file's
// text (and after stdin's, with `-`), so `--save ""` and `--port 7000` mean
// what they mean to redis-server, and error messages quote the same lines.
//
// Everything here works on byte strings (one char per byte), like the engine:
// argv is converted from UTF-8 and files are read as latin1.

import { splitArgs } from '../protocol/decoder.ts'

/** One config line: its 1-based number in the combined text, the trimmed line, and its arguments. */
export interface ConfigLine {
  line: number
  text: string
  /** Directive name (lowercased) first, then its arguments. */
  argv: string[]
  /** The file the line came from ('' for command-line options and stdin). */
  file: string
}

/** A config line Redis refuses; printed as the FATAL CONFIG FILE ERROR block. */
export class ConfigFileError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    reason: string,
  ) {
    super(reason)
  }
}

export interface ParsedCommandLine {
  /** The config file named by the first argument, if any. */
  configFile: string | undefined
  /** `-` as the first or last argument: read config from stdin too. */
  fromStdin: boolean
  /** The options as config text (one directive per line, arguments quoted). */
  options: string
}

/** JS (UTF-16) text to a byte string holding its UTF-8 bytes. */
export function utf8ToBytes(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s
  const bytes = new TextEncoder().encode(s)
  let out = ''
  for (const b of bytes) out += String.fromCharCode(b)
  return out
}

/**
 * server.c main(): turn argv (without node and the script) into config text.
 * The first argument is the config file unless it starts with '-'. `--name`
 * starts a new line; other arguments are quoted (sdscatrepr) and appended as
 * values of the last option. As in 7.0, an argument right after a bare option
 * name is always its value, even when it starts with `--`, except that `--save`
 * directly followed by an option (or last) means `save ""`.
 */
export function parseCommandLine(rawArgs: readonly string[]): ParsedCommandLine {
  const args = rawArgs.map(utf8ToBytes)
  let j = 0
  let configFile: string | undefined
  let fromStdin = false
  if (args.length > 0 && !args[0].startsWith('-')) {
    configFile = args[0]
    j = 1
  }
  let options = ''
  let handledLastConfigArg = true
  for (; j < args.length; j++) {
    const a = args[j]
    if (a === '-' && (j === 0 || j === args.length - 1)) {
      fromStdin = true
    } else if (handledLastConfigArg && a.startsWith('--')) {
      if (options.length > 0) options += '\n'
      options += a.slice(2) + ' '
      const parts = splitArgs(a)
      if (parts !== null && parts.length === 1) {
        handledLastConfigArg = false
        const isSave = a.toLowerCase() === '--save'
        if (isSave && j !== args.length - 1 && args[j + 1].startsWith('--')) {
          options += '""'
          handledLastConfigArg = true
        } else if (isSave && j === args.length - 1) {
          options += '""'
        }
      } else {
        // "--port 6380" as one argument: name and value together.
        handledLastConfigArg = true
      }
    } else {
      options += quoteRepr(a) + ' '
      handledLastConfigArg = true
    }
  }
  return { configFile, fromStdin, options }
}

/** sdscatrepr: a double-quoted string that splitArgs reads back as the same bytes. */
export function quoteRepr(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    switch (c) {
      case 92:
        out += '\\\\'
        break
      case 34:
        out += '\\"'
        break
      case 10:
        out += '\\n'
        break
      case 13:
        out += '\\r'
        break
      case 9:
        out += '\\t'
        break
      case 7:
        out += '\\a'
        break
      case 8:
        out += '\\b'
        break
      default:
        // isprint() in the C locale: 0x20-0x7e.
        out += c >= 0x20 && c <= 0x7e ? s[i] : '\\x' + c.toString(16).padStart(2, '0')
    }
  }
  return out + '"'
}

export interface ReadConfigOptions {
  /** Reads a file as a byte string (latin1); throws an Error with a message like strerror on failure. */
  readFile: (path: string) => string
  /** Limit for nested `include` (Redis has none, but a loop must not hang the start). */
  maxIncludeDepth?: number
}

/**
 * loadServerConfigFromString: split config text into lines of arguments. Blank
 * lines and `#` comments are skipped; `include <file>` is expanded in place
 * (its lines keep their own numbering, as Redis reports them). Throws
 * ConfigFileError for unbalanced quotes.
 */
export function parseConfigText(text: string, opts?: ReadConfigOptions, file = '', depth = 0): ConfigLine[] {
  const out: ConfigLine[] = []
  const lines = text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const line = trimConfigLine(lines[n])
    if (line === '' || line.startsWith('#')) continue
    const argv = splitArgs(line)
    if (argv === null) throw new ConfigFileError(n + 1, line, 'Unbalanced quotes in configuration line')
    if (argv.length === 0) continue
    argv[0] = argv[0].toLowerCase()
    if (argv[0] === 'include' && argv.length === 2 && opts) {
      if (depth >= (opts.maxIncludeDepth ?? 32)) throw new ConfigFileError(n + 1, line, 'Too many nested include directives')
      let included: string
      try {
        included = opts.readFile(argv[1])
      } catch (e) {
        throw new ConfigFileError(n + 1, line, `Fatal error, can't open config file '${argv[1]}': ${(e as Error).message}`)
      }
      out.push(...parseConfigText(included, opts, argv[1], depth + 1))
      continue
    }
    out.push({ line: n + 1, text: line, argv, file })
  }
  return out
}

// sdstrim(lines[i], " \t\r\n")
function trimConfigLine(s: string): string {
  let a = 0
  let b = s.length
  const blank = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10
  while (a < b && blank(s.charCodeAt(a))) a++
  while (b > a && blank(s.charCodeAt(b - 1))) b--
  return s.slice(a, b)
}

/**
 * The combined configuration Redis reads (loadServerConfig): the file's text,
 * then stdin's, then a newline and the command-line options (so option lines
 * are numbered after the file's, e.g. line 2 when there is no file).
 */
export function combineConfigText(fileText: string, stdinText: string, options: string): string {
  return fileText + stdinText + '\n' + options
}
