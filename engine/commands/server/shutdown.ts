// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (server.c shutdownCommand and
// prepareForShutdown / finishShutdown, Redis 7.0.15).
//
// A running BGSAVE child is killed (its temp file removed). Then the final
// save: when save points are configured and NOSAVE was not given, or when SAVE
// was given. If that save fails the caller gets "ERR Errors trying to
// SHUTDOWN. Check logs." and the server keeps running, unless FORCE. A valid
// SHUTDOWN then goes to server.shutdown() (the host closes its listener and
// exits) and the caller gets no reply, like a redis-server that exits.
// There are no replicas to wait for, so NOW and the shutdown-timeout wait change
// nothing, and no shutdown is ever in progress for ABORT to cancel.

import { error } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { prepareForShutdown } from '../../persistence/snapshot.ts'

const SAVE = 1
const NOSAVE = 2
// NOW only skips waiting for replicas, which do not exist here.
const NOW = 4
const FORCE = 8

export const shutdown: CommandImpl = {
  name: 'shutdown',
  run: (c, argv) => {
    let flags = 0
    let abort = false
    for (const a of argv.slice(1)) {
      const opt = a.toLowerCase()
      if (opt === 'nosave') flags |= NOSAVE
      else if (opt === 'save') flags |= SAVE
      else if (opt === 'now') flags |= NOW
      else if (opt === 'force') flags |= FORCE
      else if (opt === 'abort') abort = true
      else return E.syntax
    }
    // ABORT takes no other option, and SAVE and NOSAVE exclude each other.
    if ((abort && flags !== 0) || (flags & NOSAVE && flags & SAVE)) return E.syntax
    if (abort) return error('ERR No shutdown in progress.')
    const server = c.server
    if (!prepareForShutdown(server, { save: (flags & SAVE) !== 0, nosave: (flags & NOSAVE) !== 0, force: (flags & FORCE) !== 0 })) {
      return error('ERR Errors trying to SHUTDOWN. Check logs.')
    }
    server.shutdown()
    return undefined
  },
}
