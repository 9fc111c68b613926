// The list commands (Redis's t_list.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'

export const listCommands: CommandImpl[] = []
