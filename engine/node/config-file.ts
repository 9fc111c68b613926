// redis-server's command line and redis.conf format (config.c loadServerConfig):
// `glassbox-server [/path/to/redis.conf] [--directive value ...] [-]`.
// Command-line options are appended to the file's text as extra lines, so
// `--save ""` and `--port 7000` mean what they mean to redis-server.

import { splitArgs } from '../protocol/decoder.ts'

export interface ParsedArgs {
  configFile: string | undefined
  /** Directives in order, each with its arguments joined by spaces. */
  directives: Array<[string, string]>
}

export class ConfigFileError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    reason: string,
  ) {
    super(reason)
  }
}

/** Turn argv (without node and script) into config text, like redis-server's main(). */
export function argvToConfigText(args: readonly string[]): { configFile: string | undefined; text: string } {
  let i = 0
  let configFile: string | undefined
  if (args.length > 0 && !args[0].startsWith('-')) {
    configFile = args[0]
    i = 1
  }
  let text = ''
  for (; i < args.length; i++) {
    const a = args[i]
    if (a.startsWith('--') && a.length > 2) {
      if (text.length) text += '\n'
      text += a.slice(2) + ' '
    } else {
      // An argument of the previous option, quoted so spaces survive.
      text += quote(a) + ' '
    }
  }
  return { configFile, text }
}

function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"'
}

/** Parse redis.conf text into directives (name lowercased, arguments joined by one space). */
export function parseConfigText(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const lines = text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim()
    if (line === '' || line.startsWith('#')) continue
    const argv = splitArgs(line)
    if (argv === null) throw new ConfigFileError(n + 1, line, 'Unbalanced quotes in configuration line')
    if (argv.length === 0) continue
    const [name, ...rest] = argv
    out.push([name.toLowerCase(), rest.join(' ')])
  }
  return out
}
