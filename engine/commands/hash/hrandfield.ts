// HRANDFIELD key [count [WITHVALUES]] (t_hash.c hrandfieldCommand,
// hrandfieldWithCountCommand). Picks come from the server's seeded Random.
//
// With a count: negative -> |count| picks with repetitions, in random order;
// positive -> distinct fields, at most the hash's size, by one of three
// strategies depending on how the count compares with the size (as Redis).
// WITHVALUES replies a flat array in RESP2 and [field, value] pairs in RESP3.

import { EMPTY_ARRAY, NULL, array, bulk, error, type Reply } from '../../protocol/reply.ts'
import { E, MAX_RANDOM_PICKS, tooManyRandomPicks } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { Dict } from '../../structures/dict.ts'
import { keyspaceDictOptions } from '../../keyspace/db.ts'
import type { HashObject } from '../../keyspace/object.ts'
import {
  hashTypeForEach,
  hashTypeLength,
  hashTypeRandomElement,
  hashTypeRandomPairs,
  hashTypeRandomPairsUnique,
} from '../../types/hash.ts'
import { LONG_MAX, isReply, parseRangeLong } from '../args.ts'
import { optEq } from '../generic/cstr.ts'
import { isHash, readHash } from './lookup.ts'

/** HRANDFIELD_SUB_STRATEGY_MUL: below size/3 picks, sample; above, copy and remove. */
const SUB_STRATEGY_MUL = 3
/** HRANDFIELD_RANDOM_SAMPLE_LIMIT: listpack picks are drawn in batches of this many. */
const RANDOM_SAMPLE_LIMIT = 1000
const HALF_LONG = LONG_MAX / 2n
const errOutOfRange = error('ERR value is out of range')

export const hrandfield: CommandImpl = {
  name: 'hrandfield',
  run: (c, argv) => {
    if (argv.length >= 3) {
      const l = parseRangeLong(argv[2], -LONG_MAX, LONG_MAX)
      if (isReply(l)) return l
      let withValues = false
      if (argv.length > 4 || (argv.length === 4 && !optEq(argv[3], 'withvalues'))) return E.syntax
      if (argv.length === 4) {
        withValues = true
        // count*2 must not overflow.
        if (l < -HALF_LONG || l > HALF_LONG) return errOutOfRange
      }
      return withCount(c, argv[1], l, withValues)
    }
    const o = readHash(c, argv[1])
    if (o === undefined) return NULL
    if (!isHash(o)) return o
    return bulk(hashTypeRandomElement(o, rand(c))[0])
  },
}

const rand = (c: Client) => (): number => c.server.random.next()

function withCount(c: Client, key: string, l: bigint, withValues: boolean): Reply {
  const o = readHash(c, key)
  if (o === undefined) return EMPTY_ARRAY
  if (!isHash(o)) return o
  const size = hashTypeLength(o)
  const uniq = l >= 0n
  const countBig = uniq ? l : -l
  if (countBig === 0n) return EMPTY_ARRAY
  const resp3 = c.resp === 3
  const out: Reply[] = []
  const emit = (f: string, v: string): void => {
    if (withValues && resp3) out.push(array([bulk(f), bulk(v)]))
    else {
      out.push(bulk(f))
      if (withValues) out.push(bulk(v))
    }
  }
  const r = rand(c)

  // CASE 1: repetitions allowed (or a single pick): sample the whole hash each time.
  if (!uniq || countBig === 1n) {
    // Not in Redis: see MAX_RANDOM_PICKS (Redis would stream |count| picks, gigabytes for a huge count).
    if (countBig > BigInt(MAX_RANDOM_PICKS)) return tooManyRandomPicks('HRANDFIELD')
    let count = Number(countBig)
    if (o.encoding === 'hashtable') {
      while (count-- > 0) {
        const e = o.value.fairRandomEntry(r)
        if (e === undefined) break
        emit(e.key, e.value)
      }
    } else {
      while (count > 0) {
        const n = Math.min(count, RANDOM_SAMPLE_LIMIT)
        count -= n
        for (const [f, v] of hashTypeRandomPairs(o, n, r)) emit(f, v)
      }
    }
    return array(out)
  }

  // CASE 2: at least as many as there are: the whole hash, in iteration order.
  if (countBig >= BigInt(size)) {
    hashTypeForEach(o, emit)
    return array(out)
  }
  const count = Number(countBig)

  // CASE 3: most of the hash: copy it into a dict, remove random fields until
  // `count` remain, reply in the copy's order.
  if (count * SUB_STRATEGY_MUL > size) {
    const d = new Dict<string, string>(keyspaceDictOptions(c.server))
    d.expand(size)
    hashTypeForEach(o, (f, v) => d.add(f, v))
    let left = size
    while (left > count) {
      const e = d.fairRandomEntry(r)
      if (e === undefined) break
      d.delete(e.key)
      left--
    }
    d.forEach((v, f) => emit(f, v))
    return array(out)
  }

  // CASE 4: few of many: pick at random, skipping fields already picked.
  if (o.encoding === 'listpack') {
    for (const [f, v] of hashTypeRandomPairsUnique(o, count, r)) emit(f, v)
    return array(out)
  }
  pickUnique(o, count, r, emit)
  return array(out)
}

function pickUnique(o: HashObject, count: number, r: () => number, emit: (f: string, v: string) => void): void {
  const seen = new Set<string>()
  while (seen.size < count) {
    const [f, v] = hashTypeRandomElement(o, r)
    if (seen.has(f)) continue
    seen.add(f)
    emit(f, v)
  }
}
