// STRLEN key (t_string.c strlenCommand).

import { ZERO, integer } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'

export const strlen: CommandImpl = {
  name: 'strlen',
  run: (c, argv) => {
    const o = c.db.lookupRead(argv[1])
    if (o === undefined) return ZERO
    if (o.type !== 'string') return E.wrongType
    return integer(o.value.length)
  },
}
