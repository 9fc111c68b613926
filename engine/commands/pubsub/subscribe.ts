// SUBSCRIBE / UNSUBSCRIBE / PSUBSCRIBE / PUNSUBSCRIBE / SSUBSCRIBE / SUNSUBSCRIBE
// (pubsub.c). Every confirmation is a push frame, one per argument, so run()
// itself returns no reply.

import { error } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'

export const subscribe: CommandImpl = {
  name: 'subscribe',
  run: (c, argv) => {
    const ps = c.server.pubsub
    for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j])
    ps.updateFlag(c, true)
    return undefined
  },
}

export const unsubscribe: CommandImpl = {
  name: 'unsubscribe',
  run: (c, argv) => {
    const ps = c.server.pubsub
    if (argv.length === 1) ps.unsubscribeAll(c)
    else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j])
    ps.updateFlag(c, false)
    return undefined
  },
}

export const psubscribe: CommandImpl = {
  name: 'psubscribe',
  run: (c, argv) => {
    const ps = c.server.pubsub
    for (let j = 1; j < argv.length; j++) ps.psubscribe(c, argv[j])
    ps.updateFlag(c, true)
    return undefined
  },
}

export const punsubscribe: CommandImpl = {
  name: 'punsubscribe',
  run: (c, argv) => {
    const ps = c.server.pubsub
    if (argv.length === 1) ps.punsubscribeAll(c)
    else for (let j = 1; j < argv.length; j++) ps.punsubscribe(c, argv[j])
    ps.updateFlag(c, false)
    return undefined
  },
}

// Outside cluster mode shard channels are a separate namespace with no slot checks.
export const ssubscribe: CommandImpl = {
  name: 'ssubscribe',
  run: (c, argv) => {
    // Inside EXEC the client may not block (CLIENT_DENY_BLOCKING); unlike SUBSCRIBE,
    // SSUBSCRIBE makes no exception for MULTI.
    if (c.multi.executing) return error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
    const ps = c.server.pubsub
    for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j], true)
    ps.updateFlag(c, true)
    return undefined
  },
}

export const sunsubscribe: CommandImpl = {
  name: 'sunsubscribe',
  run: (c, argv) => {
    const ps = c.server.pubsub
    if (argv.length === 1) ps.unsubscribeAll(c, true)
    else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j], true)
    ps.updateFlag(c, false)
    return undefined
  },
}
