// The set commands (Redis's t_set.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'

export const setCommands: CommandImpl[] = []
