// ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT (t_zset.c).

import { NULL, ZERO, array, double, integer, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import {
  parseZsetLexRange,
  parseZsetScoreRange,
  zsetCount,
  zsetLength,
  zsetLexCount,
  zsetRank,
  zsetScore,
} from '../../types/zset.ts'
import { errNotFloatRange, errNotLexRange, isZset, readZset, siteOf } from './common.ts'

export const zcard: CommandImpl = {
  name: 'zcard',
  run: (c, argv) => {
    const z = readZset(c, argv[1])
    if (z === undefined) return ZERO
    if (!isZset(z)) return z
    return integer(zsetLength(z))
  },
}

export const zscore: CommandImpl = {
  name: 'zscore',
  run: (c, argv) => {
    const z = readZset(c, argv[1])
    if (z === undefined) return NULL
    if (!isZset(z)) return z
    const s = zsetScore(z, argv[2], c.server, siteOf(c, argv[1]))
    return s === undefined ? NULL : double(s)
  },
}

export const zmscore: CommandImpl = {
  name: 'zmscore',
  run: (c, argv) => {
    const z = readZset(c, argv[1])
    if (z !== undefined && !isZset(z)) return z
    const out: Reply[] = []
    for (let j = 2; j < argv.length; j++) {
      // A missing key answers like an empty set.
      const s = z === undefined ? undefined : zsetScore(z, argv[j])
      out.push(s === undefined ? NULL : double(s))
    }
    return array(out)
  },
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): Reply {
  const z = readZset(c, argv[1])
  if (z === undefined) return NULL
  if (!isZset(z)) return z
  const rank = zsetRank(z, argv[2], reverse, c.server, siteOf(c, argv[1]))
  return rank >= 0 ? integer(rank) : NULL
}

export const zrank: CommandImpl = { name: 'zrank', run: (c, argv) => zrankGeneric(c, argv, false) }
export const zrevrank: CommandImpl = { name: 'zrevrank', run: (c, argv) => zrankGeneric(c, argv, true) }

export const zcount: CommandImpl = {
  name: 'zcount',
  run: (c, argv) => {
    const range = parseZsetScoreRange(argv[2], argv[3])
    if (range === null) return errNotFloatRange
    const z = readZset(c, argv[1])
    if (z === undefined) return ZERO
    if (!isZset(z)) return z
    return integer(zsetCount(z, range, c.server, siteOf(c, argv[1])))
  },
}

export const zlexcount: CommandImpl = {
  name: 'zlexcount',
  run: (c, argv) => {
    const range = parseZsetLexRange(argv[2], argv[3])
    if (range === null) return errNotLexRange
    const z = readZset(c, argv[1])
    if (z === undefined) return ZERO
    if (!isZset(z)) return z
    return integer(zsetLexCount(z, range, c.server, siteOf(c, argv[1])))
  },
}
