// ROLE and WAIT for a standalone master without replicas (replication.c).

import { array, bulk, EMPTY_ARRAY, integer, ZERO, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { isReply, parseLongLong } from '../args.ts'
import { mayBlock, parseBlockTimeout } from '../../server/blocking.ts'

/** roleCommand, master branch: role, replication offset, no replicas. */
export const role: CommandImpl = {
  name: 'role',
  run: (): Reply => array([bulk('master'), integer(0), EMPTY_ARRAY]),
}

/**
 * waitCommand: with no replicas the acknowledged count is always 0. Redis
 * answers at once when that already satisfies numreplicas (<= 0) or when the
 * client may not block (inside MULTI); otherwise the client blocks until the
 * timeout (or CLIENT UNBLOCK) and then gets 0.
 */
export const wait: CommandImpl = {
  name: 'wait',
  run: (c, argv): Reply | undefined => {
    const n = parseLongLong(argv[1])
    if (isReply(n)) return n
    const t = parseBlockTimeout(c, argv[2], 'milliseconds')
    if (isReply(t)) return t
    if (n <= 0n || !mayBlock(c)) return ZERO
    c.server.blocking.blockForReplicas(c, t)
    return undefined
  },
}
