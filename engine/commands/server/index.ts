import type { CommandImpl } from '../../server/command-table.ts'
import { commandCommands } from './command.ts'
import { configCommands } from './config.ts'
import { debug } from './debug.ts'
import { info } from './info.ts'
import { memoryCommands } from './memory.ts'
import { shutdown } from './shutdown.ts'
import { saveCommands } from './save.ts'
import { aofCommands } from './aof.ts'
import { time } from './time.ts'

export const serverCommands: CommandImpl[] = [...commandCommands, ...configCommands, info, ...memoryCommands, debug, shutdown, time, ...saveCommands, ...aofCommands]
