// Differential tests of the server commands (CONFIG, INFO, MEMORY, COMMAND,
// DEBUG, SHUTDOWN) against redis-server 7.0.15, byte for byte, in RESP2 and
// RESP3. Every normaliser below names the reason it exists; everything else is
// compared exactly.
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, unorderedPairs, type Normaliser, type Oracle } from '../support/oracle.ts'
import { parseReply, splitReplies, type RespNode } from '../support/resp-conn.ts'
import { configTable } from '../../engine/server/config-table.ts'
import { Config, type ConfigDef } from '../../engine/server/config.ts'

const why = (reason: string, fn: (raw: string) => string): Normaliser => Object.assign(fn, { why: reason })

// The oracle's redis-server runs with `--save '' --appendonly no --bind 127.0.0.1`
// on a random port in a temporary --dir: the engine gets the same start-up values.
const ENGINE_CONFIG = { save: '', appendonly: 'no', bind: '127.0.0.1' }

// ---------------------------------------------------------------- reply rewriting

/** Rebuilds a node from its (possibly rewritten) children. */
function rebuild(node: RespNode, items: readonly string[]): string {
  const head = node.raw.slice(0, node.raw.indexOf('\r\n') + 2)
  return head + items.join('')
}

/** Applies fn to each frame. */
const perFrame = (fn: (n: RespNode) => string) => (raw: string): string =>
  splitReplies(raw)
    .map((f) => fn(parseReply(f)))
    .join('')

/**
 * CONFIG GET answers in the order of Redis's configs dict, random per process:
 * pairs are sorted. The port and dir values are the oracle's random port and
 * temporary directory (host facts by nature): they are masked.
 */
const configPairs: Normaliser = why('CONFIG GET pair order is dict order (sorted); port/dir values are the random test port and temp dir (masked)', (raw) =>
  unorderedPairs(
    perFrame((n) => {
      if ((n.type !== '*' && n.type !== '%') || !n.items) return n.raw
      const items = n.items.map((i) => i.raw)
      for (let i = 0; i + 1 < n.items.length; i += 2) {
        const key = n.items[i]
        const name = key.type === '$' ? key.data : null
        if (name !== null && /^(port|dir)$/i.test(name)) items[i + 1] = '$5\r\nHOST!\r\n'
      }
      return rebuild(n, items)
    })(raw),
  ),
)

/** The text inside a bulk or verbatim reply, rewritten, with a fixed length header. */
function mapText(fn: (text: string) => string): (raw: string) => string {
  return perFrame((n) => {
    if (n.type === '$' && n.data !== null) {
      const t = fn(n.data)
      return `$${t.length}\r\n${t}\r\n`
    }
    if (n.type === '=' && n.data !== null) {
      const t = `${n.data.slice(0, 4)}${fn(n.data.slice(4))}`
      return `=${t.length}\r\n${t}\r\n`
    }
    return n.raw
  })
}

// INFO fields whose values describe the host process, its build, the wall
// clock, the network transport or the allocator, which the engine models
// rather than shares. Their names and order are compared, not their values.
const HOST_FIELDS = new Set([
  // Server: build, OS, process and time.
  'redis_build_id', 'os', 'monotonic_clock', 'multiplexing_api', 'atomicvar_api', 'gcc_version', 'process_id',
  'run_id', 'tcp_port', 'server_time_usec', 'uptime_in_seconds', 'lru_clock', 'executable',
  // Clients: socket buffer sizes.
  'client_recent_max_input_buffer', 'client_recent_max_output_buffer',
  // Memory: the allocator's numbers (the engine models them) and the Lua VMs.
  'used_memory', 'used_memory_human', 'used_memory_rss', 'used_memory_rss_human', 'used_memory_peak', 'used_memory_peak_human',
  'used_memory_peak_perc', 'used_memory_overhead', 'used_memory_startup', 'used_memory_dataset', 'used_memory_dataset_perc',
  'allocator_allocated', 'allocator_active', 'allocator_resident', 'total_system_memory', 'total_system_memory_human',
  'used_memory_lua', 'used_memory_vm_eval', 'used_memory_lua_human', 'used_memory_scripts_eval', 'used_memory_vm_functions',
  'used_memory_vm_total', 'used_memory_vm_total_human', 'used_memory_functions', 'used_memory_scripts', 'used_memory_scripts_human',
  'allocator_frag_ratio', 'allocator_frag_bytes', 'allocator_rss_ratio', 'allocator_rss_bytes', 'rss_overhead_ratio',
  'rss_overhead_bytes', 'mem_fragmentation_ratio', 'mem_fragmentation_bytes', 'mem_clients_normal',
  // Persistence: wall-clock time.
  'rdb_last_save_time',
  // Stats: rates over time, CPU time, transport bytes and reads, socket buffers, sampling averages.
  'instantaneous_ops_per_sec', 'instantaneous_input_kbps', 'instantaneous_output_kbps', 'instantaneous_input_repl_kbps',
  'instantaneous_output_repl_kbps', 'expired_stale_perc', 'expire_cycle_cpu_milliseconds', 'total_net_input_bytes',
  'total_net_output_bytes', 'total_reads_processed', 'total_writes_processed', 'reply_buffer_shrinks', 'reply_buffer_expands',
  // Replication: a random id.
  'master_replid',
  // CPU: times.
  'used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread',
  'used_cpu_user_main_thread',
])

/**
 * INFO: host values masked (see HOST_FIELDS), command timings masked
 * (cmdstat usec, latency percentiles), avg_ttl masked (an estimate the active
 * expire cycle samples in real time), and Commandstats/Latencystats lines
 * sorted (Redis walks its command dict, whose order is random).
 */
const infoNormal: Normaliser = why('INFO: host/time/allocator values masked, command timings masked, cmdstat/latency lines sorted (dict order)', mapText((text) => {
  const sections = text.split('\r\n\r\n')
  return sections
    .map((sec) => {
      const lines = sec.split('\r\n')
      const out = lines.map((l) => {
        if (l.startsWith('#') || l === '') return l
        const colon = l.indexOf(':')
        const name = l.slice(0, colon)
        if (HOST_FIELDS.has(name)) return `${name}:~`
        if (name.startsWith('cmdstat_')) return l.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=~,usec_per_call=~')
        if (name.startsWith('latency_percentiles_usec_')) return l.replace(/=[\d.]+/g, '=~')
        if (/^db\d+$/.test(name)) return l.replace(/avg_ttl=\d+/, 'avg_ttl=~')
        return l
      })
      const head = out[0]?.startsWith('#') ? [out[0]] : []
      const body = out.slice(head.length)
      if (head[0] === '# Commandstats' || head[0] === '# Latencystats') body.sort()
      return [...head, ...body].join('\r\n')
    })
    .join('\r\n\r\n')
}))

/** DEBUG OBJECT: the value's address is a pointer and lru/lru_seconds_idle are clock readings. */
const debugObjectNormal: Normaliser = why('DEBUG OBJECT: address is a pointer, lru fields are clock readings (masked)', (raw) =>
  raw.replace(/Value at:0x[0-9a-f]+/, 'Value at:~').replace(/lru:\d+ lru_seconds_idle:\d+/, 'lru:~ lru_seconds_idle:~'),
)

/**
 * COMMAND INFO / DOCS: a container's subcommands come from its subcommand
 * dict, in random order: they are sorted (array entries, or map pairs).
 */
const subcommandsSorted: Normaliser = why('subcommands are listed in dict order (sorted)', perFrame(function norm(n: RespNode): string {
  if (n.type === '|' || !('items' in n) || !n.items) return n.raw
  const items = n.items
  const out = items.map(norm)
  // A COMMAND INFO entry: 10 elements (name, arity, ...), the last the subcommand entries.
  if (n.type === '*' && items.length === 10 && items[0].type === '$' && items[1].type === ':') {
    const subs = items[9]
    if (subs.type === '*' && subs.items) out[9] = rebuild(subs, subs.items.map(norm).sort())
  }
  // A COMMAND DOCS map (flat in RESP2): the value after "subcommands" maps names to docs.
  for (let i = 0; i + 1 < items.length; i += 2) {
    const k = items[i]
    const v = items[i + 1]
    if (k.type === '$' && k.data === 'subcommands' && (v.type === '*' || v.type === '%') && v.items) {
      const pairs: string[] = []
      for (let j = 0; j + 1 < v.items.length; j += 2) pairs.push(v.items[j].raw + norm(v.items[j + 1]))
      out[i + 1] = rebuild(v, pairs.sort())
    }
  }
  return rebuild(n, out)
}))

/** COMMAND LIST: names come in command dict order (sorted). */
const sortedArray: Normaliser = why('command names come in dict order (sorted)', perFrame((n) => {
  if (n.type !== '*' || !n.items) return n.raw
  return rebuild(n, n.items.map((i) => i.raw).sort())
}))

/** MEMORY STATS / MALLOC-STATS: allocator figures of a real allocator vs the engine's model (only the layout is compared). */
const layoutOnly: Normaliser = why('memory statistics of the real allocator vs the model: only keys and reply types compared', perFrame(function shape(n: RespNode): string {
  switch (n.type) {
    case '*': case '%': case '~':
      return n.items ? `${n.type}${n.items.length}[${n.items.map((it, i) => (i % 2 === 0 && n.type !== '~' ? it.raw : shape(it))).join('')}]` : n.raw
    case '$': return '$'
    case ':': return ':'
    case ',': return ','
    case '=': return '='
    default: return n.raw
  }
}))

// ---------------------------------------------------------------- CONFIG SET battery

const scratch = new Config(configTable)

/** Values worth trying for a directive, valid and invalid, by type. */
function candidates(d: ConfigDef): string[] {
  const common = ['', 'abc', ' 1', 'YES']
  switch (d.type) {
    case 'bool':
      return ['yes', 'no', 'YES', 'No', 'maybe', '1', '0', '', 'yes ', 'y']
    case 'enum':
      return [...d.values!, ...d.values!.map((v) => v.toUpperCase()), 'nope', '', `${d.values![0]} ${d.values![1] ?? ''}`, `${d.values!.at(-1)} ${d.values![0]}`]
    case 'int':
    case 'memory': {
      const min = BigInt(d.min ?? -(2n ** 63n))
      const max = BigInt(d.max ?? 2n ** 63n - 1n)
      const vals = ['0', '1', '-1', '2', '100', '65535', '65536', String(min), String(max), String(min - 1n), String(max + 1n)]
      vals.push('abc', '', ' 1', '1 ', '+1', '-0', '01', '1.5', '0x10', '99999999999999999999', '-99999999999999999999', '2147483648', '4294967296')
      if (d.type === 'memory') vals.push('1k', '1kb', '1K', '1Kb', '1m', '1mb', '1g', '1gb', '1b', '1B', '10x', 'kb', '2mb', '18446744073709551615', '18446744073709551616', '9223372036854775808', '1e3', '5%', '100%', '101%', '-5%', '%')
      if (d.octal) vals.push('777', '0777', '1000', '8', '-7')
      return vals
    }
    case 'string':
      return ['', 'hello', 'a b', 'with/slash', 'back\\slash', 'host-name.1', 'under_score', '{title}', '{port}', '{title} {listen-addr}', '{{', '{nope}', '{port', 'x'.repeat(300)]
    case 'special':
      return [...SPECIAL_VALUES[d.name], ...common]
  }
}

const SPECIAL_VALUES: Record<string, string[]> = {
  dir: ['/tmp', 'rel'],
  save: ['3600 1', '3600 1 7200 5', '3600', '0 1', '3600 -1', '3600 x', '3600  1', '+3600 -0', '99999999999999999999 4294967297', '3600 1 ', ' 3600 1', '\t3600 1'],
  'client-output-buffer-limit': ['pubsub 32mb 8mb 60', 'slave 256mb 64mb 60 pubsub 33554432 8388608 60', 'replica 1gb 1gb 0', 'master 1 1 1', 'pubsub 1 1', 'pubsub x 1 1', 'pubsub 1 1 -1', 'pubsub 1 1 4294967296', 'pubsub 1 1 2147483648', 'PUBSUB 1kb 1KB 1', 'nope 1 1 1', 'pubsub 1 1 1x', 'normal 0 0 0'],
  'oom-score-adj-values': ['0 200 800', '1 2 3', '-2000 0 2000', '2001 0 0', '1 2', '1 2 3 4', 'a b c', '1  2', '+1 -0 0x1'],
  'notify-keyspace-events': ['KEA', 'An', 'Kn', 'g$lshzxetd', 'Ex', 'm', 'nm', 'KEAmn', 'x', 'KEA!', 'AAAA', 'E'],
  bind: ['1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17'],
  replicaof: ['no one', '127.0.0.1 6380'],
  'latency-tracking-info-percentiles': ['50 99 99.9', '0 100', '50', '0.5 99.99999', '101', '-1', 'x', '50  99', '1e1', 'nan', 'inf', ' 50', '33.3333333333'],
}

/**
 * Valid values that would disturb the oracle's redis-server if applied (rebind
 * its port, kill or evict the test's own connection, start AOF or TLS,
 * trigger background saves): those are only tried where invalid.
 */
function safeToApply(name: string, canonical: string): boolean {
  switch (name) {
    case 'port': case 'bind': case 'tls-port': case 'watchdog-period':
      return false
    case 'maxclients':
      return canonical === '10000'
    case 'timeout':
      return canonical === '0' || Number(canonical) >= 3600
    case 'maxmemory-clients':
      return canonical === '0' || canonical.endsWith('%') || Number(canonical) >= 2 ** 30
    case 'client-output-buffer-limit':
      return canonical.startsWith('normal 0 0 0 ')
    case 'oom-score-adj':
      return canonical === 'no'
    case 'appendonly': case 'tls-cluster': case 'tls-replication':
      return canonical === 'no'
    case 'save':
      return canonical.split(' ').every((v, i) => i % 2 === 1 || Number(v) >= 3600)
    default:
      return true
  }
}

async function configBattery(o: Oracle, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const def = scratch.lookup(name)!
    const initial = await o.expectSame(['CONFIG', 'GET', name], configPairs)
    const node = parseReply(initial.redis)
    const start = node.type !== '_' && 'items' in node && node.items?.[1]?.type === '$' ? node.items[1].data! : def.default
    for (const v of candidates(def)) {
      const r = scratch.check(def, v)
      if (r.ok && !def.immutable && !def.protected && !safeToApply(def.name, r.value)) continue
      await o.expectSame(['CONFIG', 'SET', name, v])
      await o.expectSame(['CONFIG', 'GET', name], configPairs)
    }
    if (!def.immutable && !def.protected) await o.expectSame(['CONFIG', 'SET', name, start])
    await o.expectSame(['CONFIG', 'GET', name], configPairs)
  }
}

const ALL_NAMES = scratch.names()

// ---------------------------------------------------------------- tests

for (const resp of [2, 3] as const) {
  describeOracle(`server commands (RESP${resp})`, () => {
    const oracle = useOracle({ resp, engineConfig: ENGINE_CONFIG })

    it('CONFIG GET: every directive, patterns, aliases, hidden ones', async () => {
      await oracle().runScript(`
        CONFIG GET
        CONFIG GET nosuch
        CONFIG GET maxmemory
        CONFIG GET MAXMEMORY
        CONFIG GET maxmemory MAXMEMORY maxmemory
        CONFIG GET Hash-Max-Ziplist-Entries
        CONFIG GET use-exit-on-panic
        CONFIG GET use-*
        CONFIG GET ""
      `)
      for (const pattern of ['rdb-key-save-delay key-load-delay watchdog-period loading-process-events-interval-bytes',
        'save appendonly bind', 'maxmemory Maxmemory hash-max-ziplist-entries hash-max-listpack-entries nosuch', '*', '*max*', 'hash-max-ziplist-* maxmemory', '*-ziplist-* *-listpack-*', 'MAXMEMORY *', '* MAXMEMORY',
        '[a-c]*', '?z*', 'slave*', '*-*-*-*-*', 'TLS-*', 'lua-time-limit busy-*', '*[', '\\*', 'save*', 'enable-*']) {
        await oracle().expectSame(['CONFIG', 'GET', ...pattern.split(' ')], configPairs)
      }
    })

    it('CONFIG SET: every directive with valid and invalid values', async () => {
      await configBattery(oracle(), ALL_NAMES)
    }, 300_000)

    it('CONFIG SET: several pairs, rollback, duplicates, precedence of errors', async () => {
      const o = oracle()
      const steps: string[][] = [
        ['CONFIG', 'SET', 'maxmemory'],
        ['CONFIG', 'SET', 'maxmemory', '1', 'hz'],
        ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'bad'],
        ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-lru', 'hz', 'x'],
        ['CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-lru'],
        ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'hz', '10'],
        ['CONFIG', 'SET', 'maxmemory', '1', 'maxmemory', '2'],
        ['CONFIG', 'SET', 'maxmemory', '1', 'MAXMEMORY', '2'],
        ['CONFIG', 'SET', 'hash-max-ziplist-entries', '100', 'hash-max-listpack-entries', '200'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '300', 'hash-max-ziplist-entries', '400'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
        ['CONFIG', 'SET', 'foo', 'bar', 'maxmemory', 'x'],
        ['CONFIG', 'SET', 'maxmemory', 'x', 'foo', 'bar'],
        ['CONFIG', 'SET', 'databases', '1', 'foo', 'bar'],
        ['CONFIG', 'SET', 'foo', 'bar', 'databases', '1'],
        ['CONFIG', 'SET', 'maxmemory', '1', 'maxmemory', '2', 'foo', 'bar'],
        ['CONFIG', 'SET', 'DATABASES', '5'],
        ['CONFIG', 'SET', 'MAXMEMORY', 'abc'],
        ['CONFIG', 'SET', 'Hash-Max-Ziplist-Entries', 'abc'],
        ['CONFIG', 'SET', 'dir', '/tmp', 'dbfilename', 'x.rdb'],
        ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
        ['CONFIG', 'SET', 'hz', '20', 'active-expire-effort', '11'],
        ['CONFIG', 'SET', 'save', '3600 1', 'save', '7200 1'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 1mb 1', 'client-output-buffer-limit', 'slave 1mb 1mb 1'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 2mb 2mb 2 slave 3mb 3mb 3', 'hz', 'bad'],
        ['CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60 slave 268435456 67108864 60'],
        ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA', 'maxmemory-policy', 'nope'],
        ['CONFIG', 'SET', 'slaveof', 'no one'],
        ['CONFIG', 'SET', 'lua-time-limit', '100', 'busy-reply-threshold', '200'],
        ['CONFIG', 'SET', 'busy-reply-threshold', '5000'],
      ]
      for (const s of steps) {
        await o.expectSame(s)
        await o.expectSame(['CONFIG', 'GET', 'maxmemory', 'maxmemory-policy', 'hz', 'hash-max-listpack-entries', 'save',
          'client-output-buffer-limit', 'notify-keyspace-events', 'busy-reply-threshold', 'active-expire-effort'], configPairs)
      }
      await o.runScript(`
        CONFIG SET notify-keyspace-events ""
        CONFIG SET save ""
      `)
    })

    it('CONFIG HELP, REWRITE, RESETSTAT and unknown subcommands', async () => {
      await oracle().runScript(`
        CONFIG HELP
        config help
        CONFIG HELP extra
        CONFIG REWRITE
        CONFIG REWRITE x
        CONFIG RESETSTAT
        CONFIG RESETSTAT x
        CONFIG
        CONFIG foo
        CONFIG foo bar
      `)
    })

    it('INFO sections, section selection, RESP3 verbatim', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG RESETSTAT
        SET info:a 1
        SET info:b hello
        GET info:a
        GET info:missing
        INCR info:b
        NOSUCHCOMMAND
        SELECT 3
        SET info:c x
        SELECT 0
      `)
      for (const args of [[], ['default'], ['all'], ['everything'], ['server'], ['SERVER'], ['clients'], ['memory'], ['persistence'],
        ['stats'], ['replication'], ['cpu'], ['modules'], ['module_list'], ['commandstats'], ['errorstats'], ['latencystats'],
        ['cluster'], ['keyspace'], ['Keyspace'], ['foo'], ['foo', 'bar'], ['server', 'clients'], ['keyspace', 'server'],
        ['default', 'commandstats'], ['all', 'foo'], ['everything', 'modules'], ['server', 'server'], ['all', 'default'],
        ['errorstats', 'commandstats', 'keyspace']]) {
        await o.expectSame(['INFO', ...args], infoNormal)
      }
    })

    it('INFO keyspace, errorstats and commandstats exactly', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG RESETSTAT
        FLUSHALL
      `)
      await o.expectSame(['INFO', 'keyspace'])
      await o.expectSame(['INFO', 'errorstats'])
      await o.expectSame(['INFO', 'commandstats'], infoNormal)
      await o.runScript(`
        SET ks:1 a
        SET ks:2 b
        SELECT 5
        SET ks:3 c
        SELECT 15
        SET ks:4 d
        SELECT 0
        HELLO 4
        HELLO x
        GET
        CONFIG SET foo bar
        CONFIG
        CONFIG foo
        nosuch
        INCR ks:1
        INCRBYFLOAT ks:1 x
      `)
      await o.expectSame(['INFO', 'keyspace'])
      await o.expectSame(['INFO', 'errorstats'])
      await o.expectSame(['INFO', 'commandstats'], infoNormal)
      await o.expectSame(['INFO', 'stats'], infoNormal)
      await o.runScript(`
        CONFIG RESETSTAT
        INFO errorstats
      `)
      await o.expectSame(['INFO', 'commandstats'], infoNormal)
      await o.expectSame(['INFO', 'stats'], infoNormal)
    })

    it('MEMORY USAGE of strings by length, encoding and key length', async () => {
      const o = oracle()
      const lengths = [...Array.from({ length: 101 }, (_, i) => i), 127, 128, 200, 255, 256, 300, 1000, 4096, 16384, 32768, 40000,
        65535, 65536, 70000, 100000]
      for (const n of lengths) {
        const v = 'v'.repeat(n)
        await o.expectSame(['SET', 'mem:k', v])
        await o.expectSame(['MEMORY', 'USAGE', 'mem:k'])
      }
      for (const n of [0, 1, 4, 5, 6, 20, 21, 28, 29, 30, 31, 32, 33, 40, 44, 45, 60, 61, 100, 252, 253, 254, 255, 256, 1000]) {
        const k = 'k'.repeat(n)
        await o.expectSame(['SET', k, 'x'])
        await o.expectSame(['MEMORY', 'USAGE', k])
        await o.expectSame(['DEL', k])
      }
      for (const v of ['0', '1', '9999', '10000', '-1', '123456789', '-9223372036854775808', '9223372036854775807',
        '9223372036854775808', '01', ' 1', '1.5', '12345678901234567890', '-0']) {
        await o.expectSame(['SET', 'mem:int', v])
        await o.expectSame(['MEMORY', 'USAGE', 'mem:int'])
      }
      await o.runScript(`
        MEMORY USAGE mem:int SAMPLES 0
        MEMORY USAGE mem:int SAMPLES 100
        MEMORY USAGE mem:int samples 1
        MEMORY USAGE mem:int SAMPLES -1
        MEMORY USAGE mem:int SAMPLES x
        MEMORY USAGE mem:int SAMPLES
        MEMORY USAGE mem:int foo
        MEMORY USAGE mem:int SAMPLES 1 SAMPLES 2
        MEMORY USAGE mem:missing
        MEMORY USAGE
        MEMORY HELP
        memory help
        MEMORY HELP x
        MEMORY foo
        MEMORY
        MEMORY PURGE
        MEMORY DOCTOR
      `)
      await o.expectSame(['MEMORY', 'STATS'], layoutOnly)
      await o.expectSame(['MEMORY', 'MALLOC-STATS'], layoutOnly)
    })

    it('COMMAND INFO, DOCS, GETKEYS, LIST, HELP', async () => {
      const o = oracle()
      for (const args of [['INFO', 'get'], ['INFO', 'GET', 'set', 'nosuch', 'config|get', 'CONFIG|SET', 'config|nosuch', 'get|x'],
        ['INFO', 'config'], ['INFO', 'memory', 'command'], ['INFO', 'info', 'debug', 'shutdown', 'memory|usage'],
        ['DOCS', 'get'], ['DOCS', 'config', 'memory', 'command'], ['DOCS', 'set', 'nosuch', 'info'], ['DOCS', 'memory|usage', 'shutdown'],
        ['LIST', 'FILTERBY', 'PATTERN', 'config*'], ['LIST', 'FILTERBY', 'pattern', 'MEMORY|*'], ['LIST', 'FILTERBY', 'PATTERN', 'command*'],
        ['LIST', 'FILTERBY', 'MODULE', 'x'], ['LIST', 'FILTERBY', 'ACLCAT', 'nosuchcat'], ['LIST', 'FILTERBY', 'x', 'y'],
        ['LIST', 'FILTERBY', 'PATTERN'], ['LIST', 'x'], ['LIST', 'FILTERBY', 'PATTERN', 'a', 'FILTERBY', 'PATTERN', 'b'],
        ['GETKEYS', 'set', 'k', 'v'], ['GETKEYS', 'get', 'k'], ['GETKEYS', 'mset', 'a', '1', 'b', '2'], ['GETKEYS', 'memory', 'usage', 'k'],
        ['GETKEYSANDFLAGS', 'set', 'k', 'v'], ['GETKEYSANDFLAGS', 'mset', 'a', '1', 'b', '2'], ['GETKEYS', 'nosuch', 'x'],
        ['GETKEYS', 'ping', 'x'], ['GETKEYS', 'get'], ['GETKEYS', 'get', 'a', 'b'], ['GETKEYS', 'config', 'get', 'x'],
        ['GETKEYS', 'memory', 'nosuch', 'x'], ['HELP'], ['HELP', 'x'], ['nosuch'], ['COUNT', 'x']]) {
        await o.expectSame(['COMMAND', ...args], args[0] === 'LIST' ? sortedArray : subcommandsSorted)
      }
    })

    it('DEBUG is refused by default, SHUTDOWN argument errors', async () => {
      await oracle().runScript(`
        DEBUG OBJECT x
        DEBUG HELP
        debug
        SHUTDOWN ABORT
        SHUTDOWN abort
        SHUTDOWN NOW ABORT
        SHUTDOWN ABORT FORCE
        SHUTDOWN SAVE NOSAVE
        SHUTDOWN NOSAVE SAVE NOW
        SHUTDOWN FOO
        SHUTDOWN NOW FOO
      `)
    })
  })

  describeOracle(`protected configs allowed (RESP${resp})`, () => {
    const oracle = useOracle({
      resp,
      redisArgs: ['--enable-protected-configs', 'yes'],
      engineConfig: { ...ENGINE_CONFIG, 'enable-protected-configs': 'yes' },
    })

    it('CONFIG SET dir and dbfilename', async () => {
      // Only directories that exist: Redis chdir()s, the engine has no file system to ask.
      await oracle().runScript(`
        CONFIG GET enable-protected-configs
        CONFIG SET dir /tmp
        CONFIG GET dir
        CONFIG SET dir /
        CONFIG GET dir
        CONFIG SET dir tmp
        CONFIG GET dir
        CONFIG SET dir /tmp/../tmp/.
        CONFIG GET dir
        CONFIG SET dbfilename other.rdb
        CONFIG GET dbfilename
        CONFIG SET dbfilename a/b.rdb
        CONFIG SET dbfilename a\\b.rdb
        CONFIG SET dbfilename ""
        CONFIG GET dbfilename
        CONFIG SET dbfilename dump.rdb
      `)
    })
  })

  describeOracle(`DEBUG (RESP${resp})`, () => {
    const oracle = useOracle({
      resp,
      redisArgs: ['--enable-debug-command', 'yes'],
      engineConfig: { ...ENGINE_CONFIG, 'enable-debug-command': 'yes' },
    })

    it('DEBUG OBJECT: encodings and serialized lengths (RDB integer encodings and LZF)', async () => {
      const o = oracle()
      const values = [
        '', 'a', 'hello', '0', '1', '-1', '127', '128', '-128', '-129', '32767', '32768', '-32768', '-32769',
        '2147483647', '2147483648', '-2147483648', '-2147483649', '9223372036854775807', '-9223372036854775808',
        '01', '+1', '1.5', ' 1', '12345678901', '123456789012', '-1234567890',
        'a'.repeat(20), 'a'.repeat(21), 'a'.repeat(44), 'a'.repeat(45), 'a'.repeat(100), 'a'.repeat(1000), 'a'.repeat(100000),
        'abc'.repeat(30), 'hello world hello world hello world', 'abcdefghijklmnopqrstuvwxyz0123456789',
        Array.from({ length: 200 }, (_, i) => String(i + 1)).join(' '),
        Array.from({ length: 300 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
        Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + ((i * i) % 26))).join(''),
        'The quick brown fox jumps over the lazy dog. '.repeat(50),
        'x'.repeat(8200) + 'y'.repeat(300) + 'x'.repeat(9000),
      ]
      for (const v of values) {
        await o.expectSame(['SET', 'dbg:k', v])
        await o.expectSame(['DEBUG', 'OBJECT', 'dbg:k'], debugObjectNormal)
        await o.expectSame(['DEBUG', 'SDSLEN', 'dbg:k'])
      }
      await o.runScript(`
        CONFIG SET rdbcompression no
        SET dbg:k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      `)
      await o.expectSame(['DEBUG', 'OBJECT', 'dbg:k'], debugObjectNormal)
      await o.runScript(`
        CONFIG SET rdbcompression yes
        DEBUG OBJECT dbg:missing
        DEBUG OBJECT
        DEBUG OBJECT a b
        DEBUG SDSLEN dbg:missing
        SET dbg:int 12345
        DEBUG SDSLEN dbg:int
      `)
      for (const k of ['k'.repeat(31), 'k'.repeat(32), 'k'.repeat(40), 'k'.repeat(300)]) {
        await o.expectSame(['SET', k, 'v'.repeat(50)])
        await o.expectSame(['DEBUG', 'SDSLEN', k])
        await o.expectSame(['DEBUG', 'OBJECT', k], debugObjectNormal)
      }
    })

    it('DEBUG HELP, SLEEP, SET-ACTIVE-EXPIRE, POPULATE, LOG, errors', async () => {
      await oracle().runScript(`
        DEBUG HELP
        debug help
        DEBUG HELP x
        DEBUG foo
        DEBUG foo bar
        DEBUG
        DEBUG SLEEP 0
        DEBUG SLEEP 0.05
        DEBUG SLEEP x
        DEBUG SLEEP -1
        DEBUG SLEEP nan
        DEBUG SLEEP 1e400
        DEBUG SLEEP
        DEBUG SET-ACTIVE-EXPIRE 0
        DEBUG SET-ACTIVE-EXPIRE 1
        DEBUG SET-ACTIVE-EXPIRE x
        DEBUG SET-ACTIVE-EXPIRE 1
        DEBUG SET-ACTIVE-EXPIRE
        DEBUG LOG hello
        DEBUG LOG
        DEBUG CHANGE-REPL-ID
        FLUSHALL
        DEBUG POPULATE 3
        DBSIZE
        GET key:0
        GET key:2
        DEBUG POPULATE 2 pre 3
        GET pre:0
        GET pre:1
        DEBUG POPULATE 2 pad 12
        GET pad:1
        DEBUG POPULATE 2 big 60
        GET big:0
        DEBUG POPULATE 5
        DBSIZE
        GET key:4
        DEBUG POPULATE 0
        DEBUG POPULATE -1
        DEBUG POPULATE x
        DEBUG POPULATE 1 a -1
        DEBUG POPULATE 1 a x
        DEBUG POPULATE 1 a b c
        DEBUG POPULATE
      `)
    })
  })
}
