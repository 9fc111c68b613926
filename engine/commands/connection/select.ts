import { OK } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { isReply, parseInt32 } from '../args.ts'

// SELECT index
export const select: CommandImpl = {
  name: 'select',
  run: (c, argv) => {
    const id = parseInt32(argv[1])
    if (isReply(id)) return id
    return c.selectDb(id) ? OK : E.dbIndexOutOfRange
  },
}
