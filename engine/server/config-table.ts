// Redis 7.0.15's configuration directives (config.c's static_configs table):
// every directive `CONFIG GET *` lists on a fresh server, plus the hidden ones
// only an exact CONFIG GET shows, with their defaults, bounds, aliases and
// flags, in the form CONFIG GET prints them.
//
// Most directives have no behaviour in the engine (TLS, replication, cluster,
// persistence tuning, process management); like Redis they are accepted,
// validated and stored, so configuration files and clients that set them work.
//
// Values that describe the host are given engine defaults:
// - dir: "/" (Redis prints its working directory; the Node host may pass its
//   own cwd as start-up config). CONFIG SET dir resolves relative paths against
//   the current value instead of calling chdir().
// - pidfile, logfile, unixsocket: "" as on a redis-server started without them
//   (no pid file, log to stdout, no unix socket).
// - save: "3600 1 300 100 60 10000", the default of a server started without a
//   config file (start it with save "" to match `redis-server --save ''`).
// - activedefrag: refused, like Debian's redis-server, which is built against
//   the system jemalloc and so lacks active defragmentation (HAVE_DEFRAG).

import { string2d } from '../structures/numbers.ts'
import { memtoull, splitSpaces, strtollFull, type Config, type ConfigDef, type ParseResult } from './config.ts'

const INT_MIN = -2147483648
const INT_MAX = 2147483647
const UINT_MAX = 4294967295
const LONG_MAX = 2n ** 63n - 1n
const LLONG_MAX = LONG_MAX
const SSIZE_MAX = LONG_MAX
const ULLONG_MAX = 2n ** 64n - 1n
const MB = 1024 * 1024

type Flags = Pick<ConfigDef, 'alias' | 'immutable' | 'protected' | 'hidden' | 'denyLoading' | 'validate' | 'normalise'>

const bool = (name: string, def: boolean, f: Flags = {}): ConfigDef => ({ name, type: 'bool', default: def ? 'yes' : 'no', ...f })

const str = (name: string, def: string, f: Flags = {}): ConfigDef => ({ name, type: 'string', default: def, ...f })

const enumc = (name: string, values: readonly string[], def: string, f: Flags & Pick<ConfigDef, 'enumNums' | 'multiArg'> = {}): ConfigDef => ({
  name,
  type: 'enum',
  values,
  default: def,
  ...f,
})

/** A signed numeric directive (int, long, long long, ssize_t, time_t, off_t). */
const int = (name: string, min: number | bigint, max: number | bigint, def: number, f: Flags & Pick<ConfigDef, 'percent'> = {}): ConfigDef => ({
  name,
  type: 'int',
  min,
  max,
  default: String(def),
  ...f,
})

/** An unsigned numeric directive (unsigned int, unsigned long long, size_t): bounds compare unsigned. */
const uint = (name: string, min: number | bigint, max: number | bigint, def: number, f: Flags & Pick<ConfigDef, 'octal'> = {}): ConfigDef => ({
  ...int(name, min, max, def, f),
  unsigned: true,
  ...(f.octal ? { default: def.toString(8) } : {}),
})

/** A numeric directive that takes memory units (MEMORY_CONFIG). */
const mem = (def: ConfigDef): ConfigDef => ({ ...def, type: 'memory' })

const special = (name: string, def: string, parse: ConfigDef['parse'], f: Flags & Pick<ConfigDef, 'multiArg'> = {}): ConfigDef => ({
  name,
  type: 'special',
  default: def,
  parse,
  ...f,
})

const fail = (error: string): ParseResult => ({ ok: false, error })
const ok = (value: string): ParseResult => ({ ok: true, value })

// ---------------------------------------------------------------- validators

// isValidActiveDefrag without HAVE_DEFRAG (Debian's build).
const noActiveDefrag = (v: string): string | undefined =>
  v === 'yes'
    ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'
    : undefined

// pathIsBaseName: no directory separators.
const isBaseName = (v: string): boolean => !v.includes('/') && !v.includes('\\')

const validDbFilename = (v: string): string | undefined => (isBaseName(v) ? undefined : "dbfilename can't be a path, just a filename")

function validAofFilename(v: string): string | undefined {
  if (v === '') return "appendfilename can't be empty"
  return isBaseName(v) ? undefined : "appendfilename can't be a path, just a filename"
}

function validAofDirname(v: string): string | undefined {
  if (v === '') return "appenddirname can't be empty"
  return isBaseName(v) ? undefined : "appenddirname can't be a path, just a dirname"
}

// isValidAnnouncedHostname (NET_HOST_STR_LEN = 256).
function validHostname(v: string): string | undefined {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters'
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots'
  return undefined
}

/**
 * validateProcTitleTemplate: the template must expand (sdstemplate: `{name}`
 * variables, `{{` a literal brace, unknown variables and unclosed braces are
 * errors) to something non-empty once trimmed, with an empty title.
 */
function validProcTitle(v: string, config: Config): string | undefined {
  const bad = 'template format is invalid or contains unknown variables'
  const bind = splitSpaces(config.str('bind'))
  const port = config.str('port')
  const vars: Record<string, string> = {
    title: '',
    'listen-addr': bind.length > 0 ? `${bind[0]}:${port}` : `*:${port}`,
    'server-mode': config.bool('cluster-enabled') ? '[cluster]' : '',
    port,
    'tls-port': config.str('tls-port'),
    unixsocket: config.str('unixsocket'),
    'config-file': '',
  }
  let out = ''
  let p = 0
  while (p < v.length) {
    const sv = v.indexOf('{', p)
    if (sv < 0) {
      out += v.slice(p)
      break
    }
    out += v.slice(p, sv)
    if (sv + 1 >= v.length) return bad
    if (v[sv + 1] === '{') {
      out += '{'
      p = sv + 2
      continue
    }
    const ev = v.indexOf('}', sv + 1)
    if (ev < 0) return bad
    const value = vars[v.slice(sv + 1, ev)]
    if (value === undefined) return bad
    out += value
    p = ev + 1
  }
  return out.replace(/^ +| +$/g, '') === '' ? bad : undefined
}

// isValidShutdownOnSigFlags.
const validShutdownFlags = (v: string): string | undefined => {
  const parts = v.split(' ')
  return parts.includes('save') && parts.includes('nosave')
    ? "shutdown options SAVE and NOSAVE can't be used simultaneously"
    : undefined
}

// ---------------------------------------------------------------- special directives

/** setConfigSaveOption / getConfigSaveOption: pairs of seconds (>= 1) and changes (>= 0). */
function parseSave(args: string[]): ParseResult {
  if (args.length === 1 && args[0] === '') args = []
  if (args.length % 2 !== 0) return fail('Invalid save parameters')
  const out: string[] = []
  for (let j = 0; j < args.length; j++) {
    const r = strtollFull(args[j], 10)
    // strtoll's end must be the end of the argument; overflow saturates unchecked.
    if (r.end !== args[j].length && !(args[j].length === 0 && r.end === 0)) return fail('Invalid save parameters')
    if ((j & 1) === 0 ? r.value < 1n : r.value < 0n) return fail('Invalid save parameters')
    // seconds are a time_t, changes an int.
    out.push((j & 1) === 0 ? r.value.toString() : BigInt.asIntN(32, r.value).toString())
  }
  return ok(out.join(' '))
}

const CLIENT_CLASSES = ['normal', 'slave', 'pubsub'] as const

/** getClientTypeByName, restricted to the classes output buffer limits apply to. */
function bufferLimitClass(name: string): number {
  switch (name.toLowerCase()) {
    case 'normal':
      return 0
    case 'slave':
    case 'replica':
      return 1
    case 'pubsub':
      return 2
    default:
      return -1 // unknown, or 'master'
  }
}

/**
 * updateClientOutputBufferLimit: groups of <class> <hard> <soft> <soft seconds>;
 * only the classes named change, and nothing changes unless all groups are valid.
 */
function parseClientOutputBufferLimit(args: string[], current: string): ParseResult {
  if (args.length % 4 !== 0) return fail('Wrong number of arguments in buffer limit configuration.')
  const cur = current.split(' ')
  const limits = CLIENT_CLASSES.map((_, i) => [cur[i * 4 + 1], cur[i * 4 + 2], cur[i * 4 + 3]])
  for (let j = 0; j < args.length; j += 4) {
    const cls = bufferLimitClass(args[j])
    if (cls < 0) return fail('Invalid client class specified in buffer limit configuration.')
    const hard = memtoull(args[j + 1])
    const soft = memtoull(args[j + 2])
    const secs = strtollFull(args[j + 3], 10)
    // The seconds go through an int before the sign check.
    const secsInt = BigInt.asIntN(32, secs.value)
    const secsEnd = args[j + 3].length === 0 ? 0 : secs.end
    if (hard === null || soft === null || secsInt < 0n || secsEnd !== args[j + 3].length) {
      return fail('Error in hard, soft or soft_seconds setting in buffer limit configuration.')
    }
    limits[cls] = [hard.toString(), soft.toString(), secsInt.toString()]
  }
  return ok(CLIENT_CLASSES.map((name, i) => `${name} ${limits[i].join(' ')}`).join(' '))
}

/** setConfigOOMScoreAdjValuesOption: three integers in -2000..2000. */
function parseOomScoreAdjValues(args: string[]): ParseResult {
  if (args.length !== 3) return fail('wrong number of arguments')
  const out: string[] = []
  for (const a of args) {
    const r = strtollFull(a, 10)
    const end = a.length === 0 ? 0 : r.end
    if (end !== a.length || r.value < -2000n || r.value > 2000n) {
      return fail('Invalid oom-score-adj-values, elements must be between -2000 and 2000.')
    }
    out.push(r.value.toString())
  }
  return ok(out.join(' '))
}

// notify.c: event class characters and their bits.
const NOTIFY = {
  K: 1 << 0,
  E: 1 << 1,
  g: 1 << 2,
  $: 1 << 3,
  l: 1 << 4,
  s: 1 << 5,
  h: 1 << 6,
  z: 1 << 7,
  x: 1 << 8,
  e: 1 << 9,
  t: 1 << 10,
  m: 1 << 11,
  d: 1 << 12,
  n: 1 << 13,
} as const
const NOTIFY_ALL = NOTIFY.g | NOTIFY.$ | NOTIFY.l | NOTIFY.s | NOTIFY.h | NOTIFY.z | NOTIFY.x | NOTIFY.e | NOTIFY.t | NOTIFY.d

/** keyspaceEventsStringToFlags: the bits of a flags string, or -1 on an unknown character. */
export function keyspaceEventsStringToFlags(s: string): number {
  let flags = 0
  for (const ch of s) {
    if (ch === '\0') break // a C string ends here
    if (ch === 'A') flags |= NOTIFY_ALL
    else if (ch in NOTIFY) flags |= NOTIFY[ch as keyof typeof NOTIFY]
    else return -1
  }
  return flags
}

/** keyspaceEventsFlagsToString: the canonical form ("A" stands for all classes but m and n, and hides n). */
export function keyspaceEventsFlagsToString(flags: number): string {
  let res = ''
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    res += 'A'
  } else {
    for (const ch of 'g$lshzxetdn') if (flags & NOTIFY[ch as keyof typeof NOTIFY]) res += ch
  }
  if (flags & NOTIFY.K) res += 'K'
  if (flags & NOTIFY.E) res += 'E'
  if (flags & NOTIFY.m) res += 'm'
  return res
}

function parseNotifyKeyspaceEvents(args: string[]): ParseResult {
  const flags = keyspaceEventsStringToFlags(args[0])
  if (flags === -1) return fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
  return ok(keyspaceEventsFlagsToString(flags))
}

/** setConfigBindOption: up to 16 addresses (CONFIG_BINDADDR_MAX); a single "" means none. */
function parseBind(args: string[]): ParseResult {
  if (args.length > 16) return fail('Too many bind addresses specified.')
  if (args.length === 1 && args[0] === '') args = []
  return ok(args.join(' '))
}

/** setConfigReplicaOfOption: "<host> <port>" or "no one". */
function parseReplicaOf(args: string[]): ParseResult {
  if (args.length !== 2) return fail('wrong number of arguments')
  if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return ok('')
  const r = strtollFull(args[1], 10)
  const end = args[1].length === 0 ? 0 : r.end
  if (r.value < 0n || r.value > 65535n || end !== args[1].length) return fail('Invalid master port')
  return ok(`${args[0]} ${r.value}`)
}

/** setConfigLatencyTrackingInfoPercentilesOutputOption: doubles in [0, 100], printed "%f" without trailing zeros. */
function parseLatencyPercentiles(args: string[]): ParseResult {
  if (args.length === 1 && args[0] === '') args = []
  const out: string[] = []
  for (const a of args) {
    const v = string2d(a)
    if (v === null) return fail('Invalid latency-tracking-info-percentiles parameters')
    if (v > 100 || v < 0) return fail('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]')
    out.push(trimDoubleString(v.toFixed(6)))
  }
  return ok(out.join(' '))
}

/** util.c trimDoubleString: drop trailing zeros after the point, and the point itself. */
export function trimDoubleString(s: string): string {
  if (!s.includes('.')) return s
  return s.replace(/0+$/, '').replace(/\.$/, '')
}

/**
 * setConfigDirOption without a file system: the new directory, resolved against
 * the current one and normalised like getcwd() would print it.
 */
function parseDir(args: string[], current: string): ParseResult {
  const p = args[0]
  if (p === '') return fail('No such file or directory')
  const parts = (p.startsWith('/') ? p : `${current}/${p}`).split('/')
  const out: string[] = []
  for (const part of parts) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return ok(`/${out.join('/')}`)
}

// ---------------------------------------------------------------- the table

const PROTECTED_ACTION = ['no', 'yes', 'local']

export const configTable: readonly ConfigDef[] = [
  // Bool configs
  bool('rdbchecksum', true, { immutable: true }),
  bool('daemonize', false, { immutable: true }),
  bool('io-threads-do-reads', false, { immutable: true }),
  bool('always-show-logo', false, { immutable: true }),
  bool('protected-mode', true),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, { immutable: true }),
  bool('dynamic-hz', true),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, { alias: 'cluster-slave-no-failover' }),
  bool('replica-lazy-flush', false, { alias: 'slave-lazy-flush' }),
  bool('replica-serve-stale-data', true, { alias: 'slave-serve-stale-data' }),
  bool('replica-read-only', true, { alias: 'slave-read-only' }),
  bool('replica-ignore-maxmemory', true, { alias: 'slave-ignore-maxmemory' }),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false, { validate: noActiveDefrag }),
  bool('syslog-enabled', false, { immutable: true }),
  bool('cluster-enabled', false, { immutable: true }),
  bool('appendonly', false, { denyLoading: true }),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, { hidden: true }),
  bool('disable-thp', true, { immutable: true }),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true),
  bool('aof-disable-auto-gc', false),
  bool('replica-ignore-disk-write-errors', false),

  // String configs
  str('aclfile', '', { immutable: true }),
  str('unixsocket', '', { immutable: true }),
  str('pidfile', '', { immutable: true }),
  str('replica-announce-ip', '', { alias: 'slave-announce-ip' }),
  str('masteruser', ''),
  str('cluster-announce-ip', ''),
  str('cluster-config-file', 'nodes.conf', { immutable: true }),
  str('cluster-announce-hostname', '', { validate: validHostname }),
  str('syslog-ident', 'redis', { immutable: true }),
  str('dbfilename', 'dump.rdb', { protected: true, validate: validDbFilename }),
  str('appendfilename', 'appendonly.aof', { immutable: true, validate: validAofFilename }),
  str('appenddirname', 'appendonlydir', { immutable: true, validate: validAofDirname }),
  str('server_cpulist', '', { immutable: true }),
  str('bio_cpulist', '', { immutable: true }),
  str('aof_rewrite_cpulist', '', { immutable: true }),
  str('bgsave_cpulist', '', { immutable: true }),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', { validate: validProcTitle }),
  str('bind-source-addr', ''),
  str('logfile', '', { immutable: true }),
  str('masterauth', ''),
  str('requirepass', ''),

  // Enum configs
  enumc('supervised', ['upstart', 'systemd', 'auto', 'no'], 'no', { immutable: true }),
  enumc('syslog-facility', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], 'local0', {
    immutable: true,
  }),
  enumc('repl-diskless-load', ['disabled', 'on-empty-db', 'swapdb'], 'disabled', { denyLoading: true }),
  enumc('loglevel', ['debug', 'verbose', 'notice', 'warning'], 'notice'),
  enumc(
    'maxmemory-policy',
    ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
    'noeviction',
  ),
  enumc('appendfsync', ['everysec', 'always', 'no'], 'everysec'),
  // "yes" and "relative" are the same setting; CONFIG GET prints the first spelling.
  enumc('oom-score-adj', ['no', 'yes', 'relative', 'absolute'], 'no', { enumNums: [0, 1, 1, 2] }),
  enumc('acl-pubsub-default', ['allchannels', 'resetchannels'], 'resetchannels'),
  enumc('sanitize-dump-payload', ['no', 'yes', 'clients'], 'no'),
  enumc('enable-protected-configs', PROTECTED_ACTION, 'no', { immutable: true }),
  enumc('enable-debug-command', PROTECTED_ACTION, 'no', { immutable: true }),
  enumc('enable-module-command', PROTECTED_ACTION, 'no', { immutable: true }),
  enumc('cluster-preferred-endpoint-type', ['ip', 'hostname', 'unknown-endpoint'], 'ip'),
  enumc('propagation-error-behavior', ['ignore', 'panic', 'panic-on-replicas'], 'ignore'),
  enumc('shutdown-on-sigint', ['default', 'save', 'nosave', 'now', 'force'], 'default', {
    multiArg: true,
    enumNums: [0, 1, 2, 4, 8],
    validate: validShutdownFlags,
  }),
  enumc('shutdown-on-sigterm', ['default', 'save', 'nosave', 'now', 'force'], 'default', {
    multiArg: true,
    enumNums: [0, 1, 2, 4, 8],
    validate: validShutdownFlags,
  }),
  enumc('tls-auth-clients', ['no', 'yes', 'optional'], 'yes'),

  // Integer configs (int)
  int('databases', 1, INT_MAX, 16, { immutable: true }),
  // Redis rebinds on CONFIG SET port; the engine stores it and hosts may listen for the change.
  int('port', 0, 65535, 6379),
  int('io-threads', 1, 128, 1, { immutable: true }),
  int('auto-aof-rewrite-percentage', 0, INT_MAX, 100),
  int('cluster-replica-validity-factor', 0, INT_MAX, 10, { alias: 'cluster-slave-validity-factor' }),
  int('list-max-listpack-size', INT_MIN, INT_MAX, -2, { alias: 'list-max-ziplist-size' }),
  int('tcp-keepalive', 0, INT_MAX, 300),
  int('cluster-migration-barrier', 0, INT_MAX, 1),
  int('active-defrag-cycle-min', 1, 99, 1),
  int('active-defrag-cycle-max', 1, 99, 25),
  int('active-defrag-threshold-lower', 0, 1000, 10),
  int('active-defrag-threshold-upper', 0, 1000, 100),
  int('lfu-log-factor', 0, INT_MAX, 10),
  int('lfu-decay-time', 0, INT_MAX, 1),
  int('replica-priority', 0, INT_MAX, 100, { alias: 'slave-priority' }),
  int('repl-diskless-sync-delay', 0, INT_MAX, 5),
  int('maxmemory-samples', 1, INT_MAX, 5),
  int('maxmemory-eviction-tenacity', 0, 100, 10),
  int('timeout', 0, INT_MAX, 0),
  int('replica-announce-port', 0, 65535, 0, { alias: 'slave-announce-port' }),
  int('tcp-backlog', 0, INT_MAX, 511, { immutable: true }),
  int('cluster-port', 0, 65535, 0, { immutable: true }),
  int('cluster-announce-bus-port', 0, 65535, 0),
  int('cluster-announce-port', 0, 65535, 0),
  int('cluster-announce-tls-port', 0, 65535, 0),
  int('repl-timeout', 1, INT_MAX, 60),
  int('repl-ping-replica-period', 1, INT_MAX, 10, { alias: 'repl-ping-slave-period' }),
  int('list-compress-depth', 0, INT_MAX, 0),
  int('rdb-key-save-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  int('key-load-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  int('active-expire-effort', 1, 10, 1),
  // updateHZ: out-of-range values are accepted but capped to CONFIG_MIN_HZ..CONFIG_MAX_HZ.
  int('hz', 0, INT_MAX, 10, { normalise: (n) => (n < 1n ? 1n : n > 500n ? 500n : n) }),
  int('min-replicas-to-write', 0, INT_MAX, 0, { alias: 'min-slaves-to-write' }),
  int('min-replicas-max-lag', 0, INT_MAX, 10, { alias: 'min-slaves-max-lag' }),
  int('watchdog-period', 0, INT_MAX, 0, { hidden: true }),
  int('shutdown-timeout', 0, INT_MAX, 10),
  int('repl-diskless-sync-max-replicas', 0, INT_MAX, 0),
  int('tls-port', 0, 65535, 0),
  int('tls-session-cache-size', 0, INT_MAX, 20 * 1024),
  int('tls-session-cache-timeout', 0, INT_MAX, 300),

  // Unsigned int configs
  uint('maxclients', 1, UINT_MAX, 10000),
  uint('unixsocketperm', 0, 0o777, 0, { immutable: true, octal: true }),
  uint('socket-mark-id', 0, UINT_MAX, 0, { immutable: true }),

  // Unsigned long configs (compared signed, as config.c does for unsigned long)
  int('active-defrag-max-scan-fields', 1, LONG_MAX, 1000),
  int('slowlog-max-len', 0, LONG_MAX, 128),
  int('acllog-max-len', 0, LONG_MAX, 128),

  // Long long configs
  int('busy-reply-threshold', 0, LONG_MAX, 5000, { alias: 'lua-time-limit' }),
  int('cluster-node-timeout', 0, LLONG_MAX, 15000),
  int('slowlog-log-slower-than', -1, LLONG_MAX, 10000),
  int('latency-monitor-threshold', 0, LLONG_MAX, 0),
  mem(int('proto-max-bulk-len', MB, LONG_MAX, 512 * MB)),
  int('stream-node-max-entries', 0, LLONG_MAX, 100),
  // resizeReplicationBacklog: never below CONFIG_REPL_BACKLOG_MIN_SIZE (16 KB).
  mem(int('repl-backlog-size', 1, LLONG_MAX, MB, { normalise: (n) => (n < 16384n ? 16384n : n) })),

  // Unsigned long long configs
  mem(uint('maxmemory', 0, ULLONG_MAX, 0)),
  mem(uint('cluster-link-sendbuf-limit', 0, ULLONG_MAX, 0)),

  // Size_t configs
  uint('hash-max-listpack-entries', 0, LONG_MAX, 512, { alias: 'hash-max-ziplist-entries' }),
  uint('set-max-intset-entries', 0, LONG_MAX, 512),
  uint('zset-max-listpack-entries', 0, LONG_MAX, 128, { alias: 'zset-max-ziplist-entries' }),
  mem(uint('active-defrag-ignore-bytes', 1, LLONG_MAX, 100 * MB)),
  mem(uint('hash-max-listpack-value', 0, LONG_MAX, 64, { alias: 'hash-max-ziplist-value' })),
  mem(uint('stream-node-max-bytes', 0, LONG_MAX, 4096)),
  mem(uint('zset-max-listpack-value', 0, LONG_MAX, 64, { alias: 'zset-max-ziplist-value' })),
  mem(uint('hll-sparse-max-bytes', 0, LONG_MAX, 3000)),
  uint('tracking-table-max-keys', 0, LONG_MAX, 1000000),
  mem(uint('client-query-buffer-limit', MB, LONG_MAX, 1024 * MB)),
  mem(int('maxmemory-clients', -100, SSIZE_MAX, 0, { percent: true })),

  // Other configs (time_t, off_t)
  int('repl-backlog-ttl', 0, LONG_MAX, 60 * 60),
  mem(int('auto-aof-rewrite-min-size', 0, LLONG_MAX, 64 * MB)),
  int('loading-process-events-interval-bytes', 1024, INT_MAX, 2 * MB, { hidden: true }),

  // TLS strings and bools (Debian builds with TLS support)
  bool('tls-cluster', false),
  bool('tls-replication', false),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  str('tls-cert-file', ''),
  str('tls-key-file', ''),
  str('tls-key-file-pass', ''),
  str('tls-client-cert-file', ''),
  str('tls-client-key-file', ''),
  str('tls-client-key-file-pass', ''),
  str('tls-dh-params-file', ''),
  str('tls-ca-cert-file', ''),
  str('tls-ca-cert-dir', ''),
  str('tls-protocols', ''),
  str('tls-ciphers', ''),
  str('tls-ciphersuites', ''),

  // Special configs
  special('dir', '/', parseDir, { protected: true, denyLoading: true }),
  special('save', '3600 1 300 100 60 10000', parseSave, { multiArg: true }),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', parseClientOutputBufferLimit, {
    multiArg: true,
  }),
  special('oom-score-adj-values', '0 200 800', parseOomScoreAdjValues, { multiArg: true }),
  special('notify-keyspace-events', '', parseNotifyKeyspaceEvents),
  special('bind', '* -::*', parseBind, { multiArg: true }),
  special('replicaof', '', parseReplicaOf, { alias: 'slaveof', immutable: true, multiArg: true }),
  special('latency-tracking-info-percentiles', '50 99 99.9', parseLatencyPercentiles, { multiArg: true }),

  // Not a Redis directive: the switch DEBUG SET-ACTIVE-EXPIRE flips (server.active_expire_enabled).
  { name: 'active-expire-enabled', type: 'bool', default: 'yes', internal: true },
]
