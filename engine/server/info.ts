// INFO (server.c genInfoSectionDict + genRedisInfoString, Redis 7.0.15): the
// same sections, fields and field order as redis-server. Fields that describe
// the process or machine come from what the host tells the engine
// (setHostInfo), memory fields from the memory model (keyspace/memory.ts),
// and machinery the engine does not have (replication links, forks, I/O
// threads, defragmentation, the allocator's own bookkeeping) reports as idle.
//
// Exact by construction: Keyspace, Errorstats and Commandstats (up to the
// order of Commandstats lines, which in Redis follows its command dict, and
// the µs timings, which are timings).

import { dumpPayloadSanitizations } from '../persistence/rdb-value.ts'
import type { Server } from './server.ts'
import type { RdbInfo } from '../persistence/snapshot.ts'
import type { AofInfoFields } from '../persistence/aof.ts'
import type { CommandDef, CommandStats } from './command-table.ts'
import { bytesToHuman, dbOverhead, DICT_ENTRY_SIZE, keyMemoryUsage, printfFixed, ROBJ_SIZE } from '../keyspace/memory.ts'
import { SeededRandom } from './random.ts'

/** What the host knows about the process and machine (all optional). */
export interface HostInfo {
  /** "sysname release machine", like uname. */
  os?: string
  archBits?: number
  processId?: number
  executable?: string
  configFile?: string
  multiplexingApi?: string
  totalSystemMemory?: number
  /** CPU time used by the process, in µs. */
  cpu?: () => { sysUs: number; userUs: number }
}

const hostInfos = new WeakMap<Server, HostInfo>()

/** Tell INFO about the host process (the Node server does; the browser worker may). */
export function setHostInfo(server: Server, info: HostInfo): void {
  hostInfos.set(server, { ...hostInfos.get(server), ...info })
}

/**
 * Facts other subsystems record for INFO that the server does not keep yet
 * (persistence, pub/sub, blocking). Each owner updates its fields.
 */
export interface InfoState {
  /** Unix seconds of the last successful save (at start-up the dataset counts as saved). */
  lastSaveTime: number
  rdbSaves: number
  rdbLastBgsaveStatus: 'ok' | 'err'
  rdbBgsaveInProgress: boolean
  aofEnabled: boolean
  pubsubChannels: () => number
  pubsubPatterns: () => number
  pubsubShardChannels: () => number
  blockedClients: () => number
  trackingClients: () => number
  trackingTotalKeys: () => number
  trackingTotalItems: () => number
  trackingTotalPrefixes: () => number
  /** Peak of modelled used memory, updated whenever INFO or MEMORY computes it. */
  peakMemory: number
  /** The RDB fields of INFO persistence (set by engine/persistence/snapshot.ts). */
  rdbInfo?: () => RdbInfo
  /** The AOF fields of INFO persistence (set by engine/persistence/aof.ts). */
  aofInfo?: () => AofInfoFields
}

const infoStates = new WeakMap<Server, InfoState>()

export function infoState(server: Server): InfoState {
  let s = infoStates.get(server)
  if (!s) {
    s = {
      lastSaveTime: Math.floor(server.startTimeMs / 1000),
      rdbSaves: 0,
      rdbLastBgsaveStatus: 'ok',
      rdbBgsaveInProgress: false,
      aofEnabled: false,
      pubsubChannels: () => 0,
      pubsubPatterns: () => 0,
      pubsubShardChannels: () => 0,
      blockedClients: () => server.blocking.blockedCount,
      trackingClients: () => 0,
      trackingTotalKeys: () => 0,
      trackingTotalItems: () => 0,
      trackingTotalPrefixes: () => 0,
      peakMemory: 0,
    }
    infoStates.set(server, s)
  }
  return s
}

// ---------------------------------------------------------------- memory model

/**
 * used_memory_startup of a fresh Redis 7.0.15 (Debian, jemalloc 5.3.0): what
 * the server allocates before any client or key exists.
 */
export const USED_MEMORY_STARTUP = 876272
/** What one idle client costs (clients.normal of a fresh server with one redis-cli connected). */
export const CLIENT_MEMORY = 17160

export interface MemoryOverhead {
  totalAllocated: number
  startupAllocated: number
  peakAllocated: number
  clientsNormal: number
  db: Array<{ dbid: number; main: number; expires: number }>
  overheadTotal: number
  totalKeys: number
  dataset: number
  datasetPerc: number
  peakPerc: number
  bytesPerKey: number
}

/** getMemoryOverheadData over the modelled allocations. */
export function memoryOverhead(server: Server): MemoryOverhead {
  let keysUsage = 0
  for (const d of server.dbs) d.dict.forEach((o, key) => void (keysUsage += keyMemoryUsage(key, o, 0)))
  return memoryOverheadOf(server, keysUsage)
}

/**
 * memoryOverhead when the caller has already summed keyMemoryUsage(key, value, 0)
 * over every key (the simulated fork does, in the one walk it makes anyway).
 */
export function memoryOverheadOf(server: Server, keysUsage: number): MemoryOverhead {
  const clientsNormal = server.clients.size * CLIENT_MEMORY
  let overhead = USED_MEMORY_STARTUP + clientsNormal
  let totalKeys = 0
  const db: MemoryOverhead['db'] = []
  for (const d of server.dbs) {
    const keys = d.dict.size
    if (keys > 0) {
      const { main, expires } = dbOverhead(keys, d.dict.slots, d.expires.size, d.expires.slots)
      db.push({ dbid: d.id, main, expires })
      overhead += main + expires
      totalKeys += keys
    }
  }
  // Each key's entry and robj header are counted in the overhead above.
  const values = keysUsage - totalKeys * (DICT_ENTRY_SIZE + ROBJ_SIZE)
  const total = overhead + values
  const state = infoState(server)
  if (total > state.peakMemory) state.peakMemory = total
  const net = total > USED_MEMORY_STARTUP ? total - USED_MEMORY_STARTUP : 1
  const dataset = total - overhead
  return {
    totalAllocated: total,
    startupAllocated: USED_MEMORY_STARTUP,
    peakAllocated: state.peakMemory,
    clientsNormal,
    db,
    overheadTotal: overhead,
    totalKeys,
    dataset,
    datasetPerc: Math.fround((dataset * 100) / net),
    peakPerc: Math.fround((total * 100) / state.peakMemory),
    bytesPerKey: totalKeys ? Math.floor(net / totalKeys) : 0,
  }
}

// ---------------------------------------------------------------- latency histograms

/**
 * Per-command latency histogram (hdr_histogram with 2 significant figures over
 * 1 ns .. 1 s, as Redis 7.0 keeps for INFO latencystats).
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>()
  total = 0

  /** Record one call that took `us` microseconds. */
  record(us: number): void {
    let ns = Math.round(us * 1000)
    if (ns < 1) ns = 1
    if (ns > 1_000_000_000) ns = 1_000_000_000
    const idx = countsIndex(ns)
    this.counts.set(idx, (this.counts.get(idx) ?? 0) + 1)
    this.total++
  }

  /** hdr_iter_log(1024 ns, base 2) as LATENCY HISTOGRAM walks it: [highest equivalent ns of each level, cumulative count]. */
  logBuckets(): Array<[number, number]> {
    const idxs = [...this.counts.keys()].sort((a, b) => a - b)
    const out: Array<[number, number]> = []
    let cumulative = 0
    let i = 0
    for (let level = 1024; cumulative < this.total; level *= 2) {
      while (i < idxs.length && valueAtIndex(idxs[i]) <= level) cumulative += this.counts.get(idxs[i++])!
      out.push([highestEquivalent(level), cumulative])
    }
    return out
  }

  /** hdr_value_at_percentile, in ns. */
  valueAtPercentile(p: number): number {
    const requested = p < 100 ? p : 100
    let target = Math.trunc((requested / 100) * this.total + 0.5)
    if (target < 1) target = 1
    let seen = 0
    let value = 0
    for (const idx of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(idx)!
      if (seen >= target) {
        value = valueAtIndex(idx)
        break
      }
    }
    return p === 0 ? lowestEquivalent(value) : highestEquivalent(value)
  }
}

// hdr geometry for (lowest 1, highest 1e9, 2 significant figures).
const SUB_BUCKET_HALF_MAG = 7
const SUB_BUCKET_HALF = 128
const SUB_BUCKET_COUNT = 256

function bitLength(v: number): number {
  return v === 0 ? 0 : Math.floor(Math.log2(v)) + 1
}
function bucketIndex(v: number): number {
  return bitLength(v | (SUB_BUCKET_COUNT - 1)) - (SUB_BUCKET_HALF_MAG + 1)
}
function countsIndex(v: number): number {
  const b = bucketIndex(v)
  const sub = Math.floor(v / 2 ** b)
  return ((b + 1) << SUB_BUCKET_HALF_MAG) + (sub - SUB_BUCKET_HALF)
}
function valueAtIndex(idx: number): number {
  let b = (idx >> SUB_BUCKET_HALF_MAG) - 1
  let sub = (idx & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF
  if (b < 0) {
    sub -= SUB_BUCKET_HALF
    b = 0
  }
  return sub * 2 ** b
}
function lowestEquivalent(v: number): number {
  const b = bucketIndex(v)
  return Math.floor(v / 2 ** b) * 2 ** b
}
function highestEquivalent(v: number): number {
  const b = bucketIndex(v)
  const sub = Math.floor(v / 2 ** b)
  const range = 2 ** (sub >= SUB_BUCKET_COUNT ? b + 1 : b)
  return lowestEquivalent(v) + range - 1
}

const histograms = new WeakMap<CommandStats, LatencyHistogram>()

/** updateCommandLatencyHistogram: the server calls this after each executed command when latency-tracking is on. */
export function recordCommandLatency(cmd: CommandDef, durationUs: number): void {
  let h = histograms.get(cmd.stats)
  if (!h) {
    h = new LatencyHistogram()
    histograms.set(cmd.stats, h)
  }
  h.record(durationUs)
}

/** The histogram recorded for a command, if it ran with latency-tracking on (LATENCY HISTOGRAM). */
export function commandHistogram(cmd: CommandDef): LatencyHistogram | undefined {
  return histograms.get(cmd.stats)
}

/** resetCommandTableStats: zero every command's counters and drop its histogram. */
export function resetCommandStats(server: Server): void {
  for (const def of server.commands.all()) {
    def.stats.calls = 0
    def.stats.usec = 0
    def.stats.rejectedCalls = 0
    def.stats.failedCalls = 0
    histograms.delete(def.stats)
  }
  for (const def of server.commands.topLevel()) {
    def.stats.calls = 0
    def.stats.usec = 0
    def.stats.rejectedCalls = 0
    def.stats.failedCalls = 0
    histograms.delete(def.stats)
  }
}

function latencyHistogram(cmd: CommandDef): LatencyHistogram | undefined {
  const h = histograms.get(cmd.stats)
  if (h || cmd.stats.calls === 0) return h
  // No per-call samples were recorded (the host does not feed them): build the
  // distribution from the calls and their mean duration.
  const approx = new LatencyHistogram()
  const mean = cmd.stats.usec / cmd.stats.calls
  for (let i = 0; i < Math.min(cmd.stats.calls, 1000); i++) approx.record(mean)
  return approx
}

// ---------------------------------------------------------------- sections

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace']

export interface InfoSelection {
  sections: Set<string>
  all: boolean
  everything: boolean
}

/** genInfoSectionDict: section names are case-insensitive; default/all/everything expand. */
export function infoSelection(args: readonly string[]): InfoSelection {
  if (args.length === 0) return { sections: new Set(DEFAULT_SECTIONS), all: false, everything: false }
  const sections = new Set<string>()
  let all = false
  let everything = false
  for (const a of args) {
    const s = a.toLowerCase()
    if (s === 'default') for (const d of DEFAULT_SECTIONS) sections.add(d)
    else if (s === 'all') all = true
    else if (s === 'everything') {
      everything = true
      all = true
    } else sections.add(s)
  }
  return { sections, all, everything }
}

/** The INFO text for the given section arguments (INFO with no argument: the default sections). */
export function genInfoString(server: Server, args: readonly string[] = []): string {
  const sel = infoSelection(args)
  const want = (name: string): boolean => sel.all || sel.everything || sel.sections.has(name)
  const out: string[] = []
  const section = (title: string, lines: readonly string[]): void => {
    out.push(`# ${title}\r\n${lines.map((l) => `${l}\r\n`).join('')}`)
  }
  if (want('server')) section('Server', serverSection(server))
  if (want('clients')) section('Clients', clientsSection(server))
  if (want('memory')) section('Memory', memorySection(server))
  if (want('persistence')) section('Persistence', persistenceSection(server))
  if (want('stats')) section('Stats', statsSection(server))
  if (want('replication')) section('Replication', replicationSection(server))
  if (want('cpu')) section('CPU', cpuSection(server))
  if (sel.all || sel.sections.has('module_list') || sel.sections.has('modules')) section('Modules', [])
  if (want('commandstats')) section('Commandstats', commandStatsLines(server))
  if (want('errorstats')) section('Errorstats', errorStatsLines(server))
  if (want('latencystats')) section('Latencystats', server.config.bool('latency-tracking') ? latencyStatsLines(server) : [])
  if (want('cluster')) section('Cluster', [`cluster_enabled:${server.config.bool('cluster-enabled') ? 1 : 0}`])
  if (want('keyspace')) section('Keyspace', keyspaceLines(server))
  // Sections are separated by an empty line.
  return out.join('\r\n')
}

function serverSection(server: Server): string[] {
  const host = hostInfos.get(server) ?? {}
  const nowMs = server.clock.nowMs()
  const uptime = Math.floor(nowMs / 1000) - Math.floor(server.startTimeMs / 1000)
  const configuredHz = server.config.num('hz')
  return [
    'redis_version:7.0.15',
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:676c617373626f78',
    `redis_mode:${server.config.bool('cluster-enabled') ? 'cluster' : 'standalone'}`,
    `os:${host.os ?? 'Glassbox 7.0.15 javascript'}`,
    `arch_bits:${host.archBits ?? 64}`,
    'monotonic_clock:injected clock',
    `multiplexing_api:${host.multiplexingApi ?? 'event loop'}`,
    'atomicvar_api:single-threaded',
    'gcc_version:0.0.0',
    `process_id:${host.processId ?? 0}`,
    'process_supervised:no',
    `run_id:${server.runId}`,
    `tcp_port:${server.config.num('port') || server.config.num('tls-port')}`,
    `server_time_usec:${Math.floor(server.clock.nowUs())}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${dynamicHz(server, configuredHz)}`,
    `configured_hz:${configuredHz}`,
    `lru_clock:${server.lruClock()}`,
    `executable:${host.executable ?? ''}`,
    `config_file:${host.configFile ?? ''}`,
    'io_threads_active:0',
  ]
}

/** serverCron's dynamic hz: doubled while there are more than 200 clients per tick, up to 500. */
function dynamicHz(server: Server, configured: number): number {
  let hz = configured
  if (server.config.bool('dynamic-hz')) {
    while (server.clients.size / hz > 200) {
      hz *= 2
      if (hz > 500) {
        hz = 500
        break
      }
    }
  }
  return hz
}

function clientsSection(server: Server): string[] {
  const st = infoState(server)
  return [
    `connected_clients:${server.clients.size}`,
    'cluster_connections:0',
    `maxclients:${server.config.num('maxclients')}`,
    'client_recent_max_input_buffer:0',
    'client_recent_max_output_buffer:0',
    `blocked_clients:${st.blockedClients()}`,
    `tracking_clients:${st.trackingClients()}`,
    `clients_in_timeout_table:${server.blocking.inTimeoutTable}`,
  ]
}

function memorySection(server: Server): string[] {
  const mh = memoryOverhead(server)
  const host = hostInfos.get(server) ?? {}
  const used = mh.totalAllocated
  const maxmemory = server.config.num('maxmemory')
  const total = host.totalSystemMemory ?? 0
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${used}`,
    `used_memory_rss_human:${bytesToHuman(used)}`,
    `used_memory_peak:${mh.peakAllocated}`,
    `used_memory_peak_human:${bytesToHuman(mh.peakAllocated)}`,
    `used_memory_peak_perc:${printfFixed(mh.peakPerc, 2)}%`,
    `used_memory_overhead:${mh.overheadTotal}`,
    `used_memory_startup:${mh.startupAllocated}`,
    `used_memory_dataset:${mh.dataset}`,
    `used_memory_dataset_perc:${printfFixed(mh.datasetPerc, 2)}%`,
    `allocator_allocated:${used}`,
    `allocator_active:${used}`,
    `allocator_resident:${used}`,
    `total_system_memory:${total}`,
    `total_system_memory_human:${bytesToHuman(total)}`,
    'used_memory_lua:0',
    'used_memory_vm_eval:0',
    'used_memory_lua_human:0B',
    'used_memory_scripts_eval:0',
    'number_of_cached_scripts:0',
    'number_of_functions:0',
    'number_of_libraries:0',
    'used_memory_vm_functions:0',
    'used_memory_vm_total:0',
    'used_memory_vm_total_human:0B',
    'used_memory_functions:0',
    'used_memory_scripts:0',
    'used_memory_scripts_human:0B',
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${server.config.str('maxmemory-policy')}`,
    'allocator_frag_ratio:1.00',
    'allocator_frag_bytes:0',
    'allocator_rss_ratio:1.00',
    'allocator_rss_bytes:0',
    'rss_overhead_ratio:1.00',
    'rss_overhead_bytes:0',
    'mem_fragmentation_ratio:1.00',
    'mem_fragmentation_bytes:0',
    'mem_not_counted_for_evict:0',
    'mem_replication_backlog:0',
    'mem_total_replication_buffers:0',
    'mem_clients_slaves:0',
    `mem_clients_normal:${mh.clientsNormal}`,
    'mem_cluster_links:0',
    'mem_aof_buffer:0',
    'mem_allocator:jemalloc-5.3.0',
    'active_defrag_running:0',
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  ]
}

function persistenceSection(server: Server): string[] {
  const st = infoState(server)
  const rdb = st.rdbInfo?.()
  const aof = st.aofInfo?.()
  const lines = [
    `loading:${server.isLoading() ? 1 : 0}`,
    'async_loading:0',
    `current_cow_peak:${rdb?.currentCowPeak ?? 0}`,
    `current_cow_size:${rdb?.currentCowSize ?? 0}`,
    'current_cow_size_age:0',
    `current_fork_perc:${printfFixed(rdb?.currentForkPerc ?? 0, 2)}`,
    `current_save_keys_processed:${rdb?.currentSaveKeysProcessed ?? 0}`,
    `current_save_keys_total:${rdb?.currentSaveKeysTotal ?? 0}`,
    `rdb_changes_since_last_save:${server.dirty}`,
    `rdb_bgsave_in_progress:${st.rdbBgsaveInProgress ? 1 : 0}`,
    `rdb_last_save_time:${st.lastSaveTime}`,
    `rdb_last_bgsave_status:${st.rdbLastBgsaveStatus}`,
    `rdb_last_bgsave_time_sec:${rdb?.lastBgsaveTimeSec ?? -1}`,
    `rdb_current_bgsave_time_sec:${rdb?.currentBgsaveTimeSec ?? -1}`,
    `rdb_saves:${st.rdbSaves}`,
    `rdb_last_cow_size:${rdb?.lastCowSize ?? 0}`,
    `rdb_last_load_keys_expired:${rdb?.lastLoadKeysExpired ?? 0}`,
    `rdb_last_load_keys_loaded:${rdb?.lastLoadKeysLoaded ?? 0}`,
    `aof_enabled:${st.aofEnabled ? 1 : 0}`,
    `aof_rewrite_in_progress:${aof?.rewriteInProgress ? 1 : 0}`,
    `aof_rewrite_scheduled:${aof?.rewriteScheduled ? 1 : 0}`,
    `aof_last_rewrite_time_sec:${aof?.lastRewriteTimeSec ?? -1}`,
    `aof_current_rewrite_time_sec:${aof?.currentRewriteTimeSec ?? -1}`,
    `aof_last_bgrewrite_status:${aof?.lastBgrewriteStatus ?? 'ok'}`,
    `aof_rewrites:${aof?.rewrites ?? 0}`,
    `aof_rewrites_consecutive_failures:${aof?.rewritesConsecutiveFailures ?? 0}`,
    `aof_last_write_status:${aof?.lastWriteStatus ?? 'ok'}`,
    `aof_last_cow_size:${aof?.lastCowSize ?? 0}`,
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
  ]
  // Only while the AOF is on (aof_enabled); the bio fsync queue never holds anything here.
  if (aof?.enabled) {
    lines.push(
      `aof_current_size:${aof.currentSize}`,
      `aof_base_size:${aof.baseSize}`,
      `aof_pending_rewrite:${aof.pendingRewrite ? 1 : 0}`,
      `aof_buffer_length:${aof.bufferLength}`,
      'aof_pending_bio_fsync:0',
      `aof_delayed_fsync:${aof.delayedFsync}`,
    )
  }
  return lines
}

function statsSection(server: Server): string[] {
  const s = server.stats
  const st = infoState(server)
  return [
    `total_connections_received:${s.numConnections}`,
    `total_commands_processed:${s.numCommands}`,
    'instantaneous_ops_per_sec:0',
    `total_net_input_bytes:${s.netInputBytes}`,
    `total_net_output_bytes:${s.netOutputBytes}`,
    'total_net_repl_input_bytes:0',
    'total_net_repl_output_bytes:0',
    'instantaneous_input_kbps:0.00',
    'instantaneous_output_kbps:0.00',
    'instantaneous_input_repl_kbps:0.00',
    'instantaneous_output_repl_kbps:0.00',
    `rejected_connections:${s.rejectedConnections}`,
    'sync_full:0',
    'sync_partial_ok:0',
    'sync_partial_err:0',
    `expired_keys:${s.expiredKeys}`,
    `expired_stale_perc:${printfFixed(s.expiredStalePerc * 100, 2)}`,
    `expired_time_cap_reached_count:${s.expiredTimeCapReachedCount}`,
    `expire_cycle_cpu_milliseconds:${Math.floor(s.expireCycleCpuMs)}`,
    `evicted_keys:${s.evictedKeys}`,
    'evicted_clients:0',
    'total_eviction_exceeded_time:0',
    'current_eviction_exceeded_time:0',
    `keyspace_hits:${s.keyspaceHits}`,
    `keyspace_misses:${s.keyspaceMisses}`,
    `pubsub_channels:${st.pubsubChannels()}`,
    `pubsub_patterns:${st.pubsubPatterns()}`,
    `pubsubshard_channels:${st.pubsubShardChannels()}`,
    `latest_fork_usec:${st.rdbInfo?.().latestForkUsec ?? 0}`,
    `total_forks:${st.rdbInfo?.().totalForks ?? 0}`,
    'migrate_cached_sockets:0',
    'slave_expires_tracked_keys:0',
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    `tracking_total_keys:${st.trackingTotalKeys()}`,
    `tracking_total_items:${st.trackingTotalItems()}`,
    `tracking_total_prefixes:${st.trackingTotalPrefixes()}`,
    `unexpected_error_replies:${s.unexpectedErrorReplies}`,
    `total_error_replies:${s.totalErrorReplies}`,
    `dump_payload_sanitizations:${dumpPayloadSanitizations(server)}`,
    `total_reads_processed:${s.totalReadsProcessed}`,
    `total_writes_processed:${s.totalWritesProcessed}`,
    'io_threaded_reads_processed:0',
    'io_threaded_writes_processed:0',
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
  ]
}

const replIds = new WeakMap<Server, string>()

/** The replication id: random in Redis; here derived from the run id so it never consumes the server's Random. */
export function masterReplId(server: Server): string {
  let id = replIds.get(server)
  if (!id) {
    let h = 2166136261
    for (let i = 0; i < server.runId.length; i++) h = Math.imul(h ^ server.runId.charCodeAt(i), 16777619) >>> 0
    id = new SeededRandom(h).hex(20)
    replIds.set(server, id)
  }
  return id
}

/** DEBUG CHANGE-REPL-ID: a new replication id. */
export function changeReplId(server: Server): void {
  replIds.set(server, new SeededRandom(server.random.u32()).hex(20))
}

function replicationSection(server: Server): string[] {
  const lines = ['role:master', 'connected_slaves:0']
  if (server.config.num('min-replicas-to-write') && server.config.num('min-replicas-max-lag')) {
    lines.push('min_slaves_good_slaves:0')
  }
  lines.push(
    'master_failover_state:no-failover',
    `master_replid:${masterReplId(server)}`,
    'master_replid2:0000000000000000000000000000000000000000',
    'master_repl_offset:0',
    'second_repl_offset:-1',
    'repl_backlog_active:0',
    `repl_backlog_size:${server.config.num('repl-backlog-size')}`,
    'repl_backlog_first_byte_offset:0',
    'repl_backlog_histlen:0',
  )
  return lines
}

function cpuSection(server: Server): string[] {
  const cpu = hostInfos.get(server)?.cpu?.() ?? { sysUs: 0, userUs: 0 }
  const f = (us: number): string => `${Math.floor(us / 1e6)}.${String(Math.floor(us % 1e6)).padStart(6, '0')}`
  return [
    `used_cpu_sys:${f(cpu.sysUs)}`,
    `used_cpu_user:${f(cpu.userUs)}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${f(cpu.sysUs)}`,
    `used_cpu_user_main_thread:${f(cpu.userUs)}`,
  ]
}

// getSafeInfoString: characters that would break the INFO format are replaced.
const safeInfo = (s: string): string => s.replace(/[#:\r\n]/g, '_')

/** Commands then their subcommands, in name order (Redis walks its command dicts, whose order is random). */
function commandsInOrder(server: Server): CommandDef[] {
  const out: CommandDef[] = []
  const byName = (a: CommandDef, b: CommandDef): number => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0)
  for (const top of [...server.commands.topLevel()].sort(byName)) {
    out.push(top)
    if (top.subcommands) out.push(...[...top.subcommands.values()].sort(byName))
  }
  return out
}

function commandStatsLines(server: Server): string[] {
  const lines: string[] = []
  for (const c of commandsInOrder(server)) {
    const s = c.stats
    if (!s.calls && !s.failedCalls && !s.rejectedCalls) continue
    // (float)usec / calls, printed with %.2f.
    const perCall = s.calls === 0 ? 0 : Math.fround(Math.fround(s.usec) / Math.fround(s.calls))
    lines.push(
      `cmdstat_${safeInfo(c.fullName)}:calls=${s.calls},usec=${Math.floor(s.usec)},usec_per_call=${printfFixed(perCall, 2)},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`,
    )
  }
  return lines
}

/** Errorstats: a radix tree in Redis, so the codes come out in byte order. */
function errorStatsLines(server: Server): string[] {
  return [...server.errorStats.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => `errorstat_${safeInfo(code)}:count=${n}`)
}

function latencyStatsLines(server: Server): string[] {
  const percentiles = server.config
    .str('latency-tracking-info-percentiles')
    .split(' ')
    .filter((p) => p !== '')
  const lines: string[] = []
  for (const c of commandsInOrder(server)) {
    const h = latencyHistogram(c)
    if (!h) continue
    const parts = percentiles.map((p) => `p${p}=${printfFixed(h.valueAtPercentile(Number(p)) / 1000, 3)}`)
    lines.push(`latency_percentiles_usec_${safeInfo(c.fullName)}:${parts.join(',')}`)
  }
  return lines
}

function keyspaceLines(server: Server): string[] {
  const lines: string[] = []
  for (const db of server.dbs) {
    const keys = db.dict.size
    const vkeys = db.expires.size
    if (keys || vkeys) lines.push(`db${db.id}:keys=${keys},expires=${vkeys},avg_ttl=${db.avgTtl}`)
  }
  return lines
}
