// HSCAN / SSCAN / ZSCAN over one value (scanGenericCommand with an object,
// db.c). Compact encodings (listpack, intset) answer everything in one call
// with cursor 0; dict encodings are walked like the keyspace, COUNT doubled
// for hashes and zsets because each entry yields two elements.

import { array, bulk, bulks, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { HashObject, SetObject, ZsetObject } from '../../keyspace/object.ts'
import type { Dict } from '../../structures/dict.ts'
import type { Listpack } from '../../structures/listpack.ts'
import { globMatch } from '../../structures/glob.ts'
import { isReply } from '../args.ts'
import { parseScanOptions } from './scan.ts'
import { d2string } from '../../protocol/double.ts'
import { scanStep, type ScanVisit } from '../../introspect/scan-path.ts'

/**
 * Steps 1-4 of scanGenericCommand for a value: parse the options from
 * argv[firstOption], collect, filter by MATCH, reply [cursor, elements].
 * The caller parsed the cursor and looked the key up (type checked).
 */
export function scanValue(c: Client, o: HashObject | SetObject | ZsetObject, cursor: bigint, argv: readonly string[], firstOption: number): Reply {
  const opts = parseScanOptions(argv, firstOption, false)
  if (isReply(opts)) return opts
  const pairs = o.type !== 'set'
  const items: string[] = []
  let next = 0n

  const dict = dictOf(o)
  if (dict !== undefined) {
    // count is a C long: doubling or multiplying a huge COUNT wraps, as in Redis.
    const count = pairs ? BigInt.asIntN(64, opts.count * 2n) : opts.count
    let maxIterations = Number(BigInt.asIntN(64, count * 10n))
    const wanted = Number(BigInt.asUintN(64, count))
    let cur = Number(cursor & 0xffffffffn)
    // The buckets walked, for the hashtable view (only while someone listens).
    const visits: ScanVisit[] | undefined = c.server.traceBus.active ? [] : undefined
    const from = cur
    do {
      if (visits !== undefined) visits.push(...scanStep(cur, dict.tableSize(0), dict.tableSize(1), dict.isRehashing, dict.size === 0).visits)
      cur = (dict as Dict<string, unknown>).scan(cur, (key, value) => {
        items.push(key)
        if (o.type === 'hash') items.push(value as string)
        else if (o.type === 'zset') items.push(d2string(value as number))
      })
    } while (cur !== 0 && maxIterations-- !== 0 && items.length < wanted)
    next = BigInt(cur)
    if (visits !== undefined) c.server.trace({ type: 'scan-step', db: c.db.id, key: argv[1], op: argv[0].toLowerCase(), cursor: from, next: cur, visits })
  } else if (o.encoding === 'intset') {
    for (const v of o.value.toArray()) items.push(String(v))
  } else {
    // A listpack of field,value (hash) or member,score (zset) pairs.
    const lp = o.value as Listpack
    for (let p = lp.first(); p !== null; p = lp.next(p)) items.push(lp.getString(p))
  }

  const pattern = opts.pattern
  if (pattern === undefined) return array([bulk(String(next)), bulks(items)])
  const out: string[] = []
  const step = pairs ? 2 : 1
  for (let i = 0; i < items.length; i += step) {
    if (!globMatch(pattern, items[i])) continue
    out.push(items[i])
    if (pairs) out.push(items[i + 1])
  }
  return array([bulk(String(next)), bulks(out)])
}

function dictOf(o: HashObject | SetObject | ZsetObject): Dict<string, unknown> | undefined {
  if (o.encoding === 'hashtable') return o.value as Dict<string, unknown>
  if (o.encoding === 'skiplist') return o.value.dict
  return undefined
}
