// ZUNION, ZINTER, ZDIFF, their *STORE forms and ZINTERCARD
// (t_zset.c zunionInterDiffGenericCommand). Sets count as sorted sets with every
// score 1. Inputs are ordered by cardinality (a stable sort, like glibc's qsort
// merge sort) so that floating point sums add up in Redis's order.

import { ZERO, error, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { SetObject, ZsetObject } from '../../keyspace/object.ts'
import { isReply, parseLongLong, parsePositiveLong } from '../args.ts'
import { optEq } from '../generic/cstr.ts'
import { string2d } from '../../structures/numbers.ts'
import {
  sortEntries,
  zsetConvertToListpackIfNeeded,
  zsetFromEntries,
  zsetLength,
  zsetRemoveFromSkiplist,
  zsetShrinkDict,
  zuiEntries,
  zuiFind,
  zuiLength,
  zsetEntries,
  type ZEntry,
  type ZuiSource,
} from '../../types/zset.ts'
import { entriesReply, siteOf } from './common.ts'

type Op = 'union' | 'inter' | 'diff'
type Aggregate = 'sum' | 'min' | 'max'

interface Src {
  subject: ZuiSource
  weight: number
}

const errWeight = error('ERR weight value is not a float')

/** zunionInterAggregate. */
function aggregate(target: number, val: number, agg: Aggregate): number {
  if (agg === 'sum') {
    const r = target + val
    // +inf + -inf is NaN: Redis keeps the convention that it is 0.
    return r !== r ? 0 : r
  }
  if (agg === 'min') return val < target ? val : target
  return val > target ? val : target
}

/** zdiff: the elements of the first input found in no other (zsetChooseDiffAlgorithm picks the walk). */
function zdiff(src: Src[], server: Client['server']): { entries: ZEntry[]; built?: ZsetObject } {
  const first = src[0].subject
  if (zuiLength(first) === 0) return { entries: [] }
  let one = 0
  let two = 0
  for (let j = 0; j < src.length; j++) {
    // An input repeating the first one removes everything.
    if (j > 0 && src[0].subject === src[j].subject) return { entries: [] }
    one += zuiLength(first)
    two += zuiLength(src[j].subject)
  }
  if (Math.floor(one / 2) <= two) {
    // Algorithm 1: keep each element of the first input found in no other input,
    // checking the others from the biggest down.
    const rest = src.slice(1).sort((a, b) => zuiLength(b.subject) - zuiLength(a.subject))
    const out: ZEntry[] = []
    for (const e of zuiEntries(first)) {
      let exists = false
      for (const s of rest) {
        if (s.subject === first || zuiFind(s.subject, e.member) !== undefined) {
          exists = true
          break
        }
      }
      if (!exists) out.push(e)
    }
    return { entries: out }
  }
  // Algorithm 2: copy the first input, then remove every element of the others.
  const built = zsetFromEntries(server, zuiEntries(first))
  let card = zsetLength(built)
  for (let k = 1; k < src.length && card > 0; k++) {
    if (zuiLength(src[k].subject) === 0) continue
    for (const e of zuiEntries(src[k].subject)) {
      if (zsetRemoveFromSkiplist(built, e.member)) card--
      if (card === 0) break
    }
  }
  zsetShrinkDict(built)
  return { entries: zsetEntries(built), built }
}

function zunionInterDiff(c: Client, argv: string[], dstkey: string | null, numkeysIndex: number, op: Op, cardinalityOnly: boolean): Reply {
  const server = c.server
  const db = c.db
  const n = parseLongLong(argv[numkeysIndex])
  if (isReply(n)) return n
  if (n < 1n) return error(`ERR at least 1 input key is needed for '${c.cmd?.fullName ?? argv[0].toLowerCase()}' command`)
  if (n > BigInt(argv.length - (numkeysIndex + 1))) return E.syntax
  const setnum = Number(n)
  const src: Src[] = []
  let j = numkeysIndex + 1
  for (let i = 0; i < setnum; i++, j++) {
    const o = db.lookupRead(argv[j])
    if (o !== undefined && o.type !== 'zset' && o.type !== 'set') return E.wrongType
    src.push({ subject: o as ZsetObject | SetObject | undefined, weight: 1 })
  }
  let agg: Aggregate = 'sum'
  let withscores = false
  let limit = 0
  let remaining = argv.length - j
  while (remaining > 0) {
    const a = argv[j]
    if (op !== 'diff' && !cardinalityOnly && remaining >= setnum + 1 && optEq(a, 'weights')) {
      j++
      remaining--
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = string2d(argv[j])
        if (w === null) return errWeight
        src[i].weight = w
      }
    } else if (op !== 'diff' && !cardinalityOnly && remaining >= 2 && optEq(a, 'aggregate')) {
      j++
      remaining--
      const v = argv[j]
      if (optEq(v, 'sum')) agg = 'sum'
      else if (optEq(v, 'min')) agg = 'min'
      else if (optEq(v, 'max')) agg = 'max'
      else return E.syntax
      j++
      remaining--
    } else if (remaining >= 1 && dstkey === null && !cardinalityOnly && optEq(a, 'withscores')) {
      j++
      remaining--
      withscores = true
    } else if (cardinalityOnly && remaining >= 2 && optEq(a, 'limit')) {
      j++
      remaining--
      const l = parsePositiveLong(argv[j], "LIMIT can't be negative")
      if (isReply(l)) return l
      limit = l > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(l)
      j++
      remaining--
    } else {
      return E.syntax
    }
  }
  if (op !== 'diff') src.sort((a, b) => zuiLength(a.subject) - zuiLength(b.subject))

  // The result: either entries (unique members, any order) or a ready skiplist zset.
  let entries: ZEntry[] = []
  let built: ZsetObject | undefined
  let cardinality = 0
  let maxelelen = 0
  let totelelen = 0
  if (op === 'inter') {
    if (zuiLength(src[0].subject) > 0) {
      for (const e of zuiEntries(src[0].subject)) {
        let score = src[0].weight * e.score
        if (score !== score) score = 0
        let k = 1
        for (; k < setnum; k++) {
          if (src[k].subject === src[0].subject) {
            score = aggregate(score, e.score * src[k].weight, agg)
          } else {
            const v = zuiFind(src[k].subject, e.member)
            if (v === undefined) break
            score = aggregate(score, v * src[k].weight, agg)
          }
        }
        if (k === setnum) {
          if (cardinalityOnly) {
            cardinality++
            if (limit && cardinality >= limit) break
          } else {
            entries.push({ member: e.member, score })
          }
        }
      }
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>()
    for (const s of src) {
      if (zuiLength(s.subject) === 0) continue
      for (const e of zuiEntries(s.subject)) {
        let score = s.weight * e.score
        if (score !== score) score = 0
        const cur = acc.get(e.member)
        acc.set(e.member, cur === undefined ? score : aggregate(cur, score, agg))
      }
    }
    for (const [member, score] of acc) entries.push({ member, score })
  } else {
    const r = zdiff(src, server)
    entries = r.entries
    built = r.built
  }
  for (const e of entries) {
    totelelen += e.member.length
    if (e.member.length > maxelelen) maxelelen = e.member.length
  }

  if (dstkey !== null) {
    if (entries.length > 0) {
      const site = siteOf(c, dstkey)
      const dst = built ?? zsetFromEntries(server, entries, op === 'union' ? entries.length : undefined)
      zsetConvertToListpackIfNeeded(dst, server, maxelelen, totelelen, site)
      db.setKey(dstkey, dst)
      server.notify('z', op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore', dstkey, db.id)
      server.dirty++
      return integer(zsetLength(dst))
    }
    if (db.delete(dstkey)) {
      server.signalModifiedKey(db, dstkey)
      server.notify('g', 'del', dstkey, db.id)
      server.dirty++
    }
    return ZERO
  }
  if (cardinalityOnly) return integer(cardinality)
  return entriesReply(c, built ? entries : sortEntries(entries), withscores)
}

export const zunionstore: CommandImpl = { name: 'zunionstore', run: (c, argv) => zunionInterDiff(c, argv, argv[1], 2, 'union', false) }
export const zinterstore: CommandImpl = { name: 'zinterstore', run: (c, argv) => zunionInterDiff(c, argv, argv[1], 2, 'inter', false) }
export const zdiffstore: CommandImpl = { name: 'zdiffstore', run: (c, argv) => zunionInterDiff(c, argv, argv[1], 2, 'diff', false) }
export const zunion: CommandImpl = { name: 'zunion', run: (c, argv) => zunionInterDiff(c, argv, null, 1, 'union', false) }
export const zinter: CommandImpl = { name: 'zinter', run: (c, argv) => zunionInterDiff(c, argv, null, 1, 'inter', false) }
export const zintercard: CommandImpl = { name: 'zintercard', run: (c, argv) => zunionInterDiff(c, argv, null, 1, 'inter', true) }
export const zdiff_: CommandImpl = { name: 'zdiff', run: (c, argv) => zunionInterDiff(c, argv, null, 1, 'diff', false) }
