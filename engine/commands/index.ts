// Every implemented command, by group. A command not listed here is not in the
// dispatch table and gets Redis's unknown-command error.

import type { CommandImpl } from '../server/command-table.ts'
import { bitmapCommands } from './bitmap/index.ts'
import { connectionCommands } from './connection/index.ts'
import { genericCommands } from './generic/index.ts'
import { hashCommands } from './hash/index.ts'
import { listCommands } from './list/index.ts'
import { observabilityCommands } from './observability/index.ts'
import { pubsubCommands } from './pubsub/index.ts'
import { serverCommands } from './server/index.ts'
import { setCommands } from './set/index.ts'
import { sortedSetCommands } from './sorted-set/index.ts'
import { stringCommands } from './string/index.ts'
import { transactionCommands } from './transactions/index.ts'

export const allCommands: CommandImpl[] = [
  ...bitmapCommands,
  ...connectionCommands,
  ...stringCommands,
  ...genericCommands,
  ...serverCommands,
  ...pubsubCommands,
  ...transactionCommands,
  ...observabilityCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...sortedSetCommands,
]
