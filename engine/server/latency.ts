// The latency monitor (latency.c): per event ("command", "fast-command",
// "expire-cycle", ...) a ring of the last 160 per-second maxima of latencies
// that reached latency-monitor-threshold ms, plus the all-time max. LATENCY
// reads it; DOCTOR turns it into 7.0.15's report text.

import type { Server } from './server.ts'
import { printfFixed } from '../keyspace/memory.ts'

/** LATENCY_TS_LEN (latency.h): samples kept per event. */
export const LATENCY_TS_LEN = 160

export interface LatencySample {
  /** Unix seconds; 0 = empty slot. */
  time: number
  latency: number
}

export interface LatencyTimeSeries {
  idx: number
  max: number
  samples: LatencySample[]
}

export interface LatencyStats {
  allTimeHigh: number
  avg: number
  min: number
  max: number
  mad: number
  samples: number
  period: number
}

export class LatencyMonitor {
  /** Event name -> series, in creation order (Redis's dict order is random). */
  readonly events = new Map<string, LatencyTimeSeries>()

  /** latencyAddSample: one sample per second per event, the highest one wins. */
  addSample(event: string, latencyMs: number, nowSec: number): void {
    let ts = this.events.get(event)
    if (!ts) {
      ts = { idx: 0, max: 0, samples: Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 })) }
      this.events.set(event, ts)
    }
    if (latencyMs > ts.max) ts.max = latencyMs
    const prev = ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]
    if (prev.time === nowSec) {
      if (latencyMs > prev.latency) prev.latency = latencyMs
      return
    }
    ts.samples[ts.idx] = { time: nowSec, latency: latencyMs }
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN
  }

  /** latencyResetEvent: drop one event (case-insensitive) or, with none given, all; returns how many. */
  reset(event?: string): number {
    let n = 0
    for (const name of [...this.events.keys()]) {
      if (event === undefined || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name)
        n++
      }
    }
    return n
  }

  /** The samples of a series, oldest first (latencyCommandReplyWithSamples' walk). */
  static samplesInOrder(ts: LatencyTimeSeries): LatencySample[] {
    const out: LatencySample[] = []
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const s = ts.samples[(ts.idx + j) % LATENCY_TS_LEN]
      if (s.time !== 0) out.push(s)
    }
    return out
  }

  /** The newest sample of a series. */
  static latest(ts: LatencyTimeSeries): LatencySample {
    return ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]
  }

  /** analyzeLatencyForEvent: integer avg and mean absolute deviation, period in seconds since the oldest sample. */
  analyze(event: string, nowSec: number): LatencyStats {
    const ts = this.events.get(event)
    const ls: LatencyStats = { allTimeHigh: ts ? ts.max : 0, avg: 0, min: 0, max: 0, mad: 0, samples: 0, period: 0 }
    if (!ts) return ls
    let sum = 0
    for (const s of ts.samples) {
      if (s.time === 0) continue
      ls.samples++
      if (ls.samples === 1) {
        ls.min = ls.max = s.latency
      } else {
        if (ls.min > s.latency) ls.min = s.latency
        if (ls.max < s.latency) ls.max = s.latency
      }
      sum += s.latency
      if (ls.period === 0 || s.time < ls.period) ls.period = s.time
    }
    if (ls.samples) {
      ls.avg = Math.floor(sum / ls.samples)
      ls.period = nowSec - ls.period
      if (ls.period === 0) ls.period = 1
    }
    let dev = 0
    for (const s of ts.samples) {
      if (s.time === 0) continue
      dev += Math.abs(ls.avg - s.latency)
    }
    if (ls.samples) ls.mad = Math.floor(dev / ls.samples)
    return ls
  }
}

const monitors = new WeakMap<Server, LatencyMonitor>()

/** The server's latency monitor (created on first use). */
export function latencyOf(server: Server): LatencyMonitor {
  let m = monitors.get(server)
  if (!m) {
    m = new LatencyMonitor()
    monitors.set(server, m)
  }
  return m
}

/**
 * latencyAddSampleIfNeeded: record `latencyMs` for `event` when monitoring is
 * on (latency-monitor-threshold > 0) and the latency reaches the threshold.
 * Subsystems call it where Redis does (call(): "command"/"fast-command";
 * activeExpireCycle: "expire-cycle"; eviction: "eviction-cycle", "eviction-del").
 */
export function latencyAddSampleIfNeeded(server: Server, event: string, latencyMs: number): void {
  const threshold = server.config.num('latency-monitor-threshold')
  if (threshold && latencyMs >= threshold) latencyOf(server).addSample(event, latencyMs, Math.floor(server.clock.nowMs() / 1000))
}

// ---------------------------------------------------------------- LATENCY DOCTOR

const ADVICE = {
  slowlogEnabled: (threshold: number): string =>
    `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`,
  slowlogTuning: (threshold: number): string =>
    `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`,
  slowlogInspect:
    '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n',
  scheduler:
    '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
    '  1) Lower the system load.\n' +
    '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n',
  hz: "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n",
  largeObjects:
    '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
  massEviction:
    "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n",
}

/**
 * createLatencyReport for the events the engine can record (command,
 * fast-command, expire-cycle, eviction-*); events only persistence or fork
 * produce in Redis get their line but no advice here. The host has no
 * transparent huge pages, so that advice never appears.
 */
export function latencyReport(server: Server): string {
  const mon = latencyOf(server)
  const threshold = server.config.num('latency-monitor-threshold')
  if (mon.events.size === 0 && threshold === 0) {
    return `I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n`
  }
  const nowSec = Math.floor(server.clock.nowMs() / 1000)
  const slower = server.config.num('slowlog-log-slower-than')
  const adv = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, hz: false, largeObjects: false, massEviction: false }
  let advices = 0
  let eventnum = 0
  let report = ''
  for (const [event, ts] of mon.events) {
    eventnum++
    if (eventnum === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n"
    const ls = mon.analyze(event, nowSec)
    report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${printfFixed(ls.period / ls.samples, 2)} sec). Worst all time event ${ts.max}ms.`
    const e = event.toLowerCase()
    if (e === 'command') {
      if (slower < 0) {
        adv.slowlogEnabled = true
        advices++
      } else if (Math.trunc(slower / 1000) > threshold) {
        adv.slowlogTuning = true
        advices++
      }
      adv.slowlogInspect = true
      adv.largeObjects = true
      advices += 2
    }
    if (e === 'fast-command') {
      adv.scheduler = true
      advices++
    }
    if (e === 'expire-cycle') {
      adv.hz = true
      adv.largeObjects = true
      advices += 2
    }
    if (e === 'eviction-del') {
      adv.largeObjects = true
      advices++
    }
    if (e === 'eviction-cycle') {
      adv.massEviction = true
      advices++
    }
    report += '\n'
  }
  if (eventnum === 0 && advices === 0) {
    return `${report}Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n`
  }
  if (eventnum > 0 && advices === 0) {
    return `${report}\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n`
  }
  report += '\nI have a few advices for you:\n\n'
  if (adv.slowlogEnabled) report += ADVICE.slowlogEnabled(threshold)
  if (adv.slowlogTuning) report += ADVICE.slowlogTuning(threshold)
  if (adv.slowlogInspect) report += ADVICE.slowlogInspect
  if (adv.scheduler) report += ADVICE.scheduler
  if (adv.hz && server.config.num('hz') < 100) report += ADVICE.hz
  if (adv.largeObjects) report += ADVICE.largeObjects
  if (adv.massEviction) report += ADVICE.massEviction
  return report
}

// ---------------------------------------------------------------- LATENCY GRAPH

/** LATENCY_GRAPH_COLS (latency.h). */
const GRAPH_COLS = 80
const CHARSET_FILL = '_o#'
const LABEL_MARGIN_TOP = 1

interface SparkSample {
  value: number
  label: string
}

/** sparklineRenderRange with SPARKLINE_FILL (sparkline.c): `rows` rows of bars, then labels written downwards. */
function sparklineRange(seq: readonly SparkSample[], min: number, max: number, rows: number, offset: number, len: number): string {
  let out = ''
  let relmax = max - min
  if (relmax === 0) relmax = 1
  const charsetLen = CHARSET_FILL.length
  const steps = charsetLen * rows
  const hasLabels = seq.some((s) => s.label !== '')
  for (let row = 0; ; row++) {
    let loop = false
    const chars: string[] = new Array<string>(len).fill(' ')
    for (let j = 0; j < len; j++) {
      const s = seq[j + offset]
      // (int)(relval*steps) / relmax, truncated into an int.
      let step = Math.trunc(Math.trunc((s.value - min) * steps) / relmax)
      if (step < 0) step = 0
      if (step >= steps) step = steps - 1
      if (row < rows) {
        const charidx = step - (rows - row - 1) * charsetLen
        loop = true
        if (charidx >= 0 && charidx < charsetLen) chars[j] = CHARSET_FILL[charidx]
        else if (charidx >= charsetLen) chars[j] = '|'
      } else {
        if (hasLabels && row - rows < LABEL_MARGIN_TOP) {
          loop = true
          break
        }
        const labelChar = row - rows - LABEL_MARGIN_TOP
        if (s.label.length > labelChar) {
          loop = true
          chars[j] = s.label[labelChar]
        }
      }
    }
    if (!loop) return out
    out += `${chars.join('')}\n`
  }
}

/** latencyCommandGenSparkeline: a header, a rule and the samples as a sparkline labelled with their age. */
export function latencyGraph(event: string, ts: LatencyTimeSeries, nowSec: number): string {
  const seq: SparkSample[] = []
  let min = 0
  let max = 0
  for (const s of LatencyMonitor.samplesInOrder(ts)) {
    if (seq.length === 0) {
      min = max = s.latency
    } else {
      if (s.latency > max) max = s.latency
      if (s.latency < min) min = s.latency
    }
    const elapsed = nowSec - s.time
    const label =
      elapsed < 60
        ? `${elapsed}s`
        : elapsed < 3600
          ? `${Math.trunc(elapsed / 60)}m`
          : elapsed < 86400
            ? `${Math.trunc(elapsed / 3600)}h`
            : `${Math.trunc(elapsed / 86400)}d`
    seq.push({ value: s.latency, label })
  }
  let graph = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n${'-'.repeat(GRAPH_COLS)}\n`
  // sparklineRender: the sequence min/max are those of the samples.
  for (let j = 0; j < seq.length; j += GRAPH_COLS) {
    if (j !== 0) graph += '\n'
    graph += sparklineRange(seq, min, max, 4, j, Math.min(GRAPH_COLS, seq.length - j))
  }
  return graph
}
