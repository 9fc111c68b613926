import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import { genInfoString, infoSelection, LatencyHistogram, memoryOverhead, recordCommandLatency, setHostInfo, USED_MEMORY_STARTUP } from './info.ts'

const server = () => createServer({ clock: new VirtualClock(), config: { save: '' } })
const headers = (text: string): string[] => text.split('\r\n').filter((l) => l.startsWith('# '))

describe('INFO section selection', () => {
  it('default, all and everything', () => {
    const s = server()
    expect(headers(genInfoString(s))).toEqual(['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules', '# Errorstats', '# Cluster', '# Keyspace'])
    const all = ['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules', '# Commandstats', '# Errorstats', '# Latencystats', '# Cluster', '# Keyspace']
    expect(headers(genInfoString(s, ['all']))).toEqual(all)
    expect(headers(genInfoString(s, ['EVERYTHING']))).toEqual(all)
    expect(headers(genInfoString(s, ['keyspace', 'SERVER', 'server']))).toEqual(['# Server', '# Keyspace'])
    expect(genInfoString(s, ['nosuch'])).toBe('')
    expect(genInfoString(s, ['modules'])).toBe('# Modules\r\n')
    expect(infoSelection(['default', 'commandstats']).sections.has('commandstats')).toBe(true)
  })

  it('separates sections with an empty line and ends with the last line', () => {
    const s = server()
    expect(genInfoString(s, ['cluster', 'keyspace'])).toBe('# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n')
  })
})

describe('INFO contents', () => {
  it('keyspace, errorstats in byte order, commandstats with subcommands', () => {
    const s = server()
    const c = s.connect()
    c.call(['SET', 'a', '1'])
    c.call(['SELECT', '2'])
    c.call(['SET', 'b', '1'])
    c.call(['HELLO', '4'])
    c.call(['NOSUCH'])
    c.call(['CONFIG', 'GET', 'hz'])
    c.call(['CONFIG'])
    expect(genInfoString(s, ['keyspace'])).toBe('# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n')
    expect(genInfoString(s, ['errorstats'])).toBe('# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_NOPROTO:count=1\r\n')
    const cmd = genInfoString(s, ['commandstats'])
    expect(cmd).toContain('cmdstat_config:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0\r\n')
    expect(cmd).toContain('cmdstat_config|get:calls=1,')
    expect(cmd.indexOf('cmdstat_config:')).toBeLessThan(cmd.indexOf('cmdstat_config|get:'))
  })

  it('uses what the host reports', () => {
    const s = server()
    setHostInfo(s, { processId: 4242, os: 'Linux 6.1 x86_64', cpu: () => ({ sysUs: 1_500_000, userUs: 42 }) })
    const text = genInfoString(s, ['server', 'cpu'])
    expect(text).toContain('process_id:4242\r\n')
    expect(text).toContain('os:Linux 6.1 x86_64\r\n')
    expect(text).toContain('used_cpu_sys:1.500000\r\nused_cpu_user:0.000042\r\n')
  })

  it('models memory from the keyspace', () => {
    const s = server()
    const c = s.connect()
    const before = memoryOverhead(s)
    expect(before.totalAllocated).toBeGreaterThan(USED_MEMORY_STARTUP)
    c.call(['SET', 'k', 'x'.repeat(100)])
    const after = memoryOverhead(s)
    // robj + 112-byte sds + key + entry, plus the table's 4 buckets.
    expect(after.totalAllocated - before.totalAllocated).toBe(16 + 112 + 8 + 24 + 4 * 8)
    expect(after.db).toEqual([{ dbid: 0, main: 24 + 32 + 16, expires: 0 }])
    expect(genInfoString(s, ['memory'])).toContain(`used_memory:${after.totalAllocated}\r\n`)
  })
})

describe('latency histogram', () => {
  it('reports hdr_histogram bucket edges (2 significant figures, in ns)', () => {
    const h = new LatencyHistogram()
    h.record(9)
    // 9000 ns falls in the bucket [8960, 9023].
    expect(h.valueAtPercentile(50)).toBe(9023)
    expect(h.valueAtPercentile(0)).toBe(8960)
    const g = new LatencyHistogram()
    for (const us of [2, 2, 5]) g.record(us)
    expect(g.valueAtPercentile(50)).toBe(2007)
    expect(g.valueAtPercentile(99)).toBe(5023)
    const big = new LatencyHistogram()
    big.record(10)
    expect(big.valueAtPercentile(99.9)).toBe(10047)
  })

  it('prints recorded samples in INFO latencystats', () => {
    const s = server()
    const c = s.connect()
    // call() records each command's duration (0 µs on the virtual clock, recorded as the 1 ns minimum like updateCommandLatencyHistogram).
    c.call(['PING'])
    expect(genInfoString(s, ['latencystats'])).toContain('latency_percentiles_usec_ping:p50=0.001,p99=0.001,p99.9=0.001\r\n')
    for (let i = 0; i < 3; i++) recordCommandLatency(s.commands.byName('ping')!, 66)
    expect(genInfoString(s, ['latencystats'])).toContain('latency_percentiles_usec_ping:p50=66.047,p99=66.047,p99.9=66.047\r\n')
    c.call(['CONFIG', 'SET', 'latency-tracking', 'no'])
    expect(genInfoString(s, ['latencystats'])).toBe('# Latencystats\r\n')
  })
})
