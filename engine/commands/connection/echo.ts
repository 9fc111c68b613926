import { bulk } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'

// ECHO message
export const echo: CommandImpl = { name: 'echo', run: (_c, argv) => bulk(argv[1]) }
