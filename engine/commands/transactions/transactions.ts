// MULTI, EXEC, DISCARD, WATCH key [key ...], UNWATCH (multi.c). The state and
// EXEC's work live in server/multi.ts; queueing happens in processCommand.

import type { CommandImpl } from '../../server/command-table.ts'
import { discardCommand, execCommand, multiCommand, unwatchCommand, watchCommand } from '../../server/multi.ts'

export const multi: CommandImpl = { name: 'multi', run: (c) => multiCommand(c) }

export const exec: CommandImpl = { name: 'exec', run: (c) => execCommand(c) }

export const discard: CommandImpl = { name: 'discard', run: (c) => discardCommand(c) }

export const watch: CommandImpl = { name: 'watch', run: (c, argv) => watchCommand(c, argv.slice(1)) }

export const unwatch: CommandImpl = { name: 'unwatch', run: (c) => unwatchCommand(c) }
