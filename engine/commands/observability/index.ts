import type { CommandImpl } from '../../server/command-table.ts'
import { latencyCommands } from './latency.ts'
import { lolwut } from './lolwut.ts'
import { monitor } from './monitor.ts'
import { role, wait } from './replication.ts'
import { slowlogCommands } from './slowlog.ts'

export const observabilityCommands: CommandImpl[] = [...slowlogCommands, ...latencyCommands, monitor, role, wait, lolwut]
