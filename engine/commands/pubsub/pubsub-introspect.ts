// PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP
// (pubsubCommand). NUMSUB replies are flat arrays in RESP3 too.

import { array, bulk, bulks, integer, type Reply } from '../../protocol/reply.ts'
import { subcommandSyntax } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { PubSub } from '../../pubsub/pubsub.ts'
import { helpReply } from '../server/help.ts'

const HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
]

function numSub(ps: PubSub, argv: string[], shard: boolean): Reply {
  const out: Reply[] = []
  for (let j = 2; j < argv.length; j++) out.push(bulk(argv[j]), integer(ps.numSub(argv[j], shard)))
  return array(out)
}

export const pubsubIntrospection: CommandImpl[] = [
  { name: 'pubsub|help', run: (_c, argv) => helpReply(argv[0], HELP) },
  {
    name: 'pubsub|channels',
    // At most one pattern; more is a syntax error naming the subcommand as typed.
    run: (c, argv) => (argv.length > 3 ? subcommandSyntax(argv[1], 'pubsub') : bulks(c.server.pubsub.channelList(argv[2]))),
  },
  {
    name: 'pubsub|shardchannels',
    run: (c, argv) => (argv.length > 3 ? subcommandSyntax(argv[1], 'pubsub') : bulks(c.server.pubsub.channelList(argv[2], true))),
  },
  { name: 'pubsub|numsub', run: (c, argv) => numSub(c.server.pubsub, argv, false) },
  { name: 'pubsub|shardnumsub', run: (c, argv) => numSub(c.server.pubsub, argv, true) },
  { name: 'pubsub|numpat', run: (c) => integer(c.server.pubsub.numPat()) },
]
