// ROLE and WAIT for a standalone master without replicas (replication.c).

import { array, bulk, EMPTY_ARRAY, error, integer, ZERO, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { isReply, parseLongLong } from '../args.ts'

/** roleCommand, master branch: role, replication offset, no replicas. */
export const role: CommandImpl = {
  name: 'role',
  run: (): Reply => array([bulk('master'), integer(0), EMPTY_ARRAY]),
}

/**
 * waitCommand: with no replicas the acknowledged count is always 0. Redis
 * answers at once when that already satisfies numreplicas (<= 0) or inside
 * MULTI; otherwise it blocks the client until the timeout and then answers 0.
 * The engine has no replicas to wait for and answers 0 at once.
 */
export const wait: CommandImpl = {
  name: 'wait',
  run: (_c, argv): Reply => {
    const n = parseLongLong(argv[1])
    if (isReply(n)) return n
    // getTimeoutFromObjectOrReply(UNIT_MILLISECONDS): an integer, not negative.
    const t = parseLongLong(argv[2], 'timeout is not an integer or out of range')
    if (isReply(t)) return t
    if (t < 0n) return error('ERR timeout is negative')
    return ZERO
  },
}
