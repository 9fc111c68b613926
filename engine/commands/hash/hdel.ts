// HDEL key field [field ...] (t_hash.c hdelCommand).

import { ZERO, integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { hashTypeDelete, hashTypeLength } from '../../types/hash.ts'

export const hdel: CommandImpl = {
  name: 'hdel',
  run: (c, argv) => {
    const db = c.db
    const key = argv[1]
    const o = db.lookupWrite(key)
    if (o === undefined) return ZERO
    if (o.type !== 'hash') return E.wrongType
    let deleted = 0
    let keyRemoved = false
    for (let j = 2; j < argv.length; j++) {
      if (!hashTypeDelete(o, argv[j])) continue
      deleted++
      // The last field takes the key with it; later fields are not looked at.
      if (hashTypeLength(o) === 0) {
        db.delete(key)
        keyRemoved = true
        break
      }
    }
    if (deleted > 0) {
      const server = c.server
      server.signalModifiedKey(db, key)
      server.notify('h', 'hdel', key, db.id)
      if (keyRemoved) server.notify('g', 'del', key, db.id)
      server.dirty += deleted
    }
    return integer(deleted)
  },
}
