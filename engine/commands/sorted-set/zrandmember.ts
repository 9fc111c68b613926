// ZRANDMEMBER (t_zset.c zrandmemberCommand / zrandmemberWithCountCommand): the
// four cases of the count form are kept, since two of them are not random at all
// (a count covering the whole set replies every member, highest first).

import { EMPTY_ARRAY, NULL, array, bulk, double, error, type Reply } from '../../protocol/reply.ts'
import { E, MAX_RANDOM_PICKS, tooManyRandomPicks } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { LONG_MAX, isReply, parseRangeLong } from '../args.ts'
import { optEq } from '../generic/cstr.ts'
import { Dict } from '../../structures/dict.ts'
import { keyspaceDictOptions } from '../../keyspace/db.ts'
import type { ZsetObject } from '../../keyspace/object.ts'
import {
  zsetEntriesDescending,
  zsetLength,
  zsetListpackRandomPairs,
  zsetRandomElement,
  zuiEntries,
  type ZEntry,
} from '../../types/zset.ts'
import { isZset, readZset } from './common.ts'

const SUB_STRATEGY_MUL = 3
const RANDOM_SAMPLE_LIMIT = 1000
const errOutOfRange = error('ERR value is out of range')

function pairReply(c: Client, out: Reply[], e: ZEntry, withscores: boolean): void {
  if (withscores && c.resp > 2) out.push(array([bulk(e.member), double(e.score)]))
  else {
    out.push(bulk(e.member))
    if (withscores) out.push(double(e.score))
  }
}

function withCount(c: Client, zobj: ZsetObject, l: bigint, withscores: boolean): Reply {
  const rand = (): number => c.server.random.next()
  let uniq = true
  let count: number
  if (l >= 0n) count = l > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(l)
  else {
    count = -l > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(-l)
    uniq = false
  }
  if (count === 0) return EMPTY_ARRAY
  const size = zsetLength(zobj)
  const out: Reply[] = []
  // Case 1: repetitions allowed (or a single element): independent draws.
  if (!uniq || count === 1) {
    // Not in Redis: see MAX_RANDOM_PICKS (Redis would stream |count| picks, gigabytes for a huge count).
    if (count > MAX_RANDOM_PICKS) return tooManyRandomPicks('ZRANDMEMBER')
    if (zobj.encoding === 'skiplist') {
      for (let i = 0; i < count; i++) pairReply(c, out, zsetRandomElement(zobj, rand), withscores)
    } else {
      while (count > 0) {
        const n = count > RANDOM_SAMPLE_LIMIT ? RANDOM_SAMPLE_LIMIT : count
        count -= n
        for (const e of zsetListpackRandomPairs(zobj, n, rand, false)) pairReply(c, out, e, withscores)
      }
    }
    return array(out)
  }
  // Case 2: the whole set, in the order zuiNext walks it (highest first).
  if (count >= size) {
    for (const e of zsetEntriesDescending(zobj)) pairReply(c, out, e, withscores)
    return array(out)
  }
  // Case 3: copy everything, then drop random members until `count` are left.
  if (count * SUB_STRATEGY_MUL > size) {
    const d = new Dict<string, number>(keyspaceDictOptions(c.server))
    d.expand(size)
    for (const e of zuiEntries(zobj)) d.add(e.member, e.score)
    let left = size
    while (left > count) {
      const de = d.fairRandomEntry(rand)
      if (de === undefined) break
      d.delete(de.key)
      left--
    }
    d.forEach((score, member) => pairReply(c, out, { member, score }, withscores))
    return array(out)
  }
  // Case 4: few members of a big set.
  if (zobj.encoding === 'listpack') {
    for (const e of zsetListpackRandomPairs(zobj, count, rand, true)) pairReply(c, out, e, withscores)
    return array(out)
  }
  const seen = new Set<string>()
  while (seen.size < count) {
    const e = zsetRandomElement(zobj, rand)
    if (seen.has(e.member)) continue
    seen.add(e.member)
    pairReply(c, out, e, withscores)
  }
  return array(out)
}

export const zrandmember: CommandImpl = {
  name: 'zrandmember',
  run: (c, argv) => {
    if (argv.length >= 3) {
      const l = parseRangeLong(argv[2], -LONG_MAX, LONG_MAX)
      if (isReply(l)) return l
      let withscores = false
      if (argv.length > 4 || (argv.length === 4 && !optEq(argv[3], 'withscores'))) return E.syntax
      if (argv.length === 4) {
        withscores = true
        if (l < -LONG_MAX / 2n || l > LONG_MAX / 2n) return errOutOfRange
      }
      const z = readZset(c, argv[1])
      if (z === undefined) return EMPTY_ARRAY
      if (!isZset(z)) return z
      return withCount(c, z, l, withscores)
    }
    const z = readZset(c, argv[1])
    if (z === undefined) return NULL
    if (!isZset(z)) return z
    return bulk(zsetRandomElement(z, () => c.server.random.next()).member)
  },
}
