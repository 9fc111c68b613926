// LATENCY LATEST / HISTORY / RESET / DOCTOR / HISTOGRAM / HELP (latency.c latencyCommand).

import { array, bulk, error, integer, map, verbatim, type Reply } from '../../protocol/reply.ts'
import type { CommandDef, CommandImpl } from '../../server/command-table.ts'
import { commandHistogram } from '../../server/info.ts'
import { LatencyMonitor, latencyGraph, latencyOf, latencyReport } from '../../server/latency.ts'
import type { Server } from '../../server/server.ts'
import { helpReply } from '../server/help.ts'

const HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
]

/** fillCommandCDF: calls, then the cumulative counts at each power-of-two µs level that added calls. */
function commandCdf(cmd: CommandDef): Reply[] {
  const h = commandHistogram(cmd)
  if (!h) return []
  const points: Reply[] = []
  let previous = 0
  for (const [ns, cumulative] of h.logBuckets()) {
    if (cumulative > previous) points.push(integer(Math.floor(ns / 1000)), integer(cumulative))
    previous = cumulative
  }
  return [bulk(cmd.fullName), map([bulk('calls'), integer(h.total), bulk('histogram_usec'), map(points)])]
}

/** A command and then its subcommands, each when it has a histogram. */
function withSubcommands(cmd: CommandDef): Reply[] {
  const out = commandCdf(cmd)
  if (cmd.subcommands) for (const sub of cmd.subcommands.values()) out.push(...commandCdf(sub))
  return out
}

function histogramReply(server: Server, names: readonly string[]): Reply {
  const out: Reply[] = []
  if (names.length === 0) {
    // latencyAllCommandsFillCDF walks the command dict (random order in Redis).
    for (const cmd of server.commands.topLevel()) out.push(...withSubcommands(cmd))
  } else {
    for (const name of names) {
      // lookupCommandBySds: 'config|get' names a subcommand; unknown names are skipped.
      const cmd = server.commands.byName(name) ?? server.commands.lookupTop(name)
      if (cmd) out.push(...withSubcommands(cmd))
    }
  }
  return map(out)
}

export const latencyCommands: CommandImpl[] = [
  {
    name: 'latency|latest',
    run: (c) =>
      array(
        [...latencyOf(c.server).events].map(([event, ts]) => {
          const last = LatencyMonitor.latest(ts)
          return array([bulk(event), integer(last.time), integer(last.latency), integer(ts.max)])
        }),
      ),
  },
  {
    name: 'latency|history',
    run: (c, argv) => {
      // The event dict compares names exactly (strcmp).
      const ts = latencyOf(c.server).events.get(argv[2])
      if (!ts) return array([])
      return array(LatencyMonitor.samplesInOrder(ts).map((s) => array([integer(s.time), integer(s.latency)])))
    },
  },
  {
    name: 'latency|reset',
    run: (c, argv) => {
      const mon = latencyOf(c.server)
      if (argv.length === 2) return integer(mon.reset())
      let n = 0
      for (const e of argv.slice(2)) n += mon.reset(e)
      return integer(n)
    },
  },
  {
    name: 'latency|graph',
    run: (c, argv) => {
      const ts = latencyOf(c.server).events.get(argv[2])
      if (!ts) return noSamples(argv[2])
      return verbatim(latencyGraph(argv[2], ts, Math.floor(c.server.clock.nowMs() / 1000)))
    },
  },
  { name: 'latency|doctor', run: (c) => verbatim(latencyReport(c.server)) },
  { name: 'latency|histogram', run: (c, argv) => histogramReply(c.server, argv.slice(2)) },
  { name: 'latency|help', run: (_c, argv) => helpReply(argv[0], HELP) },
]

/** "ERR No samples available for event '<event>'" (LATENCY GRAPH of an unknown event). */
const noSamples = (event: string): Reply => error(`ERR No samples available for event '${event}'`)
