// HGET / HMGET / HEXISTS / HSTRLEN / HLEN (t_hash.c).

import { NULL, ONE, ZERO, array, bulk, integer, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { HashObject } from '../../keyspace/object.ts'
import { hashTypeExists, hashTypeGetValue, hashTypeGetValueLength, hashTypeLength } from '../../types/hash.ts'
import { isHash, readHash } from './lookup.ts'

// addHashFieldToReply
function fieldReply(o: HashObject | undefined, field: string): Reply {
  if (o === undefined) return NULL
  const v = hashTypeGetValue(o, field)
  return v === undefined ? NULL : bulk(v)
}

// HGET key field
export const hget: CommandImpl = {
  name: 'hget',
  run: (c, argv) => {
    const o = readHash(c, argv[1])
    if (o === undefined || isHash(o)) return fieldReply(o, argv[2])
    return o
  },
}

// HMGET key field [field ...]: a missing key is an empty hash (all nulls).
export const hmget: CommandImpl = {
  name: 'hmget',
  run: (c, argv) => {
    const o = readHash(c, argv[1])
    if (o !== undefined && !isHash(o)) return o
    const out: Reply[] = []
    for (let i = 2; i < argv.length; i++) out.push(fieldReply(o, argv[i]))
    return array(out)
  },
}

// HEXISTS key field
export const hexists: CommandImpl = {
  name: 'hexists',
  run: (c, argv) => {
    const o = readHash(c, argv[1])
    if (o === undefined) return ZERO
    if (!isHash(o)) return o
    return hashTypeExists(o, argv[2]) ? ONE : ZERO
  },
}

// HSTRLEN key field
export const hstrlen: CommandImpl = {
  name: 'hstrlen',
  run: (c, argv) => {
    const o = readHash(c, argv[1])
    if (o === undefined) return ZERO
    if (!isHash(o)) return o
    return integer(hashTypeGetValueLength(o, argv[2]))
  },
}

// HLEN key
export const hlen: CommandImpl = {
  name: 'hlen',
  run: (c, argv) => {
    const o = readHash(c, argv[1])
    if (o === undefined) return ZERO
    if (!isHash(o)) return o
    return integer(hashTypeLength(o))
  },
}
