import { status, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { discardTransaction } from '../../server/multi.ts'
import { leaveMonitorMode } from '../../server/monitor.ts'
import { disableTracking } from '../../server/tracking.ts'

/**
 * clearClientConnectionState: back to a fresh connection's state. No tracking
 * exists in the engine yet, so there is nothing of it to undo.
 * CLIENT NO-EVICT survives a RESET in 7.0.15 (observed).
 */
export function clearClientConnectionState(c: Client): void {
  leaveMonitorMode(c)
  disableTracking(c)
  c.selectDb(0)
  c.resp = 2
  // clientSetDefaultAuth: authenticated only if the default user needs no password.
  c.authenticated = !c.server.authRequired()
  // Also unwatches every key.
  discardTransaction(c)
  // Silently: no unsubscribe confirmations are sent.
  c.server.pubsub.clientClosed(c)
  c.name = ''
  c.replyOff = false
  c.replySkipNext = false
}

const RESET: Reply = status('RESET')

// RESET (resetCommand)
export const reset: CommandImpl = {
  name: 'reset',
  run: (c) => {
    clearClientConnectionState(c)
    return RESET
  },
}
