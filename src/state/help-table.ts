// The REPL's help table, built once from the engine's COMMAND DOCS (as
// redis-cli does at connect). Hints and completion start working when it lands.

import { commandDocs } from '../engine-client.ts'
import { parseResp } from '../repl/resp.ts'
import { buildHelpTable, type HelpTable } from '../repl/help.ts'
import { hook } from '../test-hook.ts'

let table: HelpTable | undefined
let loading: Promise<HelpTable> | undefined

/** The table once loaded; loadHelpTable() starts the load (each pane does, after its first prompt). */
export function helpTable(): HelpTable | undefined {
  return table
}

export function loadHelpTable(): Promise<HelpTable> {
  loading ??= commandDocs().then((bytes) => (table = buildHelpTable(parseResp(bytes))))
  return loading
}

hook.commands = () => table?.entries.filter((e) => e.type === 'command').map((e) => e.full.toLowerCase())
