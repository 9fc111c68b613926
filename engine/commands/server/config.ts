// CONFIG GET / SET / RESETSTAT / REWRITE / HELP (config.c, Redis 7.0.15).

import { error, map, bulk, OK, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { ConfigDef } from '../../server/config.ts'
import { resetCommandStats } from '../../server/info.ts'
import type { ServerStats } from '../../server/server.ts'
import { globMatch } from '../../structures/glob.ts'
import { E } from '../../server/errors.ts'
import { helpReply } from './help.ts'

/**
 * CONFIG GET pattern [pattern ...] (configGetCommand): a name without glob
 * characters is looked up directly (hidden directives included) and answered
 * under the spelling given; a pattern is matched, case-insensitively, against
 * every name and alias except hidden ones. A name already answered (compared
 * case-insensitively) is not repeated.
 *
 * Redis answers in the order of its configs dict, which is random per process;
 * the engine answers in name order.
 */
export const configGet: CommandImpl = {
  name: 'config|get',
  run: (c, argv) => {
    const config = c.server.config
    const matches = new Map<string, { key: string; def: ConfigDef }>()
    for (const pattern of argv.slice(2)) {
      if (!/[[*?]/.test(cstr(pattern))) {
        const lower = pattern.toLowerCase()
        if (matches.has(lower)) continue
        const def = config.lookup(pattern)
        if (def) matches.set(lower, { key: pattern, def })
        continue
      }
      for (const name of config.names()) {
        const def = config.lookup(name)!
        if (def.hidden || matches.has(name)) continue
        if (globMatch(cstr(pattern), name, true)) matches.set(name, { key: name, def })
      }
    }
    const pairs = [...matches.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    const out: Reply[] = []
    for (const { key, def } of pairs) out.push(bulk(key), bulk(config.str(def.name)))
    return map(out)
  },
}

// C strings end at the first NUL: a pattern is tested up to there.
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

/** allowProtectedAction: 'yes', or 'local' for a connection from this machine. */
function protectedAllowed(c: Client, setting: string): boolean {
  return setting === 'yes' || (setting === 'local' && c.local)
}

/**
 * CONFIG SET parameter value [parameter value ...] (configSetCommand): every
 * name is checked first (unknown, immutable, protected, set while loading,
 * given twice), then the values are set in order; if one is refused, all the
 * earlier ones are restored and nothing changes.
 */
export const configSet: CommandImpl = {
  name: 'config|set',
  run: (c, argv) => {
    if (argv.length % 2 === 1) return E.syntax
    const server = c.server
    const config = server.config
    let unknown: string | undefined
    let failure: { name: string; error: string } | undefined
    let denyLoading = false
    // Entries named so far: Redis compares dict entries, so a directive and its alias differ.
    const seen = new Set<string>()
    const items: Array<[string, string]> = []
    for (let i = 2; i < argv.length; i += 2) {
      const name = argv[i]
      const def = config.lookup(name)
      if (!def) {
        // Only the first problem is reported; later names are still looked at.
        if (!unknown && !failure && !denyLoading) unknown = name
        continue
      }
      if (unknown || failure || denyLoading) continue
      if (def.immutable || (def.protected && !protectedAllowed(c, config.str('enable-protected-configs')))) {
        failure = { name, error: def.immutable ? "can't set immutable config" : "can't set protected config" }
        continue
      }
      if (server.isLoading() && def.denyLoading) {
        denyLoading = true
        continue
      }
      const entry = name.toLowerCase()
      if (seen.has(entry)) {
        failure = { name, error: 'duplicate parameter' }
        continue
      }
      seen.add(entry)
      items.push([name, argv[i + 1]])
    }
    if (denyLoading) return error('LOADING Redis is loading the dataset in memory')
    if (unknown !== undefined) return error(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`)
    if (failure) return setFailed(failure.name, failure.error)
    const err = config.setAll(items)
    if (err) return setFailed(err.name, err.error)
    return OK
  },
}

const setFailed = (name: string, msg: string): Reply =>
  error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${msg}`)

// Every counter resetServerStats clears.
const RESET_STATS: ReadonlyArray<keyof ServerStats> = [
  'numCommands',
  'numConnections',
  'expiredKeys',
  'expiredStalePerc',
  'expiredTimeCapReachedCount',
  'expireCycleCpuMs',
  'evictedKeys',
  'keyspaceMisses',
  'keyspaceHits',
  'rejectedConnections',
  'totalReadsProcessed',
  'totalWritesProcessed',
  'netInputBytes',
  'netOutputBytes',
  'unexpectedErrorReplies',
  'totalErrorReplies',
]

/** CONFIG RESETSTAT: server stats, per-command stats and error stats back to zero. */
export const configResetstat: CommandImpl = {
  name: 'config|resetstat',
  run: (c) => {
    const server = c.server
    for (const k of RESET_STATS) server.stats[k] = 0
    resetCommandStats(server)
    server.errorStats.clear()
    return OK
  },
}

/** CONFIG REWRITE: the engine never runs from a config file it could rewrite. */
export const configRewrite: CommandImpl = {
  name: 'config|rewrite',
  run: () => error('ERR The server is running without a config file'),
}

export const configHelp: CommandImpl = {
  name: 'config|help',
  run: (_c, argv) =>
    helpReply(argv[0], [
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
    ]),
}

export const configCommands: CommandImpl[] = [configGet, configSet, configResetstat, configRewrite, configHelp]
