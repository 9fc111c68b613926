// SLOWLOG GET [count] / LEN / RESET / HELP (slowlog.c slowlogCommand).

import { array, bulk, bulks, integer, OK, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { subcommandSyntax } from '../../server/errors.ts'
import { slowlogOf } from '../../server/slowlog.ts'
import { isReply, LONG_MAX, parseRangeLong } from '../args.ts'
import { helpReply } from '../server/help.ts'

const HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
]

export const slowlogCommands: CommandImpl[] = [
  {
    name: 'slowlog|get',
    run: (c, argv): Reply => {
      if (argv.length > 3) return subcommandSyntax(argv[1], argv[0])
      const log = slowlogOf(c.server)
      let count = 10
      if (argv.length === 3) {
        const n = parseRangeLong(argv[2], -1n, LONG_MAX, 'count should be greater than or equal to -1')
        if (isReply(n)) return n
        count = n === -1n ? log.entries.length : Number(n > BigInt(log.entries.length) ? log.entries.length : n)
      }
      return array(
        log.entries
          .slice(0, count)
          .map((e) => array([integer(e.id), integer(e.time), integer(e.durationUs), bulks(e.argv), bulk(e.peer), bulk(e.name)])),
      )
    },
  },
  { name: 'slowlog|len', run: (c) => integer(slowlogOf(c.server).entries.length) },
  {
    name: 'slowlog|reset',
    run: (c) => {
      slowlogOf(c.server).reset()
      return OK
    },
  },
  { name: 'slowlog|help', run: (_c, argv) => helpReply(argv[0], HELP) },
]
