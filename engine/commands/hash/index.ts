// The hash commands (Redis's t_hash.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'

export const hashCommands: CommandImpl[] = []
