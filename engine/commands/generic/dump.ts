// DUMP key (cluster.c dumpCommand): the value serialized as RESTORE reads it,
// type byte + RDB value + RDB version + CRC-64 (createDumpPayload).

import { NULL, bulk } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { bytesToByteString, createDumpPayload } from '../../persistence/rdb-value.ts'

export const dump: CommandImpl = {
  name: 'dump',
  run: (c, argv) => {
    const o = c.db.lookupRead(argv[1])
    if (o === undefined) return NULL
    return bulk(bytesToByteString(createDumpPayload(o, c.server.config.bool('rdbcompression'))))
  },
}
