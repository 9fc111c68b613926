// Every implemented command, by group. A command not listed here is not in the
// dispatch table and gets Redis's unknown-command error.

import type { CommandImpl } from '../server/command-table.ts'
import { connectionCommands } from './connection/index.ts'
import { genericCommands } from './generic/index.ts'
import { serverCommands } from './server/index.ts'
import { stringCommands } from './string/index.ts'

export const allCommands: CommandImpl[] = [
  ...connectionCommands,
  ...stringCommands,
  ...genericCommands,
  ...serverCommands,
]
