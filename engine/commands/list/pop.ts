// LPOP / RPOP [count] and LMPOP (t_list.c popGenericCommand, mpopGenericCommand),
// plus the pop-a-range helper BLMPOP shares.

import { EMPTY_ARRAY, NULL, NULL_ARRAY, array, bulk, bulks } from '../../protocol/reply.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { ListObject } from '../../keyspace/object.ts'
import { E, wrongArity } from '../../server/errors.ts'
import { LONG_MAX, isReply, parsePositiveLong, parseRangeLong } from '../args.ts'
import { listTypeDelRange, listTypeLength, listTypePop, listTypeRange, type ListEnd } from '../../types/list.ts'
import { rewriteArgv } from '../string/options.ts'
import { listElementsRemoved, lookupList, parseListEnd, toSafeNumber } from './shared.ts'

/**
 * Pops up to `count` elements from `where` (addListRangeReply + listTypeDelRange +
 * listElementsRemoved): the popped elements in pop order, and whether the key went.
 */
export function popRange(c: Client, key: string, o: ListObject, where: ListEnd, count: number): { elements: string[]; deleted: boolean } {
  const llen = listTypeLength(o)
  const rangelen = count > llen ? llen : count
  const start = where === 'head' ? 0 : -rangelen
  const end = where === 'head' ? rangelen - 1 : -1
  const elements = listTypeRange(o, start, end, where === 'tail')
  listTypeDelRange(o, start, rangelen)
  const deleted = listElementsRemoved(c, key, where, o, rangelen)
  return { elements, deleted }
}

/** listPopRangeAndReplyWithKey: [key, [elements...]]. */
export function popRangeWithKey(c: Client, key: string, o: ListObject, where: ListEnd, count: number): Reply {
  const { elements } = popRange(c, key, o, where, count)
  return array([bulk(key), bulks(elements)])
}

function popGeneric(c: Client, argv: string[], where: ListEnd, name: 'lpop' | 'rpop'): Reply {
  const hascount = argv.length === 3
  let count = 0
  // The table's arity is -2; the command itself refuses more than one count.
  if (argv.length > 3) return wrongArity(name)
  if (hascount) {
    const n = parsePositiveLong(argv[2])
    if (isReply(n)) return n
    count = toSafeNumber(n)
  }
  const key = argv[1]
  const o = lookupList(c, key, true)
  if (o === undefined) return hascount ? NULL_ARRAY : NULL
  if (isReply(o)) return o
  if (hascount && count === 0) return EMPTY_ARRAY
  if (!hascount) {
    const v = listTypePop(o, where)!
    listElementsRemoved(c, key, where, o, 1)
    return bulk(v)
  }
  return bulks(popRange(c, key, o, where, count).elements)
}

export const lpop: CommandImpl = { name: 'lpop', run: (c, argv) => popGeneric(c, argv, 'head', 'lpop') }
export const rpop: CommandImpl = { name: 'rpop', run: (c, argv) => popGeneric(c, argv, 'tail', 'rpop') }

/** What LMPOP / BLMPOP parsed: the keys, the end, the count (1 when not given). */
export interface MpopArgs {
  keys: string[]
  where: ListEnd
  count: number
}

/** lmpopGenericCommand's parsing; `numkeysIdx` is 1 for LMPOP, 2 for BLMPOP. */
export function parseMpop(argv: string[], numkeysIdx: number): MpopArgs | Reply {
  const nk = parseRangeLong(argv[numkeysIdx], 1n, LONG_MAX, 'numkeys should be greater than 0')
  if (isReply(nk)) return nk
  const numkeys = toSafeNumber(nk)
  const whereIdx = numkeysIdx + numkeys + 1
  if (whereIdx >= argv.length) return E.syntax
  const where = parseListEnd(argv[whereIdx])
  if (isReply(where)) return where
  let count = -1
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j
    if (count === -1 && argv[j].toLowerCase() === 'count' && more) {
      const n = parseRangeLong(argv[++j], 1n, LONG_MAX, 'count should be greater than 0')
      if (isReply(n)) return n
      count = toSafeNumber(n)
    } else {
      return E.syntax
    }
  }
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), where, count: count === -1 ? 1 : count }
}

/**
 * The first non-empty list among `keys` pops like [LR]POP key count and is
 * propagated that way; undefined when every key is missing.
 */
export function mpopFirst(c: Client, args: MpopArgs): Reply | undefined {
  for (const key of args.keys) {
    const o = lookupList(c, key, true)
    if (o === undefined) continue
    if (isReply(o)) return o
    const llen = listTypeLength(o)
    if (llen === 0) continue
    const r = popRangeWithKey(c, key, o, args.where, args.count)
    rewriteArgv(c, [args.where === 'head' ? 'LPOP' : 'RPOP', key, String(Math.min(args.count, llen))])
    return r
  }
  return undefined
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
export const lmpop: CommandImpl = {
  name: 'lmpop',
  run: (c, argv) => {
    const args = parseMpop(argv, 1)
    if (isReply(args)) return args
    return mpopFirst(c, args) ?? NULL_ARRAY
  },
}
