// PUBLISH / SPUBLISH (pubsub.c): the reply counts every delivery, so a client
// reached through a channel and a pattern counts twice.

import { integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'

export const publish: CommandImpl = {
  name: 'publish',
  run: (c, argv) => integer(c.server.pubsub.publish(argv[1], argv[2])),
}

export const spublish: CommandImpl = {
  name: 'spublish',
  run: (c, argv) => integer(c.server.pubsub.publish(argv[1], argv[2], true)),
}
