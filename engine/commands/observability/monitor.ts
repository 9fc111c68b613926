// MONITOR: the client enters monitor mode (engine/server/monitor.ts feeds it).

import type { CommandImpl } from '../../server/command-table.ts'
import { monitorCommand } from '../../server/monitor.ts'

export const monitor: CommandImpl = { name: 'monitor', run: (c) => monitorCommand(c) }
