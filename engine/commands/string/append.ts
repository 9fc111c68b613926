// APPEND key value (t_string.c appendCommand).

import { integer } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { setRawValue, tryObjectEncoding, unshareStringValue } from '../../types/string.ts'
import { checkStringLength } from './options.ts'

export const append: CommandImpl = {
  name: 'append',
  run: (c, argv) => {
    const key = argv[1]
    const tail = argv[2]
    const db = c.db
    const server = c.server
    const o = db.lookupWrite(key)
    let totlen: number
    if (o === undefined) {
      // A new key takes the argument as SET would (int / embstr / raw).
      db.add(key, tryObjectEncoding(server, tail))
      totlen = tail.length
    } else {
      if (o.type !== 'string') return E.wrongType
      const err = checkStringLength(c, o.value.length, tail.length)
      if (err) return err
      // The result is always a raw string this key owns.
      const raw = unshareStringValue(db, key, o)
      setRawValue(raw, raw.value + tail)
      totlen = raw.value.length
      if (raw === o && server.traceBus.active) server.trace({ type: 'key-written', db: db.id, key })
    }
    server.signalModifiedKey(db, key)
    server.notify('$', 'append', key, db.id)
    server.dirty++
    return integer(totlen)
  },
}
