// The sorted-set commands (Redis's t_zset.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'

export const sortedSetCommands: CommandImpl[] = []
