// HKEYS / HVALS / HGETALL (t_hash.c genericHgetallCommand): fields and/or
// values in iteration order (listpack order, or the hashtable's bucket order).
// HGETALL is a map (RESP2: a flat array); the others are arrays.

import { EMPTY_ARRAY, array, bulk, map, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { hashTypeForEach } from '../../types/hash.ts'
import { isHash, readHash } from './lookup.ts'

const EMPTY_MAP = map([])

function getall(c: Client, key: string, keys: boolean, values: boolean): Reply {
  const o = readHash(c, key)
  if (o === undefined) return keys && values ? EMPTY_MAP : EMPTY_ARRAY
  if (!isHash(o)) return o
  const out: Reply[] = []
  hashTypeForEach(o, (f, v) => {
    if (keys) out.push(bulk(f))
    if (values) out.push(bulk(v))
  })
  return keys && values ? map(out) : array(out)
}

export const hkeys: CommandImpl = { name: 'hkeys', run: (c, argv) => getall(c, argv[1], true, false) }
export const hvals: CommandImpl = { name: 'hvals', run: (c, argv) => getall(c, argv[1], false, true) }
export const hgetall: CommandImpl = { name: 'hgetall', run: (c, argv) => getall(c, argv[1], true, true) }
