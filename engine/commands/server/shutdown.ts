// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (server.c shutdownCommand,
// Redis 7.0.15).
//
// The engine has no persistence yet, so a valid SHUTDOWN goes straight to
// server.shutdown() (the host closes its listener and exits) and the caller
// gets no reply, like a redis-server that exits. Once RDB lands, finishShutdown's
// rule applies first: save when save points are configured and NOSAVE was not
// given, or when SAVE was given; if that save fails, answer
// "ERR Errors trying to SHUTDOWN. Check logs." and keep running, unless FORCE.
// There are no replicas to wait for, so NOW and the shutdown-timeout wait change
// nothing, and no shutdown is ever in progress for ABORT to cancel.

import { error } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'

const SAVE = 1
const NOSAVE = 2
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
    c.server.shutdown()
    return undefined
  },
}
