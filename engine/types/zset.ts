// The sorted-set type (Redis 7.0.15's t_zset.c "common sorted set API"), over
// its two real encodings:
// - listpack: member, score, member, score ... in (score, member) order. A score
//   is stored the way zzlInsertAt stores it: as an integer entry when the double
//   is integral and within +-2^62 (double2ll), else as d2string's text ("1.5",
//   "inf", "%.17g": listpackScoreText); reading it back is zzlGetScore (strtod).
// - skiplist: a dict member -> score plus the ordered skiplist.
// Conversions follow zsetAdd (listpack -> skiplist at zset-max-listpack-entries /
// zset-max-listpack-value, read at the moment of the write) and
// zsetConvertToListpackIfNeeded (the *STORE destinations, sized to fit). Each
// range function mirrors the encoding's own C walk, so ranges that Redis answers
// "unspecified" (lex ranges over mixed scores) come out the same too.

import type { ListpackValue } from '../structures/listpack.ts'
import { Listpack, lpStringToInt } from '../structures/listpack.ts'
import {
  Skiplist,
  lexGteMin,
  lexLteMax,
  compareLex,
  scoreGteMin,
  scoreLteMax,
  LEX_MAX,
  LEX_MIN,
  type LexRange,
  type ScoreRange,
  type SearchStep,
  type SkiplistNode,
} from '../structures/skiplist.ts'
import { Dict } from '../structures/dict.ts'
import { keyspaceDictOptions } from '../keyspace/db.ts'
import type { RObj, SetObject, ZsetObject, ZsetSkiplistValue } from '../keyspace/object.ts'
import type { TraceEvent } from '../introspect/events.ts'
import { DICT_BUCKET_SIZE, DICT_ENTRY_SIZE, ROBJ_SIZE, jemallocSize, registerObjectSizer, sdsNewAllocSize } from '../keyspace/memory.ts'
import { registerDup } from '../commands/generic/rename.ts'
import { rdbLenSize, rdbRawStringSize, registerSerializedLength } from '../commands/server/serialized-length.ts'
import { formatDouble17g } from '../protocol/double.ts'
import { BINARY64, ldToNumber, strtoFormat } from '../structures/long-double.ts'
import { ordinal, traceConversion, type ValueSite } from './trace.ts'

/** What the zset type needs from the server. */
export interface ZsetHost {
  readonly hashSeed: number
  readonly random: { next(): number; u32(): number }
  readonly config: { num(name: string): number }
  readonly traceBus: { readonly active: boolean }
  trace(e: TraceEvent): void
}

/** One element of a sorted set. */
export interface ZEntry {
  member: string
  score: number
}

/** lpSafeToAdd's limit (LISTPACK_MAX_SAFETY_SIZE). */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30
/** (double)(LLONG_MAX/2): double2ll only converts within +-this. */
const DOUBLE2LL_LIMIT = 4611686018427387904

type LpZset = Extract<ZsetObject, { encoding: 'listpack' }>
type SlZset = Extract<ZsetObject, { encoding: 'skiplist' }>

// ---------------------------------------------------------------- scores

/** What zzlInsertAt stores for a score: an integer when double2ll succeeds, else d2string's text. */
export function listpackScoreValue(score: number): ListpackValue {
  if (Number.isInteger(score) && score >= -DOUBLE2LL_LIMIT && score <= DOUBLE2LL_LIMIT) {
    if (score === 0) return 0 // -0 too: double2ll turns it into the integer 0
    return Number.isSafeInteger(score) ? score : BigInt(score)
  }
  return listpackScoreText(score)
}

/**
 * A score as text the way a listpack zset holds it: util.c d2string ("nan", "inf",
 * "-0", %.17g), except that integral values within +-2^62 print whole. That is not
 * d2string (engine/protocol/double.ts, whole integers only within +-2^52): it is what
 * zzlInsertAt's double2ll branch stores for them, an integer entry that reads back as
 * its digits, so the text agrees with the listpack over double2ll's whole range.
 */
export function listpackScoreText(v: number): string {
  if (Number.isNaN(v)) return 'nan'
  if (v === Infinity) return 'inf'
  if (v === -Infinity) return '-inf'
  if (v === 0) return Object.is(v, -0) ? '-0' : '0'
  if (Number.isInteger(v) && v >= -DOUBLE2LL_LIMIT && v <= DOUBLE2LL_LIMIT) return BigInt(v).toString()
  return formatDouble17g(v)
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i
const NONZERO_MANTISSA = /^[^e]*[1-9]/i
const DBL_MIN = 2.2250738585072014e-308

/** C isspace in the C locale. */
function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/**
 * strtod(s, &end) where the caller only accepts an end pointer at the end of the
 * string or at a NUL byte (zslParseRange, zzlStrtod): the number, or null when
 * the text is not such a number (NaN included). A string that is empty up to its
 * first NUL is 0, as strtod converts nothing and stops at the terminator.
 */
export function strtodToNul(s: string): number | null {
  const z = s.indexOf('\0')
  const t = z < 0 ? s : s.slice(0, z)
  if (t.length === 0) return 0
  let i = 0
  while (i < t.length && isCSpace(t.charCodeAt(i))) i++
  if (i === t.length) return null // only spaces: nothing converted, end pointer at a space
  const body = i === 0 ? t : t.slice(i)
  if (DECIMAL.test(body)) {
    // Number() rounds plain decimal text exactly as strtod does in the normal range;
    // zero results (underflow?) and subnormals take the exact path below.
    const fast = Number(body)
    if (fast !== 0 ? Math.abs(fast) >= DBL_MIN : !NONZERO_MANTISSA.test(body)) return fast
  }
  const r = strtoFormat(body, BINARY64)
  if (!r.ok || r.value.kind === 'nan') return null
  return ldToNumber(r.value)
}

/** zzlGetScore: an integer entry, or strtod of a string entry (at most 127 bytes read). */
function scoreFromListpack(v: ListpackValue): number {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  switch (v) {
    case 'inf':
      return Infinity
    case '-inf':
      return -Infinity
  }
  // What listpackScoreText writes is plain decimal text, which Number() reads exactly as strtod;
  // anything else (a listpack from RESTORE) goes through strtod's prefix rules.
  if (DECIMAL.test(v)) return Number(v)
  return strtodPrefix(v.length > 127 ? v.slice(0, 127) : v)
}

/** strtod with the end pointer ignored (zzlStrtod): the longest numeric prefix, 0 if none. */
function strtodPrefix(s: string): number {
  for (let end = s.length; end > 0; end--) {
    const r = strtodToNul(s.slice(0, end))
    if (r !== null && s.slice(0, end).trim().length > 0) return r
  }
  return 0
}

// ---------------------------------------------------------------- creation, length, convert

/** createZsetListpackObject: an empty listpack zset. */
export function createZsetListpackObject(): ZsetObject {
  return { type: 'zset', encoding: 'listpack', value: Listpack.create(), lru: 0 }
}

/** createZsetObject: an empty dict + skiplist zset. */
export function createZsetObject(server: Pick<ZsetHost, 'hashSeed' | 'random'>): ZsetObject {
  return { type: 'zset', encoding: 'skiplist', value: newSkiplistValue(server), lru: 0 }
}

function newSkiplistValue(server: Pick<ZsetHost, 'hashSeed' | 'random'>): ZsetSkiplistValue {
  return { dict: new Dict<string, number>(keyspaceDictOptions(server)), zsl: new Skiplist(server.random) }
}

/** zsetLength. */
export function zsetLength(o: ZsetObject): number {
  return o.encoding === 'listpack' ? o.value.length() / 2 : o.value.zsl.length
}

/**
 * zsetConvert: listpack -> skiplist (members inserted lowest first, each drawing its
 * level) or skiplist -> listpack (appended in order). Changes the object in place.
 */
export function zsetConvert(
  o: ZsetObject,
  server: ZsetHost,
  to: 'listpack' | 'skiplist',
  site?: ValueSite,
  reason?: () => string,
): void {
  if (o.encoding === to) return
  const from = o.encoding
  if (o.encoding === 'listpack') {
    const lp = o.value
    const v = newSkiplistValue(server)
    for (let e = lp.first(); e !== null; ) {
      const s = lp.next(e) as number
      const member = lp.getString(e)
      const score = scoreFromListpack(lp.get(s))
      v.zsl.insert(score, member)
      v.dict.add(member, score)
      e = lp.next(s)
    }
    const so = o as unknown as SlZset
    so.encoding = 'skiplist'
    so.value = v
  } else {
    const lp = Listpack.create()
    for (const n of o.value.zsl) {
      lp.append(n.member)
      lp.append(listpackScoreValue(n.score))
    }
    const lo = o as unknown as LpZset
    lo.encoding = 'listpack'
    lo.value = lp
  }
  traceConversion(server, site, 'zset', from, to, reason ?? (() => (to === 'skiplist' ? 'converted' : 'result fits a listpack')))
}

/**
 * zsetConvertToListpackIfNeeded: a skiplist destination that fits the listpack limits
 * (length, longest member, total bytes) becomes a listpack.
 */
export function zsetConvertToListpackIfNeeded(
  o: ZsetObject,
  server: ZsetHost,
  maxelelen: number,
  totelelen: number,
  site?: ValueSite,
): void {
  if (o.encoding === 'listpack') return
  const maxEntries = server.config.num('zset-max-listpack-entries')
  const maxValue = server.config.num('zset-max-listpack-value')
  const len = o.value.zsl.length
  if (len <= maxEntries && maxelelen <= maxValue && totelelen <= LISTPACK_MAX_SAFETY_SIZE) {
    zsetConvert(o, server, 'listpack', site, () =>
      `result of ${len} members fits: zset-max-listpack-entries is ${maxEntries}, longest member ${maxelelen} bytes, zset-max-listpack-value is ${maxValue}`,
    )
  }
}

// ---------------------------------------------------------------- trace helpers

function traceSearch(server: ZsetHost, site: ValueSite | undefined, op: string, fill: (path: SearchStep[]) => void): void {
  if (!server.traceBus.active || site === undefined) return
  const path: SearchStep[] = []
  fill(path)
  server.trace({ type: 'skiplist-search', db: site.db, key: site.key, op, path })
}

function traceInsert(server: ZsetHost, site: ValueSite | undefined, node: SkiplistNode): void {
  if (!server.traceBus.active || site === undefined) return
  server.trace({ type: 'skiplist-insert', db: site.db, key: site.key, member: node.member, score: node.score, level: node.height })
}

// ---------------------------------------------------------------- listpack helpers (zzl*)

/** zzlFind: the member's entry offset and score, or null. */
function zzlFind(lp: Listpack, member: string): { e: number; score: number } | null {
  const first = lp.first()
  if (first === null) return null
  const e = lp.find(member, first, 1)
  if (e === null) return null
  return { e, score: scoreFromListpack(lp.get(lp.next(e) as number)) }
}

function zzlScoreAt(lp: Listpack, e: number): number {
  return scoreFromListpack(lp.get(lp.next(e) as number))
}

/** zzlInsert: keep (score, member) order; ties sorted by member bytes. */
function zzlInsert(lp: Listpack, member: string, score: number): void {
  for (let e = lp.first(); e !== null; ) {
    const s = lp.next(e) as number
    const cur = scoreFromListpack(lp.get(s))
    if (cur > score || (cur === score && lp.getString(e) > member)) {
      const at = lp.insert(member, e, 'before')
      lp.insert(listpackScoreValue(score), at, 'after')
      return
    }
    e = lp.next(s)
  }
  lp.append(member)
  lp.append(listpackScoreValue(score))
}

/** zzlPrev: the element before element `e`, or null. */
function zzlPrevElement(lp: Listpack, e: number): number | null {
  const s = lp.prev(e)
  return s === null ? null : lp.prev(s)
}

function zzlNextElement(lp: Listpack, e: number): number | null {
  const s = lp.next(e)
  return s === null ? null : lp.next(s)
}

function zzlIsInRange(lp: Listpack, range: ScoreRange): boolean {
  if (range.min > range.max || (range.min === range.max && (range.minex || range.maxex))) return false
  const last = lp.seek(-1)
  if (last === null) return false
  if (!scoreGteMin(scoreFromListpack(lp.get(last)), range)) return false
  const first = lp.seek(1) as number
  return scoreLteMax(scoreFromListpack(lp.get(first)), range)
}

function zzlFirstInRange(lp: Listpack, range: ScoreRange): number | null {
  if (!zzlIsInRange(lp, range)) return null
  for (let e = lp.first(); e !== null; ) {
    const s = lp.next(e) as number
    const score = scoreFromListpack(lp.get(s))
    if (scoreGteMin(score, range)) return scoreLteMax(score, range) ? e : null
    e = lp.next(s)
  }
  return null
}

function zzlLastInRange(lp: Listpack, range: ScoreRange): number | null {
  if (!zzlIsInRange(lp, range)) return null
  for (let e = lp.seek(-2); e !== null; e = zzlPrevElement(lp, e)) {
    const score = zzlScoreAt(lp, e)
    if (scoreLteMax(score, range)) return scoreGteMin(score, range) ? e : null
  }
  return null
}

function zzlIsInLexRange(lp: Listpack, range: LexRange): boolean {
  const cmp = compareLex(range.min, range.max)
  if (cmp > 0 || (cmp === 0 && (range.minex || range.maxex))) return false
  const last = lp.seek(-2)
  if (last === null) return false
  if (!lexGteMin(lp.getString(last), range)) return false
  return lexLteMax(lp.getString(lp.seek(0) as number), range)
}

function zzlFirstInLexRange(lp: Listpack, range: LexRange): number | null {
  if (!zzlIsInLexRange(lp, range)) return null
  for (let e = lp.first(); e !== null; e = zzlNextElement(lp, e)) {
    const m = lp.getString(e)
    if (lexGteMin(m, range)) return lexLteMax(m, range) ? e : null
  }
  return null
}

function zzlLastInLexRange(lp: Listpack, range: LexRange): number | null {
  if (!zzlIsInLexRange(lp, range)) return null
  for (let e = lp.seek(-2); e !== null; e = zzlPrevElement(lp, e)) {
    const m = lp.getString(e)
    if (lexLteMax(m, range)) return lexGteMin(m, range) ? e : null
  }
  return null
}

// ---------------------------------------------------------------- point operations

/** zsetScore: the member's score, or undefined. */
export function zsetScore(o: ZsetObject, member: string, server?: ZsetHost, site?: ValueSite): number | undefined {
  if (o.encoding === 'listpack') return zzlFind(o.value, member)?.score
  const score = o.value.dict.get(member)
  if (score !== undefined && server !== undefined) {
    const zsl = o.value.zsl
    traceSearch(server, site, 'zscore', (path) => zsl.getRank(score, member, path))
  }
  return score
}

export const ZADD_IN_INCR = 1
export const ZADD_IN_NX = 2
export const ZADD_IN_XX = 4
export const ZADD_IN_GT = 8
export const ZADD_IN_LT = 16

export interface ZaddResult {
  /** False when the (resulting) score is NaN: the command replies the NaN error. */
  ok: boolean
  added: boolean
  updated: boolean
  nop: boolean
  /** The score the member ended with (INCR), when not nop. */
  newscore: number
}

/**
 * zsetAdd: add or update one member under the ZADD flags, converting a listpack
 * that would outgrow its limits first.
 */
export function zsetAdd(
  o: ZsetObject,
  server: ZsetHost,
  score: number,
  member: string,
  flags: number,
  site?: ValueSite,
): ZaddResult {
  const incr = (flags & ZADD_IN_INCR) !== 0
  const nx = (flags & ZADD_IN_NX) !== 0
  const xx = (flags & ZADD_IN_XX) !== 0
  const gt = (flags & ZADD_IN_GT) !== 0
  const lt = (flags & ZADD_IN_LT) !== 0
  const res: ZaddResult = { ok: true, added: false, updated: false, nop: false, newscore: score }
  if (Number.isNaN(score)) {
    res.ok = false
    return res
  }
  if (o.encoding === 'listpack') {
    const lp = o.value
    const found = zzlFind(lp, member)
    if (found !== null) {
      if (nx) {
        res.nop = true
        return res
      }
      const cur = found.score
      if (incr) {
        score += cur
        if (Number.isNaN(score)) {
          res.ok = false
          return res
        }
      }
      if ((lt && score >= cur) || (gt && score <= cur)) {
        res.nop = true
        return res
      }
      res.newscore = score
      if (score !== cur) {
        lp.deleteRangeWithEntry(found.e, 2)
        zzlInsert(lp, member, score)
        res.updated = true
      }
      return res
    } else if (!xx) {
      const len = lp.length() / 2
      const maxEntries = server.config.num('zset-max-listpack-entries')
      const maxValue = server.config.num('zset-max-listpack-value')
      if (len + 1 > maxEntries || member.length > maxValue || lp.byteLength + member.length > LISTPACK_MAX_SAFETY_SIZE) {
        zsetConvert(o, server, 'skiplist', site, () =>
          len + 1 > maxEntries
            ? `${ordinal(len + 1)} member: zset-max-listpack-entries is ${maxEntries}`
            : member.length > maxValue
              ? `member of ${member.length} bytes: zset-max-listpack-value is ${maxValue}`
              : 'listpack would pass its 1 GB safety limit',
        )
      } else {
        zzlInsert(lp, member, score)
        res.newscore = score
        res.added = true
        return res
      }
    } else {
      res.nop = true
      return res
    }
  }
  const v = (o as SlZset).value
  const de = v.dict.getEntry(member)
  if (de !== undefined) {
    const cur = de.value
    if (nx) {
      res.nop = true
      return res
    }
    if (incr) {
      score += cur
      if (Number.isNaN(score)) {
        res.ok = false
        return res
      }
    }
    if ((lt && score >= cur) || (gt && score <= cur)) {
      res.nop = true
      return res
    }
    res.newscore = score
    if (score !== cur) {
      const moved = server.traceBus.active && site !== undefined && !updatesInPlace(v.zsl, cur, member, score)
      const node = v.zsl.updateScore(cur, member, score)
      de.value = score
      if (moved) traceInsert(server, site, node)
      res.updated = true
    }
    return res
  } else if (!xx) {
    const node = v.zsl.insert(score, member)
    v.dict.add(member, score)
    traceInsert(server, site, node)
    res.added = true
    res.newscore = score
    return res
  }
  res.nop = true
  return res
}

/** Whether zslUpdateScore would keep the node where it is (only asked while tracing). */
function updatesInPlace(zsl: Skiplist, cur: number, member: string, score: number): boolean {
  const node = zsl.getElementByRank(zsl.getRank(cur, member))
  if (node === null) return false
  const prev = node.backward
  const next = node.next
  return (prev === null || prev.score < score) && (next === null || next.score > score)
}

/** htNeedsResize -> dictResize, as Redis does right after deletes. */
function shrinkIfNeeded(d: Dict<string, number>): void {
  if (d.needsShrink()) d.resizeToFit()
}

/** zsetDel: remove a member; true when it was there. */
export function zsetDel(o: ZsetObject, member: string): boolean {
  if (o.encoding === 'listpack') {
    const f = zzlFind(o.value, member)
    if (f === null) return false
    o.value.deleteRangeWithEntry(f.e, 2)
    return true
  }
  const v = o.value
  const score = unlinkScore(v.dict, member)
  if (score === undefined) return false
  v.zsl.delete(score, member)
  shrinkIfNeeded(v.dict)
  return true
}

/** dictUnlink: remove and return the score, with the single rehash step Redis's unlink makes. */
function unlinkScore(d: Dict<string, number>, member: string): number | undefined {
  d.pauseRehashing()
  const score = d.get(member)
  d.resumeRehashing()
  if (score !== undefined) d.delete(member)
  return score
}

/** zsetRank: 0-based rank (from the top when reverse), or -1. */
export function zsetRank(o: ZsetObject, member: string, reverse: boolean, server?: ZsetHost, site?: ValueSite): number {
  const llen = zsetLength(o)
  if (o.encoding === 'listpack') {
    const lp = o.value
    let rank = 1
    let e = lp.first()
    while (e !== null) {
      if (lp.compare(e, member)) break
      rank++
      e = zzlNextElement(lp, e)
    }
    if (e === null) return -1
    return reverse ? llen - rank : rank - 1
  }
  const v = o.value
  const score = v.dict.get(member)
  if (score === undefined) return -1
  let rank: number
  if (server !== undefined && server.traceBus.active && site !== undefined) {
    const path: SearchStep[] = []
    rank = v.zsl.getRank(score, member, path)
    server.trace({ type: 'skiplist-search', db: site.db, key: site.key, op: reverse ? 'zrevrank' : 'zrank', path })
  } else {
    rank = v.zsl.getRank(score, member)
  }
  return reverse ? llen - rank : rank - 1
}

/** The lowest (or highest) element, removed (genericZpopCommand's one step). */
export function zsetPopOne(o: ZsetObject, max: boolean): ZEntry {
  let entry: ZEntry
  if (o.encoding === 'listpack') {
    const lp = o.value
    const e = lp.seek(max ? -2 : 0) as number
    entry = { member: lp.getString(e), score: zzlScoreAt(lp, e) }
  } else {
    const n = (max ? o.value.zsl.last() : o.value.zsl.first()) as SkiplistNode
    entry = { member: n.member, score: n.score }
  }
  zsetDel(o, entry.member)
  return entry
}

// ---------------------------------------------------------------- ranges

/** Sanitised 0-based inclusive rank range, or null when empty (Redis's index rules). */
export function clampRankRange(start: bigint, end: bigint, llen: number): { start: number; end: number } | null {
  const n = BigInt(llen)
  if (start < 0n) start += n
  if (end < 0n) end += n
  if (start < 0n) start = 0n
  if (start > end || start >= n) return null
  if (end >= n) end = n - 1n
  return { start: Number(start), end: Number(end) }
}

/** genericZrangebyrankCommand's walk over a sanitised range. */
export function zsetRangeByRank(
  o: ZsetObject,
  start: number,
  end: number,
  reverse: boolean,
  server?: ZsetHost,
  site?: ValueSite,
): ZEntry[] {
  const out: ZEntry[] = []
  let n = end - start + 1
  const llen = zsetLength(o)
  if (o.encoding === 'listpack') {
    const lp = o.value
    let e = lp.seek(reverse ? -2 - 2 * start : 2 * start)
    while (n-- > 0 && e !== null) {
      out.push({ member: lp.getString(e), score: zzlScoreAt(lp, e) })
      e = reverse ? zzlPrevElement(lp, e) : zzlNextElement(lp, e)
    }
    return out
  }
  const zsl = o.value.zsl
  let ln: SkiplistNode | null
  if (reverse) {
    ln = zsl.last()
    if (start > 0) ln = rankLookup(zsl, llen - start, server, site)
  } else {
    ln = zsl.first()
    if (start > 0) ln = rankLookup(zsl, start + 1, server, site)
  }
  return zsl.collect(ln, n, reverse)
}

function rankLookup(zsl: Skiplist, rank: number, server?: ZsetHost, site?: ValueSite): SkiplistNode | null {
  if (server !== undefined && server.traceBus.active && site !== undefined) {
    const path: SearchStep[] = []
    const n = zsl.getElementByRank(rank, path)
    server.trace({ type: 'skiplist-search', db: site.db, key: site.key, op: 'zrange', path })
    return n
  }
  return zsl.getElementByRank(rank)
}

/**
 * genericZrangebyscoreCommand: elements in the score range, from the first (or, reversed,
 * the last) one in range, skipping `offset` then taking up to `limit` (negative = all).
 */
export function zsetRangeByScore(
  o: ZsetObject,
  range: ScoreRange,
  offset: number,
  limit: number,
  reverse: boolean,
  server?: ZsetHost,
  site?: ValueSite,
): ZEntry[] {
  const out: ZEntry[] = []
  // A negative offset never reaches zero in Redis's `offset--` loop: it walks off the end.
  if (offset < 0) return out
  if (offset > 0 && offset >= zsetLength(o)) return out
  if (o.encoding === 'listpack') {
    const lp = o.value
    let e = reverse ? zzlLastInRange(lp, range) : zzlFirstInRange(lp, range)
    while (e !== null && offset-- > 0) e = reverse ? zzlPrevElement(lp, e) : zzlNextElement(lp, e)
    while (e !== null && limit-- !== 0) {
      const score = zzlScoreAt(lp, e)
      if (reverse ? !scoreGteMin(score, range) : !scoreLteMax(score, range)) break
      out.push({ member: lp.getString(e), score })
      e = reverse ? zzlPrevElement(lp, e) : zzlNextElement(lp, e)
    }
    return out
  }
  const zsl = o.value.zsl
  let ln: SkiplistNode | null
  if (server !== undefined && server.traceBus.active && site !== undefined) {
    const path: SearchStep[] = []
    ln = reverse ? zsl.lastInRange(range, path) : zsl.firstInRange(range, path)
    server.trace({ type: 'skiplist-search', db: site.db, key: site.key, op: 'zrangebyscore', path })
  } else {
    ln = reverse ? zsl.lastInRange(range) : zsl.firstInRange(range)
  }
  while (ln !== null && offset-- > 0) ln = reverse ? ln.backward : ln.next
  while (ln !== null && limit-- !== 0) {
    if (reverse ? !scoreGteMin(ln.score, range) : !scoreLteMax(ln.score, range)) break
    out.push({ member: ln.member, score: ln.score })
    ln = reverse ? ln.backward : ln.next
  }
  return out
}

/** genericZrangebylexCommand (same offset/limit rules, no early offset check). */
export function zsetRangeByLex(
  o: ZsetObject,
  range: LexRange,
  offset: number,
  limit: number,
  reverse: boolean,
  server?: ZsetHost,
  site?: ValueSite,
): ZEntry[] {
  const out: ZEntry[] = []
  if (offset < 0) return out
  if (o.encoding === 'listpack') {
    const lp = o.value
    let e = reverse ? zzlLastInLexRange(lp, range) : zzlFirstInLexRange(lp, range)
    while (e !== null && offset-- > 0) e = reverse ? zzlPrevElement(lp, e) : zzlNextElement(lp, e)
    while (e !== null && limit-- !== 0) {
      const m = lp.getString(e)
      if (reverse ? !lexGteMin(m, range) : !lexLteMax(m, range)) break
      out.push({ member: m, score: zzlScoreAt(lp, e) })
      e = reverse ? zzlPrevElement(lp, e) : zzlNextElement(lp, e)
    }
    return out
  }
  const zsl = o.value.zsl
  let ln: SkiplistNode | null
  if (server !== undefined && server.traceBus.active && site !== undefined) {
    const path: SearchStep[] = []
    ln = reverse ? zsl.lastInLexRange(range, path) : zsl.firstInLexRange(range, path)
    server.trace({ type: 'skiplist-search', db: site.db, key: site.key, op: 'zrangebylex', path })
  } else {
    ln = reverse ? zsl.lastInLexRange(range) : zsl.firstInLexRange(range)
  }
  while (ln !== null && offset-- > 0) ln = reverse ? ln.backward : ln.next
  while (ln !== null && limit-- !== 0) {
    if (reverse ? !lexGteMin(ln.member, range) : !lexLteMax(ln.member, range)) break
    out.push({ member: ln.member, score: ln.score })
    ln = reverse ? ln.backward : ln.next
  }
  return out
}

/** ZCOUNT: listpack walk from the first in range; skiplist by ranks of the first and last in range. */
export function zsetCount(o: ZsetObject, range: ScoreRange, server?: ZsetHost, site?: ValueSite): number {
  if (o.encoding === 'listpack') {
    const lp = o.value
    let count = 0
    for (let e = zzlFirstInRange(lp, range); e !== null; e = zzlNextElement(lp, e)) {
      if (!scoreLteMax(zzlScoreAt(lp, e), range)) break
      count++
    }
    return count
  }
  const zsl = o.value.zsl
  if (server !== undefined) traceSearch(server, site, 'zcount', (path) => zsl.firstInRange(range, path))
  const first = zsl.firstInRange(range)
  if (first === null) return 0
  let count = zsl.length - (zsl.getRank(first.score, first.member) - 1)
  const last = zsl.lastInRange(range)
  if (last !== null) count -= zsl.length - zsl.getRank(last.score, last.member)
  return count
}

/** ZLEXCOUNT, mirroring zlexcountCommand per encoding. */
export function zsetLexCount(o: ZsetObject, range: LexRange, server?: ZsetHost, site?: ValueSite): number {
  if (o.encoding === 'listpack') {
    const lp = o.value
    let count = 0
    for (let e = zzlFirstInLexRange(lp, range); e !== null; e = zzlNextElement(lp, e)) {
      if (!lexLteMax(lp.getString(e), range)) break
      count++
    }
    return count
  }
  const zsl = o.value.zsl
  if (server !== undefined) traceSearch(server, site, 'zlexcount', (path) => zsl.firstInLexRange(range, path))
  const first = zsl.firstInLexRange(range)
  if (first === null) return 0
  let count = zsl.length - (zsl.getRank(first.score, first.member) - 1)
  const last = zsl.lastInLexRange(range)
  if (last !== null) count -= zsl.length - zsl.getRank(last.score, last.member)
  return count
}

/** ZREMRANGEBYRANK over a sanitised 0-based range; returns how many were removed. */
export function zsetDeleteRangeByRank(o: ZsetObject, start: number, end: number): number {
  if (o.encoding === 'listpack') {
    const num = end - start + 1
    o.value.deleteRange(2 * start, 2 * num)
    return num
  }
  const v = o.value
  const removed = v.zsl.deleteRangeByRank(start + 1, end + 1)
  for (const m of removed) v.dict.delete(m)
  shrinkIfNeeded(v.dict)
  return removed.length
}

/** ZREMRANGEBYSCORE. */
export function zsetDeleteRangeByScore(o: ZsetObject, range: ScoreRange): number {
  if (o.encoding === 'listpack') {
    const lp = o.value
    let e = zzlFirstInRange(lp, range)
    let num = 0
    while (e !== null && lp.next(e) !== null) {
      if (!scoreLteMax(zzlScoreAt(lp, e), range)) break
      e = lp.deleteRangeWithEntry(e, 2)
      num++
    }
    return num
  }
  const v = o.value
  const removed = v.zsl.deleteRangeByScore(range)
  for (const m of removed) v.dict.delete(m)
  shrinkIfNeeded(v.dict)
  return removed.length
}

/** ZREMRANGEBYLEX. */
export function zsetDeleteRangeByLex(o: ZsetObject, range: LexRange): number {
  if (o.encoding === 'listpack') {
    const lp = o.value
    let e = zzlFirstInLexRange(lp, range)
    let num = 0
    while (e !== null && lp.next(e) !== null) {
      if (!lexLteMax(lp.getString(e), range)) break
      e = lp.deleteRangeWithEntry(e, 2)
      num++
    }
    return num
  }
  const v = o.value
  const removed = v.zsl.deleteRangeByLex(range)
  for (const m of removed) v.dict.delete(m)
  shrinkIfNeeded(v.dict)
  return removed.length
}

// ---------------------------------------------------------------- iteration, copies, random

/** Every element from the highest down (zuiInitIterator walks sorted sets backwards). */
export function zsetEntriesDescending(o: ZsetObject): ZEntry[] {
  const out: ZEntry[] = []
  if (o.encoding === 'listpack') {
    const lp = o.value
    for (let e = lp.seek(-2); e !== null; e = zzlPrevElement(lp, e)) out.push({ member: lp.getString(e), score: zzlScoreAt(lp, e) })
  } else {
    for (const n of o.value.zsl.descending()) out.push({ member: n.member, score: n.score })
  }
  return out
}

/** Every element in order. */
export function zsetEntries(o: ZsetObject): ZEntry[] {
  const out: ZEntry[] = []
  if (o.encoding === 'listpack') {
    const lp = o.value
    for (let e = lp.first(); e !== null; e = zzlNextElement(lp, e)) out.push({ member: lp.getString(e), score: zzlScoreAt(lp, e) })
  } else {
    for (const n of o.value.zsl) out.push({ member: n.member, score: n.score })
  }
  return out
}

/** zsetDup (COPY): same encoding; a skiplist is rebuilt from the tail down, with the source's hashing and randomness. */
export function zsetDup(o: ZsetObject): ZsetObject {
  if (o.encoding === 'listpack') {
    return { type: 'zset', encoding: 'listpack', value: Listpack.fromBytes(o.value.view(), false), lru: 0 }
  }
  const src = o.value
  const v: ZsetSkiplistValue = { dict: new Dict<string, number>(src.dict.options()), zsl: new Skiplist(src.zsl.randomSource) }
  v.dict.expand(src.dict.size)
  for (const n of src.zsl.descending()) {
    v.zsl.insert(n.score, n.member)
    v.dict.add(n.member, n.score)
  }
  return { type: 'zset', encoding: 'skiplist', value: v, lru: 0 }
}

/** zsetTypeRandomElement: a fair random member (skiplist) or a random pair (listpack). */
export function zsetRandomElement(o: ZsetObject, rand: () => number): ZEntry {
  if (o.encoding === 'skiplist') {
    const e = o.value.dict.fairRandomEntry(rand)
    if (e === undefined) throw new Error('zsetRandomElement on an empty zset')
    return { member: e.key, score: e.value }
  }
  const [m, s] = o.value.randomPair(o.value.length() / 2, rand)
  return { member: typeof m === 'string' ? m : String(m), score: scoreFromListpack(s) }
}

/** lpRandomPairs over a listpack zset (repetitions possible, in drawn order). */
export function zsetListpackRandomPairs(o: ZsetObject, count: number, rand: () => number, unique: boolean): ZEntry[] {
  if (o.encoding !== 'listpack') throw new Error('not a listpack zset')
  const r = unique ? o.value.randomPairsUnique(count, rand) : o.value.randomPairs(count, rand)
  const out: ZEntry[] = []
  for (let i = 0; i < r.keys.length; i++) {
    const m = r.keys[i]
    out.push({ member: typeof m === 'string' ? m : String(m), score: scoreFromListpack(r.vals[i]) })
  }
  return out
}

// ---------------------------------------------------------------- sets and zsets as inputs (zui*)

/** A ZUNION/ZINTER/ZDIFF input: a sorted set, a set (every score 1), or missing. */
export type ZuiSource = ZsetObject | SetObject | undefined

/** zuiLength. */
export function zuiLength(src: ZuiSource): number {
  if (src === undefined) return 0
  if (src.type === 'zset') return zsetLength(src)
  return src.encoding === 'intset' ? src.value.length : src.value.size
}

/** zuiNext over the whole input: sets in their own order with score 1, sorted sets from the top. */
export function zuiEntries(src: ZuiSource): ZEntry[] {
  if (src === undefined) return []
  if (src.type === 'zset') return zsetEntriesDescending(src)
  const out: ZEntry[] = []
  if (src.encoding === 'intset') {
    const is = src.value
    for (let i = 0; i < is.length; i++) out.push({ member: String(is.get(i)), score: 1 })
  } else {
    for (const k of src.value.keys()) out.push({ member: k, score: 1 })
  }
  return out
}

/** zuiFind: the member's score in the input (1 for sets), or undefined. */
export function zuiFind(src: ZuiSource, member: string): number | undefined {
  if (src === undefined) return undefined
  if (src.type === 'zset') {
    if (src.encoding === 'listpack') return zzlFind(src.value, member)?.score
    return src.value.dict.get(member)
  }
  if (src.encoding === 'intset') {
    const v = lpStringToInt(member)
    return v !== null && src.value.has(v) ? 1 : undefined
  }
  return src.value.has(member) ? 1 : undefined
}

/** A new skiplist zset holding `entries` (members unique), each insert drawing a level. */
export function zsetFromEntries(server: ZsetHost, entries: Iterable<ZEntry>, expandTo?: number): ZsetObject {
  const o = createZsetObject(server) as SlZset
  if (expandTo !== undefined) o.value.dict.expand(expandTo)
  for (const e of entries) {
    o.value.zsl.insert(e.score, e.member)
    o.value.dict.add(e.member, e.score)
  }
  return o
}

/** zdiff's algorithm 2 step: remove a member from a skiplist zset without shrinking. */
export function zsetRemoveFromSkiplist(o: ZsetObject, member: string): boolean {
  if (o.encoding !== 'skiplist') throw new Error('not a skiplist zset')
  const v = o.value
  const score = unlinkScore(v.dict, member)
  if (score === undefined) return false
  v.zsl.delete(score, member)
  return true
}

/** The dict resize zdiff's algorithm 2 does after its removals. */
export function zsetShrinkDict(o: ZsetObject): void {
  if (o.encoding === 'skiplist') shrinkIfNeeded(o.value.dict)
}

/** Sort entries by (score, member) like a skiplist orders them. */
export function sortEntries(entries: ZEntry[]): ZEntry[] {
  return entries.sort((a, b) => (a.score < b.score ? -1 : a.score > b.score ? 1 : a.member < b.member ? -1 : a.member > b.member ? 1 : 0))
}

// ---------------------------------------------------------------- lex range parsing

/**
 * zslParseLexRange: '-', '+', '[x', '(x'. Redis tests the byte after '+'/'-' against
 * the C string terminator, so "+\0..." still means +. Null when invalid.
 */
export function parseZsetLexRange(min: string, max: string): LexRange | null {
  const a = parseLexItemC(min)
  const b = parseLexItemC(max)
  if (a === null || b === null) return null
  return { min: a.value, max: b.value, minex: a.ex, maxex: b.ex }
}

function parseLexItemC(item: string): { value: string | typeof LEX_MIN | typeof LEX_MAX; ex: boolean } | null {
  switch (item.charCodeAt(0)) {
    case 0x2b:
      return item.length === 1 || item.charCodeAt(1) === 0 ? { value: LEX_MAX, ex: true } : null
    case 0x2d:
      return item.length === 1 || item.charCodeAt(1) === 0 ? { value: LEX_MIN, ex: true } : null
    case 0x28:
      return { value: item.slice(1), ex: true }
    case 0x5b:
      return { value: item.slice(1), ex: false }
    default:
      return null
  }
}

/** zslParseRange: "(" for exclusive, strtod up to the end (or a NUL byte); NaN rejected. */
export function parseZsetScoreRange(min: string, max: string): ScoreRange | null {
  const a = parseScoreBound(min)
  const b = parseScoreBound(max)
  if (a === null || b === null) return null
  return { min: a.v, max: b.v, minex: a.ex, maxex: b.ex }
}

function parseScoreBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 0x28
  const v = strtodToNul(ex ? s.slice(1) : s)
  return v === null ? null : { v, ex }
}

// ---------------------------------------------------------------- memory, dup, serialized length

/** sizeof(robj) + sizeof(zset) + sizeof(zskiplist) + sizeof(dict). */
const SKIPLIST_FIXED = ROBJ_SIZE + 16 + 32 + 56
/** The header node: 24 bytes + 32 levels of 16. */
const SKIPLIST_HEADER = jemallocSize(24 + 32 * 16)

/** objectComputeSize for a zset (object.c, 7.0). */
export function zsetObjectSize(o: ZsetObject, samples: number): number {
  if (o.encoding === 'listpack') return ROBJ_SIZE + jemallocSize(o.value.byteLength)
  const d = o.value.dict
  let size = SKIPLIST_FIXED + DICT_BUCKET_SIZE * d.slots + SKIPLIST_HEADER
  let elesize = 0
  let n = 0
  for (const node of o.value.zsl) {
    if (samples !== 0 && n >= samples) break
    elesize += sdsNewAllocSize(node.member.length) + DICT_ENTRY_SIZE + jemallocSize(24 + node.height * 16)
    n++
  }
  if (n > 0) size += (elesize / n) * d.size
  return Math.floor(size)
}

/** rdbSavedObjectLen for a zset: the listpack blob, or length + (member, 8-byte score) from the tail. */
export function zsetSerializedLength(o: ZsetObject, compression: boolean): number {
  if (o.encoding === 'listpack') {
    const bytes = o.value.view()
    let s = ''
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i])
    return rdbRawStringSize(s, compression)
  }
  let n = rdbLenSize(o.value.zsl.length)
  for (const node of o.value.zsl) n += rdbRawStringSize(node.member, compression) + 8
  return n
}

registerObjectSizer('zset', (o, samples) => zsetObjectSize(o as ZsetObject, samples))
registerSerializedLength('zset', (o, compression) => zsetSerializedLength(o as ZsetObject, compression))
registerDup('zset', (o: RObj) => zsetDup(o as ZsetObject))
