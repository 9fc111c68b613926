import type { CommandImpl } from '../../server/command-table.ts'
import { echo } from './echo.ts'
import { hello } from './hello.ts'
import { ping } from './ping.ts'
import { select } from './select.ts'

export const connectionCommands: CommandImpl[] = [ping, echo, select, hello]
