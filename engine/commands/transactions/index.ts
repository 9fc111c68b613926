import type { CommandImpl } from '../../server/command-table.ts'
import { discard, exec, multi, unwatch, watch } from './transactions.ts'

export const transactionCommands: CommandImpl[] = [multi, exec, discard, watch, unwatch]
