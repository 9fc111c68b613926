import type { CommandImpl } from '../../server/command-table.ts'
import { echo } from './echo.ts'
import { hello } from './hello.ts'
import { ping } from './ping.ts'
import { select } from './select.ts'
import { auth } from './auth.ts'
import { clientCommands } from './client.ts'
import { quit } from './quit.ts'
import { reset } from './reset.ts'

export const connectionCommands: CommandImpl[] = [ping, echo, select, hello, auth, quit, reset, ...clientCommands]
