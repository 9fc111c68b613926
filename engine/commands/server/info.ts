// INFO [section [section ...]] (infoCommand): a verbatim "txt" string in RESP3,
// a bulk string in RESP2.

import { verbatim } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { genInfoString } from '../../server/info.ts'

export const info: CommandImpl = {
  name: 'info',
  run: (c, argv) => verbatim(genInfoString(c.server, argv.slice(1))),
}
