import { bulk, PONG } from '../../protocol/reply.ts'
import { wrongArity } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'

// PING [message]
export const ping: CommandImpl = {
  name: 'ping',
  run: (_c, argv) => {
    if (argv.length > 2) return wrongArity('ping')
    return argv.length === 1 ? PONG : bulk(argv[1])
  },
}
