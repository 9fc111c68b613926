// LLEN, LRANGE, LINDEX, LPOS: the read-only list commands (t_list.c).

import { NULL, ZERO, EMPTY_ARRAY, array, bulk, bulks, error, integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { LLONG_MIN, isReply, parseLongLong, parsePositiveLong } from '../args.ts'
import { listTypeIndex, listTypeLength, listTypePositions, listTypeRange } from '../../types/list.ts'
import { lookupList, parseLong, toSafeNumber } from './shared.ts'

// LLEN key
export const llen: CommandImpl = {
  name: 'llen',
  run: (c, argv) => {
    const o = lookupList(c, argv[1], false)
    if (o === undefined) return ZERO
    if (isReply(o)) return o
    return integer(listTypeLength(o))
  },
}

// LRANGE key start stop: the indexes are parsed before the key is looked up.
export const lrange: CommandImpl = {
  name: 'lrange',
  run: (c, argv) => {
    const start = parseLong(argv[2])
    if (isReply(start)) return start
    const end = parseLong(argv[3])
    if (isReply(end)) return end
    const o = lookupList(c, argv[1], false)
    if (o === undefined) return EMPTY_ARRAY
    if (isReply(o)) return o
    return bulks(listTypeRange(o, start, end))
  },
}

// LINDEX key index: the key is looked up (and type-checked) before the index is parsed.
export const lindex: CommandImpl = {
  name: 'lindex',
  run: (c, argv) => {
    const o = lookupList(c, argv[1], false)
    if (o === undefined) return NULL
    if (isReply(o)) return o
    const index = parseLong(argv[2])
    if (isReply(index)) return index
    const v = listTypeIndex(o, index)
    return v === undefined ? NULL : bulk(v)
  },
}

const rankZero = error(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
)

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
export const lpos: CommandImpl = {
  name: 'lpos',
  run: (c, argv) => {
    let rank = 1
    let count = -1
    let maxlen = 0
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j].toLowerCase()
      const more = argv.length - 1 - j
      if (opt === 'rank' && more) {
        const r = parseLongLong(argv[++j])
        if (isReply(r)) return r
        if (r === 0n) return rankZero
        rank = r === LLONG_MIN ? -Infinity : toSafeNumber(r)
      } else if (opt === 'count' && more) {
        const n = parsePositiveLong(argv[++j], "COUNT can't be negative")
        if (isReply(n)) return n
        count = toSafeNumber(n)
      } else if (opt === 'maxlen' && more) {
        const n = parsePositiveLong(argv[++j], "MAXLEN can't be negative")
        if (isReply(n)) return n
        maxlen = toSafeNumber(n)
      } else {
        return E.syntax
      }
    }
    const o = lookupList(c, argv[1], false)
    if (o === undefined) return count !== -1 ? EMPTY_ARRAY : NULL
    if (isReply(o)) return o
    const found = listTypePositions(o, argv[2], { rank, count, maxlen })
    if (count !== -1) return array(found.map((i) => integer(i)))
    return found.length > 0 ? integer(found[0]) : NULL
  },
}
