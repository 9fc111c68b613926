import { OK } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'

// QUIT (quitCommand): +OK, then the host closes the connection once the reply is written.
export const quit: CommandImpl = {
  name: 'quit',
  run: (c) => {
    c.closeAfterReply = true
    return OK
  },
}
