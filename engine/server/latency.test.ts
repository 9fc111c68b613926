import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import { LATENCY_TS_LEN, LatencyMonitor, latencyAddSampleIfNeeded, latencyGraph, latencyOf, latencyReport } from './latency.ts'
import { LatencyHistogram } from './info.ts'

const T0 = 1_700_000_000

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock(T0 * 1000)
  const server = createServer({ clock, config: { 'enable-debug-command': 'yes', ...config } })
  return { clock, server, c: server.connect() }
}

describe('LatencyMonitor', () => {
  it('keeps one sample per second (the highest) and the all-time max', () => {
    const m = new LatencyMonitor()
    m.addSample('command', 20, T0)
    m.addSample('command', 30, T0)
    m.addSample('command', 10, T0)
    m.addSample('command', 5, T0 + 1)
    const ts = m.events.get('command')!
    expect(LatencyMonitor.samplesInOrder(ts)).toEqual([
      { time: T0, latency: 30 },
      { time: T0 + 1, latency: 5 },
    ])
    expect(LatencyMonitor.latest(ts)).toEqual({ time: T0 + 1, latency: 5 })
    expect(ts.max).toBe(30)
  })

  it('is a ring of 160 samples', () => {
    const m = new LatencyMonitor()
    for (let i = 0; i < LATENCY_TS_LEN + 5; i++) m.addSample('e', i + 1, T0 + i)
    const s = LatencyMonitor.samplesInOrder(m.events.get('e')!)
    expect(s).toHaveLength(LATENCY_TS_LEN)
    expect(s[0]).toEqual({ time: T0 + 5, latency: 6 })
    expect(s[s.length - 1]).toEqual({ time: T0 + 164, latency: 165 })
  })

  it('analyzes with integer average and mean deviation, period at least 1 s', () => {
    const m = new LatencyMonitor()
    m.addSample('e', 10, T0)
    m.addSample('e', 15, T0 + 1)
    m.addSample('e', 30, T0 + 2)
    expect(m.analyze('e', T0 + 4)).toEqual({ allTimeHigh: 30, avg: 18, min: 10, max: 30, mad: 7, samples: 3, period: 4 })
    expect(m.analyze('e', T0).period).toBe(1)
    expect(m.analyze('none', T0).samples).toBe(0)
  })

  it('resets one event case-insensitively, or all', () => {
    const m = new LatencyMonitor()
    m.addSample('command', 1, T0)
    m.addSample('fast-command', 1, T0)
    expect(m.reset('COMMAND')).toBe(1)
    expect(m.reset('nosuch')).toBe(0)
    expect(m.reset()).toBe(1)
    expect(m.events.size).toBe(0)
  })
})

describe('latency samples from call()', () => {
  it('records "command" / "fast-command" in whole ms when at or above the threshold', () => {
    const { server, c, clock } = setup({ 'latency-monitor-threshold': '10' })
    c.call(['DEBUG', 'SLEEP', '0.0099'])
    expect(latencyOf(server).events.size).toBe(0)
    c.call(['DEBUG', 'SLEEP', '0.012'])
    clock.advance(1000)
    c.call(['DEBUG', 'SLEEP', '0.011'])
    const ts = latencyOf(server).events.get('command')!
    expect(LatencyMonitor.samplesInOrder(ts)).toEqual([
      { time: T0, latency: 12 },
      { time: T0 + 1, latency: 11 },
    ])
    latencyAddSampleIfNeeded(server, 'fast-command', 9)
    latencyAddSampleIfNeeded(server, 'fast-command', 10)
    expect(latencyOf(server).events.get('fast-command')!.max).toBe(10)
  })

  it('records nothing when the threshold is 0', () => {
    const { server, c } = setup()
    c.call(['DEBUG', 'SLEEP', '0.5'])
    expect(latencyOf(server).events.size).toBe(0)
  })
})

describe('latencyReport (LATENCY DOCTOR)', () => {
  it('says monitoring is disabled, then that nothing was observed', () => {
    const { server } = setup()
    expect(latencyReport(server)).toMatch(/^I'm sorry, Dave, I can't do that\. Latency monitoring is disabled/)
    server.config.apply('latency-monitor-threshold', '5')
    expect(latencyReport(server)).toBe(
      'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n',
    )
  })

  it('lists events and the advices for them', () => {
    const { server } = setup({ 'latency-monitor-threshold': '5' })
    const m = latencyOf(server)
    m.addSample('command', 20, T0 - 3)
    m.addSample('command', 40, T0 - 1)
    m.addSample('fast-command', 7, T0)
    m.addSample('expire-cycle', 6, T0)
    const r = latencyReport(server)
    expect(r.split('\n').slice(0, 6)).toEqual([
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?",
      '',
      '1. command: 2 latency spikes (average 30ms, mean deviation 10ms, period 1.50 sec). Worst all time event 40ms.',
      '2. fast-command: 1 latency spikes (average 7ms, mean deviation 0ms, period 1.00 sec). Worst all time event 7ms.',
      '3. expire-cycle: 1 latency spikes (average 6ms, mean deviation 0ms, period 1.00 sec). Worst all time event 6ms.',
      '',
    ])
    expect(r).toContain("\nI have a few advices for you:\n\n- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 5000'.\n- Check your Slow Log")
    expect(r).toContain('  5) Check if the problem is allocator-related')
    expect(r).toContain("'CONFIG SET hz 100'")
    expect(r.endsWith('try to fragment those objects into multiple smaller objects.\n')).toBe(true)
  })

  it('has no easy fix for events without advice', () => {
    const { server } = setup({ 'latency-monitor-threshold': '5' })
    latencyOf(server).addSample('fork', 20, T0)
    expect(latencyReport(server)).toMatch(/\n\nWhile there are latency events logged, I'm not able to suggest any easy fix\./)
  })
})

describe('latencyGraph (LATENCY GRAPH)', () => {
  it('draws the samples as a filled sparkline labelled with their age', () => {
    const m = new LatencyMonitor()
    m.addSample('command', 10, T0 - 70)
    m.addSample('command', 20, T0 - 5)
    m.addSample('command', 40, T0)
    const g = latencyGraph('command', m.events.get('command')!, T0)
    expect(g).toBe(
      [
        'command - high 40 ms, low 10 ms (all time high 40 ms)',
        '-'.repeat(80),
        '  #',
        '  |',
        ' o|',
        '_||',
        '   ',
        '150',
        'mss',
        '',
      ].join('\n'),
    )
  })
})

describe('LatencyHistogram.logBuckets (LATENCY HISTOGRAM)', () => {
  it('reports cumulative counts at 1024 ns * 2^k, with each level\'s highest equivalent value', () => {
    const h = new LatencyHistogram()
    h.record(0.5) // 500 ns
    h.record(1) // 1000 ns
    h.record(3) // 3000 ns
    h.record(3)
    expect(h.logBuckets()).toEqual([
      [1031, 2],
      [2063, 2],
      [4127, 4],
    ])
  })
})
