// Differential tests of the observability commands (SLOWLOG, LATENCY, MONITOR,
// ROLE, WAIT, LOLWUT) against redis-server 7.0.15, byte for byte, in RESP2 and
// RESP3. What is masked is time by nature (timestamps, measured durations and
// latencies) and the clients' ephemeral ports; every normaliser says so.
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { unorderedPairs, useOracle, type Normaliser } from '../support/oracle.ts'
import { parseReply, splitReplies, type RespNode } from '../support/resp-conn.ts'

const why = (reason: string, fn: (raw: string) => string): Normaliser => Object.assign(fn, { why: reason })

/** Applies fn to the text of each bulk / verbatim frame (recomputing lengths). */
const mapText = (fn: (text: string) => string) => (raw: string): string =>
  splitReplies(raw)
    .map((f) => {
      const n: RespNode = parseReply(f)
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
    .join('')

/** Client addresses: the same client has a different ephemeral port on each side; ports are numbered by first appearance. */
function numberPorts(raw: string): string {
  const seen = new Map<string, number>()
  return raw.replace(/127\.0\.0\.1:(\d+)/g, (_m, port: string) => {
    if (!seen.has(port)) seen.set(port, seen.size)
    return `127.0.0.1:<client ${seen.get(port)}>`
  })
}

/**
 * SLOWLOG GET entries: the timestamp and the measured duration are time by
 * nature (masked, the duration only checked to be an integer); the client
 * address's port is ephemeral (its bulk length follows the port).
 */
const slowlogEntries = why('slowlog entry time and duration are timings (masked); client ports are ephemeral (numbered)', (raw) =>
  numberPorts(raw.replace(/(\*6\r\n:\d+\r\n):\d+\r\n:\d+\r\n/g, '$1:<time>\r\n:<duration>\r\n').replace(/\$\d+\r\n(127\.0\.0\.1:\d+)\r\n/g, '$<addr>\r\n$1\r\n')),
)

/** MONITOR lines: the timestamp is the wall clock (format checked, value masked), ports are ephemeral (numbered). */
const monitorLines = why('MONITOR timestamps are the wall clock (masked, format kept); client ports are ephemeral (numbered)', (raw) =>
  numberPorts(raw.replace(/^\+\d{10}\.\d{6} \[/gm, '+<sec>.<usec> [')),
)

/** LATENCY LATEST / HISTORY: sample times and measured latencies are time by nature; only the shape and event names are compared. */
const latencySamples = why('latency sample times and measured latencies are timings (integers masked)', (raw) => raw.replace(/^:\d+\r\n/gm, ':<n>\r\n'))

/** LATENCY DOCTOR / GRAPH with samples: the measured ms values and sample ages are timings (digits masked). */
const latencyText = why('latency report values are measured ms and sample ages (digits masked)', mapText((t) => t.replace(/\d+ ?ms/g, '<n>ms').replace(/period [\d.]+ sec/g, 'period <p> sec').replace(/^(\d)\n(s)\n/m, '<age>\n$2\n')))

/**
 * LATENCY HISTOGRAM: the per-command call counts are exact, but which
 * power-of-two µs bucket a call falls in is a timing: each histogram_usec map
 * is reduced to its last cumulative count (which must equal the calls).
 */
const histogramBuckets = why('histogram bucket boundaries are timings: each histogram_usec map reduced to its final cumulative count', (raw) =>
  raw.replace(/(\$14\r\nhistogram_usec\r\n)[*%](\d+)\r\n((?::\d+\r\n)*)/g, (_m, head: string, n: string, body: string) => {
    const ints = body.match(/:\d+/g) ?? []
    return `${head}<map of ${ints.length / 2 === Number(n) || ints.length === Number(n) ? 'ok' : 'bad'} ending ${ints[ints.length - 1] ?? ':0'}>\r\n`
  }),
)

/**
 * LOLWUT VERSION 5 draws the rows of squares below the second one with
 * rand() (Redis) / the seeded Random (engine): only the first 6 text lines
 * (pixel rows 0-23, untouched by the random squares) and the closing text
 * are compared, plus the number of lines.
 */
const schotterTop = why('LOLWUT 5 rows below the second are placed at random: first 6 lines, line count and caption compared', mapText((t) => {
  const lines = t.split('\n')
  return [...lines.slice(0, 6), `<${lines.length} lines>`, ...lines.slice(-2)].join('\n')
}))

/** Several commands in one LATENCY HISTOGRAM reply (a container's subcommands, or all) come in command dict order (random): entries sorted, buckets reduced. */
const histogramSorted = why(`command dict order is random (entries sorted); ${histogramBuckets.why}`, (raw) => histogramBuckets(unorderedPairs(raw)))

/**
 * LOLWUT VERSION 6 paints a skyline from rand() (Redis) / the seeded Random
 * (engine): every cell's gray is random, so each cell is reduced to "one of the
 * four grays"; the grid size and the caption are compared exactly.
 */
const skylineCells = why('LOLWUT 6 cell colors are random: each cell checked to be one of the four grays, grid and caption exact', mapText((t) =>
  t.replace(/\x1b\[0;(?:30;40|90;100|37;47|97;107)m \x1b\[0m/g, '#'),
))

for (const resp of [2, 3] as const) {
  describeOracle(`observability (RESP${resp})`, () => {
    // The slow log starts disabled on both sides so that nothing slow by accident
    // (start-up, JIT warm-up) takes an entry id before the tests turn it on.
    const oracle = useOracle({
      resp,
      redisArgs: ['--slowlog-log-slower-than', '-1', '--enable-debug-command', 'yes'],
      engineConfig: { 'slowlog-log-slower-than': '-1', 'enable-debug-command': 'yes' },
    })

    it('SLOWLOG: help, errors, argument rules, MULTI/EXEC, redaction, trimming', async () => {
      const o = oracle()
      await o.runScript(`
        SLOWLOG HELP
        slowlog help
        SLOWLOG LEN
        SLOWLOG GET
        SLOWLOG GET -2
        SLOWLOG GET x
        SLOWLOG GET 9223372036854775808
        SLOWLOG GET 1 2
        SLOWLOG LEN x
        SLOWLOG RESET x
        SLOWLOG HELP x
        SLOWLOG FOO
        SLOWLOG
        CONFIG SET slowlog-log-slower-than 0
        SET sl:k v EX 100
        GET
        NOSUCHCOMMAND a
        MULTI
        SET sl:a 1
        INCR sl:a
        EXEC
        AUTH pw
        AUTH user pw
        AUTH a b c
        HELLO ${resp} AUTH user pw
        HELLO 4 AUTH user pw
        CLIENT SETNAME slow-client
        SET sl:long vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv
        SET sl:128 vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv
        DEL k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12 k13 k14 k15 k16 k17 k18 k19 k20 k21 k22 k23 k24 k25 k26 k27 k28 k29 k30 k31
        DEL k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12 k13 k14 k15 k16 k17 k18 k19 k20 k21 k22 k23 k24 k25 k26 k27 k28 k29 k30 k31 k32 k33 k34 k35
        CLIENT SETNAME ""
      `)
      for (const argv of [
        ['SLOWLOG', 'GET'],
        ['SLOWLOG', 'GET', '3'],
        ['SLOWLOG', 'GET', '-1'],
        ['SLOWLOG', 'GET', '0'],
        ['SLOWLOG', 'LEN'],
      ]) {
        await o.expectSame(argv, slowlogEntries)
      }
      await o.runScript(`
        CONFIG SET slowlog-max-len 3
        SLOWLOG LEN
        PING
        SLOWLOG LEN
        CONFIG SET slowlog-max-len 0
        SLOWLOG LEN
        CONFIG SET slowlog-max-len 128
        SLOWLOG RESET
        SLOWLOG LEN
        CONFIG SET slowlog-log-slower-than 100000000
        PING
        SLOWLOG LEN
        SLOWLOG RESET
        CONFIG SET slowlog-log-slower-than -1
        PING
        SLOWLOG LEN
      `)
      await o.expectSame(['SLOWLOG', 'GET', '-1'], slowlogEntries)
    })

    it('LATENCY without samples: help, errors, DOCTOR texts, RESET', async () => {
      await oracle().runScript(`
        LATENCY HELP
        LATENCY DOCTOR
        LATENCY LATEST
        LATENCY HISTORY command
        LATENCY GRAPH command
        LATENCY RESET
        LATENCY RESET command fast-command nosuch
        LATENCY HISTORY
        LATENCY LATEST x
        LATENCY DOCTOR x
        LATENCY HELP x
        LATENCY FOO
        LATENCY
        CONFIG SET latency-monitor-threshold 100000
        LATENCY DOCTOR
        LATENCY LATEST
        CONFIG SET latency-monitor-threshold 0
        LATENCY DOCTOR
      `)
    })

    it('LATENCY with a "command" event: LATEST, HISTORY, DOCTOR advice, GRAPH, RESET', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG SET latency-monitor-threshold 100
        DEBUG SLEEP 0.25
        DEBUG SLEEP 0
        CONFIG SET slowlog-log-slower-than 1000000
      `)
      await o.expectSame(['LATENCY', 'LATEST'], latencySamples)
      await o.expectSame(['LATENCY', 'HISTORY', 'command'], latencySamples)
      await o.expectSame(['LATENCY', 'HISTORY', 'COMMAND'])
      // A 100 ms threshold and a 250 ms sleep: a loaded machine's stall in any other command (GC, scheduling)
      // stays below it on both sides, so the only sample is the sleep's.
      // Slow log threshold (1 s) above the latency threshold: the tuning advice.
      await o.expectSame(['LATENCY', 'DOCTOR'], latencyText)
      await o.expectSame(['LATENCY', 'GRAPH', 'command'], latencyText)
      await o.expectSame(['LATENCY', 'GRAPH', 'COMMAND'])
      // Slow log disabled: the advice to enable it.
      await o.runScript('CONFIG SET slowlog-log-slower-than -1')
      await o.expectSame(['LATENCY', 'DOCTOR'], latencyText)
      // Slow log threshold below the latency threshold: no tuning advice.
      await o.runScript('CONFIG SET slowlog-log-slower-than 1000')
      await o.expectSame(['LATENCY', 'DOCTOR'], latencyText)
      await o.runScript(`
        CONFIG SET latency-monitor-threshold 0
        LATENCY RESET COMMAND
        LATENCY LATEST
        LATENCY DOCTOR
        CONFIG SET slowlog-log-slower-than -1
      `)
    })

    it('LATENCY HISTOGRAM: calls per command and subcommand, unknown names skipped', async () => {
      const o = oracle()
      await o.runScript(`
        CONFIG RESETSTAT
        LATENCY HISTOGRAM set get
        SET h:a 1
        SET h:b 2
        SET h:c 3
        GET h:a
        CONFIG GET maxmemory
      `)
      await o.expectSame(['LATENCY', 'HISTOGRAM', 'set', 'nosuch', 'GET', 'config|get', 'config|set'], histogramBuckets)
      await o.expectSame(['LATENCY', 'HISTOGRAM', 'config'], histogramSorted)
      await o.expectSame(['LATENCY', 'HISTOGRAM'], histogramSorted)
      await o.expectSame(['LATENCY', 'HISTOGRAM', 'set', 'set'], histogramBuckets)
      await o.runScript(`
        CONFIG SET latency-tracking no
        SET h:d 4
        CONFIG SET latency-tracking yes
      `)
      await o.expectSame(['LATENCY', 'HISTOGRAM', 'set'], histogramBuckets)
    })

    it('MONITOR: what is fed, redaction, quoting, MULTI/EXEC, db, refusals', async () => {
      const o = oracle()
      const mon = await o.client(11)
      const c = await o.client(12)
      await c.expectSame(['PING'])
      await mon.expectSame(['MONITOR'])
      await o.runScript(`
        [c12] SET "a b" "x\\"y\\\\z\\n\\r\\t\\x01\\x07\\x08\\x7f\\xff"
        [c12] ECHO ""
        [c12] MULTI
        [c12] SET m:k 1
        [c12] INCR m:k
        [c12] EXEC
        [c12] AUTH pw
        [c12] AUTH user pw
        [c12] AUTH a b c
        [c12] HELLO ${resp} AUTH user pw
        [c12] HELLO 4 AUTH user pw
        [c12] CONFIG GET maxmemory
        [c12] SLOWLOG RESET
        [c12] SLOWLOG HELP
        [c12] LATENCY LATEST
        [c12] SELECT 3
        [c12] GET m:k
        [c12] NOSUCHCOMMAND x
        [c12] GET
        [c12] MULTI
        [c12] GET m:k
        [c12] GETX
        [c12] EXEC
        [c12] MULTI
        [c12] MONITOR
        [c12] EXEC
        [c12] MULTI
        [c12] DISCARD
        [c12] SET m:e v EX 100
        [c12] ROLE
        [c12] WAIT 0 0
        [c12] LOLWUT
        [c12] SELECT 0
      `)
      await mon.expectPushes(monitorLines)
      // Already monitoring: no reply at all. Keyspace commands are refused to a monitor (a replica).
      await mon.expectSame(['MONITOR'], { frames: 0 })
      await mon.expectSame(['GET', 'x'])
      await mon.expectSame(['SET', 'x', '1'])
      await mon.expectSame(['LOLWUT'])
      // (A monitor's own commands that are fed to it, e.g. its PING or MULTI, are not
      // compared: Redis writes the monitor line after that command's reply, the engine before.)
      await mon.expectPushes(monitorLines)
      // A second monitor sees the same stream.
      const mon2 = await o.client(13)
      await mon2.expectSame(['MONITOR'])
      await c.expectSame(['SET', 'm:two', 'monitors'])
      await mon.expectPushes(monitorLines)
      await mon2.expectPushes(monitorLines)
    })

    it('ROLE and WAIT on a master without replicas', async () => {
      await oracle().runScript(`
        ROLE
        ROLE x
        WAIT 0 0
        WAIT -1 0
        WAIT 0 100
        WAIT 0 -1
        WAIT x 0
        WAIT 0 x
        WAIT 0 1.5
        WAIT 99999999999999999999 0
        WAIT 0
        MULTI
        WAIT 1 0
        WAIT 0 -1
        EXEC
      `)
    })

    it('LOLWUT: default, versions, Schotter', async () => {
      const o = oracle()
      await o.runScript(`
        LOLWUT
        lolwut
        LOLWUT foo bar
        LOLWUT VERSION 1
        LOLWUT VERSION 7
        LOLWUT version 4
        LOLWUT VERSION 59
        LOLWUT VERSION -1
        LOLWUT VERSION x
        LOLWUT VERSION 99999999999999999999
        LOLWUT VERSION
        LOLWUT VERSION 5 10 1 2
        LOLWUT VERSION 5 10 2 2
        LOLWUT VERSION 5 10 4 2
        LOLWUT VERSION 5 5 1 1
        LOLWUT VERSION 5 0 0 0
        LOLWUT VERSION 5 -5 -5 -5
        LOLWUT VERSION 5 1 1 1
        LOLWUT VERSION 5 2 1 1
        LOLWUT VERSION 5 3 7 1
        LOLWUT VERSION 5 7 3 2
        LOLWUT VERSION 5 3000 1 1
        LOLWUT VERSION 5 40 200 2
        LOLWUT VERSION 5 33 5 1
        LOLWUT VERSION 5 x
        LOLWUT VERSION 5 10 x
        LOLWUT VERSION 5 10 1 x
        LOLWUT VERSION 5 10 1 1 extra
        LOLWUT VERSION 4294967301 10 1 1
      `)
      await o.runScript(`
        LOLWUT VERSION 6 x
        LOLWUT VERSION 6 10 x
        LOLWUT VERSION 59 x
      `)
      for (const argv of [
        ['LOLWUT', 'VERSION', '6'],
        ['LOLWUT', 'VERSION', '6', '1', '1'],
        ['LOLWUT', 'VERSION', '6', '0', '-3'],
        ['LOLWUT', 'VERSION', '6', '33', '7'],
        ['LOLWUT', 'VERSION', '6', '5000', '2'],
        ['LOLWUT', 'VERSION', '6', '3', '1500', 'extra'],
        ['LOLWUT', 'VERSION', '4294967302'],
      ]) {
        await o.expectSame(argv, skylineCells)
      }
      await o.expectSame(['LOLWUT', 'VERSION', '5'], schotterTop)
      await o.expectSame(['LOLWUT', 'VERSION', '5', '66', '8', '12'], schotterTop)
    })
  })
}
