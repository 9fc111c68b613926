// HSET / HMSET / HSETNX (t_hash.c hsetCommand, hsetnxCommand).

import { OK, ONE, ZERO, integer, type Reply } from '../../protocol/reply.ts'
import { wrongArity } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { hashTypeExists, hashTypeSet, hashTypeTryConversion } from '../../types/hash.ts'
import { isHash, site, writeHash } from './lookup.ts'

// HSET key field value [field value ...] -> fields created; HMSET -> OK.
function hsetGeneric(c: Client, argv: string[], name: 'hset' | 'hmset'): Reply {
  // Pairs are checked before the key is looked up or created.
  if (argv.length % 2 === 1) return wrongArity(name)
  const key = argv[1]
  const o = writeHash(c, key)
  if (!isHash(o)) return o
  const server = c.server
  const where = site(c, key)
  hashTypeTryConversion(server, o, argv, 2, argv.length - 1, where)
  let created = 0
  for (let i = 2; i < argv.length; i += 2) {
    if (!hashTypeSet(server, o, argv[i], argv[i + 1], where)) created++
  }
  server.signalModifiedKey(c.db, key)
  server.notify('h', 'hset', key, c.db.id)
  server.dirty += (argv.length - 2) / 2
  return name === 'hset' ? integer(created) : OK
}

export const hset: CommandImpl = { name: 'hset', run: (c, argv) => hsetGeneric(c, argv, 'hset') }
export const hmset: CommandImpl = { name: 'hmset', run: (c, argv) => hsetGeneric(c, argv, 'hmset') }

// HSETNX key field value: 1 when the field was set, 0 when it existed. Only
// this pair is checked against hash-max-listpack-value, and only when written.
export const hsetnx: CommandImpl = {
  name: 'hsetnx',
  run: (c, argv) => {
    const key = argv[1]
    const o = writeHash(c, key)
    if (!isHash(o)) return o
    if (hashTypeExists(o, argv[2])) return ZERO
    const server = c.server
    const where = site(c, key)
    hashTypeTryConversion(server, o, argv, 2, 3, where)
    hashTypeSet(server, o, argv[2], argv[3], where)
    server.signalModifiedKey(c.db, key)
    server.notify('h', 'hset', key, c.db.id)
    server.dirty++
    return ONE
  },
}
