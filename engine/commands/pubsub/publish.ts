// PUBLISH / SPUBLISH (pubsub.c): the reply counts every delivery, so a client
// reached through a channel and a pattern counts twice.

import { integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { PROPAGATE_REPL, forceCommandPropagation } from '../../server/propagation.ts'

// Messages are forwarded to replicas (forceCommandPropagation with
// PROPAGATE_REPL), never written to the AOF.

export const publish: CommandImpl = {
  name: 'publish',
  run: (c, argv) => {
    forceCommandPropagation(c, PROPAGATE_REPL)
    return integer(c.server.pubsub.publish(argv[1], argv[2]))
  },
}

export const spublish: CommandImpl = {
  name: 'spublish',
  run: (c, argv) => {
    forceCommandPropagation(c, PROPAGATE_REPL)
    return integer(c.server.pubsub.publish(argv[1], argv[2], true))
  },
}
