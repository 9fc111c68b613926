// SORT / SORT_RO (sort.c sortCommandGeneric, Redis 7.0): sort a list, set or
// sorted set numerically or lexicographically, optionally by external keys
// (BY pattern, `->` for hash fields), with LIMIT, GET patterns and STORE.
//
// Fidelity notes:
// - BY without '*' means "don't sort": lists and sorted sets come out in their
//   own order (LIMIT and DESC applied while reading them), sets in iteration
//   order (with STORE a set is sorted ALPHA instead, so the stored list is
//   deterministic).
// - A sorted set is converted to the skiplist encoding first, for good, as
//   Redis does.
// - The full sort is glibc's qsort, a stable merge sort; with BY and a LIMIT
//   that does not cover everything, Redis's pqsort (a partial Bentley-McIlroy
//   quicksort, not stable) is used: both are mirrored, so ties come out in
//   Redis's order.
// - Numeric values are read with strtod up to the first NUL byte: leading
//   spaces, hex floats and inf are accepted, an empty string is 0, and
//   trailing junk, NaN, overflow and underflow are the "One or more scores
//   can't be converted into double" error. ALPHA compares with strcoll in the
//   C/C.UTF-8 locale (byte order up to the first NUL), or binary-safe when
//   storing.

import { NULL, array, bulk, error, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { Db } from '../../keyspace/db.ts'
import type { ListObject, RObj } from '../../keyspace/object.ts'
import { BINARY64, ldCompare, ldFromNumber, ldToNumber, newFloatSyntax, scanFloatSyntax, strtoFormat } from '../../structures/long-double.ts'
import type { BinaryFormat } from '../../structures/long-double.ts'
import { createQuicklistObject, listTypeLength, listTypePush } from '../../types/list.ts'
import { setTypeMembers, setTypeSize } from '../../types/set.ts'
import { zsetConvert } from '../../types/zset.ts'
import { hashTypeGetValue } from '../../types/hash.ts'
import { string2llNumber } from '../../structures/numbers.ts'
import { isReply, parseLongLong } from '../args.ts'
import { optEq } from './cstr.ts'

const scoreError = error("ERR One or more scores can't be converted into double")

/** The argument as C sees it: up to the first NUL byte. */
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is
 * replaced by the element and the key looked up (a string), or with
 * "key->field" the field of a hash. Undefined when there is no such value.
 */
function lookupKeyByPattern(db: Db, pattern: string, subst: string): string | undefined {
  if (pattern.length > 0 && pattern[0] === '#' && (pattern.length === 1 || pattern[1] === '\0')) return subst
  // strchr / strstr stop at the first NUL byte.
  const cp = cstr(pattern)
  const p = cp.indexOf('*')
  if (p < 0) return undefined
  const f = cp.indexOf('->', p + 1)
  let fieldlen = 0
  let field = ''
  if (f >= 0 && f + 2 < cp.length) {
    fieldlen = pattern.length - f - 2
    field = pattern.slice(f + 2, f + 2 + fieldlen)
  }
  const postfixlen = pattern.length - (p + 1) - (fieldlen ? fieldlen + 2 : 0)
  const key = pattern.slice(0, p) + subst + pattern.slice(p + 1, p + 1 + postfixlen)
  const o = db.lookupRead(key)
  if (o === undefined) return undefined
  if (fieldlen) {
    if (o.type !== 'hash') return undefined
    return hashTypeGetValue(o, field)
  }
  if (o.type !== 'string') return undefined
  return o.value
}

const DBL_MIN = 2.2250738585072014e-308
/** Wide enough to hold any binary64 subnormal exactly (to tell an exact subnormal from a rounded one). */
const WIDE: BinaryFormat = { precision: 2200, minExp: -20000, maxExp: 20000 }
const syntax = newFloatSyntax()

/**
 * SORT's numeric reading: strtod(s, &eptr) accepted only when eptr reaches the
 * end of the C string, errno is not ERANGE and the value is not NaN.
 */
export function sortScore(s: string): number | null {
  const t = cstr(s)
  // Nothing to convert: strtod stops at the terminator, which is accepted.
  if (t.length === 0) return 0
  // The common case: a canonical integer that a double holds exactly.
  const n = string2llNumber(t)
  if (typeof n === 'number') return n
  let i = 0
  while (i < t.length) {
    const ch = t.charCodeAt(i)
    if (ch !== 32 && (ch < 9 || ch > 13)) break
    i++
  }
  if (i === t.length) return null
  const body = i === 0 ? t : t.slice(i)
  const syn = scanFloatSyntax(body, syntax)
  if (syn.kind === 'none' || syn.kind === 'nan') return null
  if (syn.kind === 'inf') return syn.neg ? -Infinity : Infinity
  if (syn.kind === 'dec') {
    // Number() reads exactly strtod's decimal grammar and rounds the same way in the
    // normal range; overflow, underflow and subnormals need a closer look.
    const v = Number(body)
    if (v === Infinity || v === -Infinity) return null
    if (v === 0) return syn.nonzero ? null : v
    if (Math.abs(v) >= DBL_MIN) return v
  }
  const r = strtoFormat(body, BINARY64)
  if (!r.ok || r.rangeError || r.value.kind === 'nan') return null
  const v = ldToNumber(r.value)
  // glibc also reports ERANGE for a subnormal result, unless it is exact (0x1p-1074).
  if (v !== 0 && Math.abs(v) < DBL_MIN) {
    const exact = strtoFormat(body, WIDE)
    if (ldCompare(exact.value, ldFromNumber(v, WIDE)) !== 0) return null
  }
  return v
}

interface SortItem {
  /** The element. */
  obj: string
  /** Numeric weight (0 when the BY key is missing). */
  score: number
  /** ALPHA weight from the BY key, or null when missing. */
  cmpobj: string | null
  /** What an ALPHA comparison looks at: obj or cmpobj, cut at a NUL byte unless storing (set before sorting). */
  key: string | null
}

const binaryCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface SortFlags {
  desc: boolean
  alpha: boolean
  byPattern: boolean
  store: boolean
}

/** sortCompare. */
function makeCompare(f: SortFlags): (a: SortItem, b: SortItem) => number {
  return (so1, so2) => {
    let cmp: number
    if (!f.alpha) {
      if (so1.score > so2.score) cmp = 1
      else if (so1.score < so2.score) cmp = -1
      else cmp = binaryCmp(so1.obj, so2.obj)
    } else if (f.byPattern && (so1.key === null || so2.key === null)) {
      cmp = so1.key === so2.key ? 0 : so1.key === null ? -1 : 1
    } else {
      // strcoll in the C / C.UTF-8 locale is byte order up to a NUL (keys are cut there),
      // compareStringObjects (STORE) is binary.
      cmp = binaryCmp(so1.key!, so2.key!)
    }
    return f.desc ? -cmp : cmp
  }
}

/**
 * pqsort.c: NetBSD's qsort (Bentley & McIlroy) that skips partitions lying
 * wholly outside [lrange, rrange]. Mirrored step by step so that elements
 * comparing equal end up where Redis puts them.
 */
export function pqsort<T>(v: T[], cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  const swap = (i: number, j: number): void => {
    const t = v[i]
    v[i] = v[j]
    v[j] = t
  }
  const vecswap = (i: number, j: number, n: number): void => {
    for (let k = 0; k < n; k++) swap(i + k, j + k)
  }
  const med3 = (a: number, b: number, c: number): number =>
    cmp(v[a], v[b]) < 0
      ? cmp(v[b], v[c]) < 0
        ? b
        : cmp(v[a], v[c]) < 0
          ? c
          : a
      : cmp(v[b], v[c]) > 0
        ? b
        : cmp(v[a], v[c]) < 0
          ? a
          : c
  const insertion = (a: number, n: number): void => {
    for (let pm = a + 1; pm < a + n; pm++) {
      for (let pl = pm; pl > a && cmp(v[pl - 1], v[pl]) > 0; pl--) swap(pl, pl - 1)
    }
  }
  const run = (a0: number, n0: number): void => {
    let a = a0
    let n = n0
    for (;;) {
      let swapCnt = 0
      if (n < 7) {
        insertion(a, n)
        return
      }
      let pm = a + (n >>> 1)
      if (n > 7) {
        let pl = a
        let pn = a + n - 1
        if (n > 40) {
          const d = n >>> 3
          pl = med3(pl, pl + d, pl + 2 * d)
          pm = med3(pm - d, pm, pm + d)
          pn = med3(pn - 2 * d, pn - d, pn)
        }
        pm = med3(pl, pm, pn)
      }
      swap(a, pm)
      let pa = a + 1
      let pb = pa
      let pc = a + n - 1
      let pd = pc
      for (;;) {
        let r: number
        while (pb <= pc && (r = cmp(v[pb], v[a])) <= 0) {
          if (r === 0) {
            swapCnt = 1
            swap(pa, pb)
            pa++
          }
          pb++
        }
        while (pb <= pc && (r = cmp(v[pc], v[a])) >= 0) {
          if (r === 0) {
            swapCnt = 1
            swap(pc, pd)
            pd--
          }
          pc--
        }
        if (pb > pc) break
        swap(pb, pc)
        swapCnt = 1
        pb++
        pc--
      }
      if (swapCnt === 0) {
        insertion(a, n)
        return
      }
      const pn = a + n
      let r = Math.min(pa - a, pb - pa)
      vecswap(a, pb - r, r)
      r = Math.min(pd - pc, pn - pd - 1)
      vecswap(pb, pn - r, r)
      // Recurse into the left part unless it lies wholly outside the wanted range.
      if ((r = pb - pa) > 1) {
        const lo = a
        const hi = a + r - 1
        if (!((lrange < lo && rrange < lo) || (lrange > hi && rrange > hi))) run(lo, r)
      }
      if ((r = pd - pc) > 1) {
        a = pn - r
        n = r
        const lo = a
        const hi = a + r - 1
        if (!((lrange < lo && rrange < lo) || (lrange > hi && rrange > hi))) continue
      }
      return
    }
  }
  run(0, v.length)
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): Reply {
  const server = c.server
  const db = c.db
  let desc = false
  let alpha = false
  let limitStart = 0n
  let limitCount = -1n
  let dontsort = false
  let sortby: string | null = null
  let storekey: string | null = null
  const getops: string[] = []

  for (let j = 2; j < argv.length; j++) {
    const leftargs = argv.length - j - 1
    const a = argv[j]
    if (optEq(a, 'asc')) {
      desc = false
    } else if (optEq(a, 'desc')) {
      desc = true
    } else if (optEq(a, 'alpha')) {
      alpha = true
    } else if (optEq(a, 'limit') && leftargs >= 2) {
      const s = parseLongLong(argv[j + 1])
      if (isReply(s)) return s
      const n = parseLongLong(argv[j + 2])
      if (isReply(n)) return n
      limitStart = s
      limitCount = n
      j += 2
    } else if (!readonly && optEq(a, 'store') && leftargs >= 1) {
      storekey = argv[j + 1]
      j++
    } else if (optEq(a, 'by') && leftargs >= 1) {
      sortby = argv[j + 1]
      // A BY pattern without '*' is constant: nothing to sort or look up.
      if (!cstr(sortby).includes('*')) dontsort = true
      j++
    } else if (optEq(a, 'get') && leftargs >= 1) {
      getops.push(argv[j + 1])
      j++
    } else {
      return E.syntax
    }
  }

  let sortval: RObj | undefined = db.lookupRead(argv[1])
  if (sortval !== undefined && sortval.type !== 'set' && sortval.type !== 'list' && sortval.type !== 'zset') {
    return E.wrongType
  }
  if (sortval === undefined) sortval = createQuicklistObject(server)

  // An unsorted set would come out in hash order: when storing, sort it.
  if (dontsort && sortval.type === 'set' && storekey !== null) {
    dontsort = false
    alpha = true
    sortby = null
  }

  if (sortval.type === 'zset') zsetConvert(sortval, server, 'skiplist', { db: db.id, key: argv[1] }, () => 'SORT')

  let vectorlen =
    sortval.type === 'list'
      ? listTypeLength(sortval)
      : sortval.type === 'set'
        ? setTypeSize(sortval)
        : sortval.encoding === 'skiplist'
          ? sortval.value.dict.size
          : 0

  // LIMIT sanity checks, clamped to the object's size.
  const vl = BigInt(vectorlen)
  let startB = limitStart < 0n ? 0n : limitStart > vl ? vl : limitStart
  const countB = limitCount < -1n ? -1n : limitCount > vl ? vl : limitCount
  let endB = countB < 0n ? vl - 1n : startB + countB - 1n
  if (startB >= vl) {
    startB = vl - 1n
    endB = vl - 2n
  }
  if (endB >= vl) endB = vl - 1n
  let start = Number(startB)
  let end = Number(endB)

  // Lists and sorted sets not to be sorted are read directly, only the range asked for.
  if ((sortval.type === 'zset' || sortval.type === 'list') && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1
  }

  const vector: SortItem[] = []
  const item = (obj: string): SortItem => ({ obj, score: 0, cmpobj: null, key: null })
  if (sortval.type === 'list' && dontsort) {
    if (end >= start) {
      const all = listElements(sortval)
      if (desc) {
        for (let i = all.length - start - 1; i >= 0 && vector.length < vectorlen; i--) vector.push(item(all[i]))
      } else {
        for (let i = start; i < all.length && vector.length < vectorlen; i++) vector.push(item(all[i]))
      }
      end -= start
      start = 0
    }
  } else if (sortval.type === 'list') {
    for (const e of listElements(sortval)) vector.push(item(e))
  } else if (sortval.type === 'set') {
    for (const m of setTypeMembers(sortval)) vector.push(item(m))
  } else if (sortval.type === 'zset' && sortval.encoding === 'skiplist') {
    const zs = sortval.value
    if (dontsort) {
      const zsl = zs.zsl
      let ln = desc
        ? start > 0
          ? zsl.getElementByRank(zs.dict.size - start)
          : zsl.last()
        : start > 0
          ? zsl.getElementByRank(start + 1)
          : zsl.first()
      for (let k = 0; k < vectorlen && ln !== null; k++) {
        vector.push(item(ln.member))
        ln = desc ? ln.backward : ln.next
      }
      end -= start
      start = 0
    } else {
      zs.dict.forEach((_s, member) => vector.push(item(member)))
    }
  }

  let conversionError = false
  if (!dontsort) {
    for (const it of vector) {
      let byval: string | undefined
      if (sortby !== null) {
        byval = lookupKeyByPattern(db, sortby, it.obj)
        if (byval === undefined) continue
      } else {
        byval = it.obj
      }
      if (alpha) {
        if (sortby !== null) it.cmpobj = byval
      } else {
        const s = sortScore(byval)
        if (s === null) conversionError = true
        else it.score = s
      }
    }
    if (alpha) {
      const store = storekey !== null
      for (const it of vector) {
        const k = sortby !== null ? it.cmpobj : it.obj
        it.key = k === null ? null : store ? k : cstr(k)
      }
    }
    const cmp = makeCompare({ desc, alpha, byPattern: sortby !== null, store: storekey !== null })
    if (sortby !== null && (start !== 0 || end !== vector.length - 1)) pqsort(vector, cmp, start, end)
    else vector.sort(cmp)
  }

  const span = end - start + 1
  const outputlen = getops.length ? getops.length * span : span
  if (conversionError) return scoreError

  if (storekey === null) {
    const out: Reply[] = []
    for (let j = start; j <= end; j++) {
      const obj = vector[j].obj
      if (!getops.length) out.push(bulk(obj))
      for (const pattern of getops) {
        const val = lookupKeyByPattern(db, pattern, obj)
        out.push(val === undefined ? NULL : bulk(val))
      }
    }
    return array(out)
  }

  const sobj = createQuicklistObject(server)
  for (let j = start; j <= end; j++) {
    const obj = vector[j].obj
    if (!getops.length) {
      listTypePush(sobj, obj, 'tail')
    } else {
      for (const pattern of getops) listTypePush(sobj, lookupKeyByPattern(db, pattern, obj) ?? '', 'tail')
    }
  }
  if (outputlen) {
    db.setKey(storekey, sobj)
    server.notify('l', 'sortstore', storekey, db.id)
    server.dirty += outputlen
  } else if (db.delete(storekey)) {
    server.signalModifiedKey(db, storekey)
    server.notify('g', 'del', storekey, db.id)
    server.dirty++
  }
  return integer(outputlen)
}

/** A list's elements head to tail, as byte strings. */
function listElements(o: ListObject): string[] {
  return o.value.toArray().map((v) => (typeof v === 'string' ? v : String(v)))
}

export const sort: CommandImpl = { name: 'sort', run: (c, argv) => sortGeneric(c, argv, false) }
export const sortRo: CommandImpl = { name: 'sort_ro', run: (c, argv) => sortGeneric(c, argv, true) }
