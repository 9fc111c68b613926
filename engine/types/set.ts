// The set type (Redis 7.0's t_set.c "Set API"): an intset while every member is
// a canonical int64 and there are at most set-max-intset-entries of them, else
// a dict member -> null. The conversion is one way: removing the member that
// forced it never brings the intset back.
//
// Members go in and come out as byte strings; an intset member comes back as
// its canonical decimal text (what Redis's sdsfromlonglong / addReplyBulkLongLong
// produce). Every dict operation here is one Redis performs (each one moves the
// incremental rehash by a step), so table sizes, and with them MEMORY USAGE,
// follow Redis's exactly.

import type { SetObject } from '../keyspace/object.ts'
import { Dict } from '../structures/dict.ts'
import { Intset, type IntsetUpgradeEvent, type IntsetValue } from '../structures/intset.ts'
import { NEEDS_BIGINT, string2llNumber } from '../structures/numbers.ts'
import { keyspaceDictOptions } from '../keyspace/db.ts'
import type { Keyspace } from '../keyspace/keyspace.ts'
import {
  DICT_BUCKET_SIZE,
  DICT_ENTRY_SIZE,
  ROBJ_SIZE,
  jemallocSize,
  registerObjectSizer,
  sdsNewAllocSize,
} from '../keyspace/memory.ts'
import { registerDup } from '../commands/generic/rename.ts'
import { rdbLenSize, rdbRawStringSize, registerSerializedLength } from '../commands/server/serialized-length.ts'
import { ordinal, traceConversion, traceRehash, type ValueSite } from './trace.ts'

/** What the set type needs from the server: hash seed, config, randomness and the trace bus. */
export interface SetHost extends Pick<Keyspace, 'hashSeed' | 'traceBus' | 'trace'> {
  readonly config: { num(name: string): number }
  readonly random: { next(): number; u32(): number }
}

/** sizeof(dict) in 7.0 (type, two table pointers, two used counters, rehashidx, pauserehash, two size exponents). */
export const DICT_STRUCT_SIZE = 56

// setTypeAdd caps the intset at 2^30 entries whatever the config says (intset internals).
const INTSET_HARD_MAX = 2 ** 30

/** isSdsRepresentableAsLongLong: the int64 a member spells canonically, or null. */
export function setMemberAsInt(s: string): IntsetValue | null {
  const r = string2llNumber(s)
  if (r === null) return null
  return r === NEEDS_BIGINT ? BigInt(s) : r
}

const intText = (v: IntsetValue): string => String(v)

/** createIntsetObject: an empty intset set. */
export function createIntsetObject(): SetObject {
  return { type: 'set', encoding: 'intset', value: Intset.create(), lru: 0 }
}

/** createSetObject: an empty hashtable set (its dict shares the server's hash seed). */
export function createSetObject(server: Pick<Keyspace, 'hashSeed'>): SetObject {
  return { type: 'set', encoding: 'hashtable', value: new Dict<string, null>(keyspaceDictOptions(server)), lru: 0 }
}

/** setTypeCreate: a set that can hold `first`: an intset when it is an integer, else a hashtable. */
export function setTypeCreate(server: Pick<Keyspace, 'hashSeed'>, first: string): SetObject {
  return setMemberAsInt(first) !== null ? createIntsetObject() : createSetObject(server)
}

/** setTypeSize: the number of members. */
export function setTypeSize(o: SetObject): number {
  return o.encoding === 'intset' ? o.value.length : o.value.size
}

/**
 * setTypeConvert: intset -> hashtable, the dict presized for the current
 * members (dictExpand), members added in ascending order.
 */
export function setTypeConvert(o: SetObject, server: SetHost, site?: ValueSite, reason?: () => string): void {
  convertToDict(o, server, site, reason)
}

function convertToDict(o: SetObject, server: SetHost, site?: ValueSite, reason?: () => string): Dict<string, null> {
  if (o.encoding !== 'intset') throw new Error('setTypeConvert: the set is not an intset')
  const is = o.value
  const d = new Dict<string, null>(keyspaceDictOptions(server))
  d.expand(is.length)
  for (const v of is) d.add(intText(v), null)
  traceConversion(server, site, 'set', 'intset', 'hashtable', reason ?? (() => 'converted'))
  const target = o as { encoding: string; value: unknown }
  target.encoding = 'hashtable'
  target.value = d
  return d
}

// Reports intset width upgrades of a keyed set to the trace bus.
function addToIntset(is: Intset, v: IntsetValue, server: SetHost, site: ValueSite | undefined): boolean {
  if (site === undefined || !server.traceBus.active) return is.add(v)
  is.onUpgrade = (e: IntsetUpgradeEvent) => server.trace({ type: 'intset-upgrade', db: site.db, key: site.key, from: e.from, to: e.to })
  try {
    return is.add(v)
  } finally {
    is.onUpgrade = undefined
  }
}

/**
 * setTypeAdd: true when `member` was added. An intset turns into a hashtable
 * when the member is not an integer or the intset grows past
 * set-max-intset-entries (read now, so CONFIG SET applies to the next write).
 */
export function setTypeAdd(o: SetObject, member: string, server: SetHost, site?: ValueSite): boolean {
  if (o.encoding === 'hashtable') {
    traceRehash(server, site, o.value)
    return o.value.add(member, null)
  }
  const v = setMemberAsInt(member)
  if (v !== null) {
    const is = o.value
    if (!addToIntset(is, v, server, site)) return false
    const max = Math.min(server.config.num('set-max-intset-entries'), INTSET_HARD_MAX)
    if (is.length > max) {
      setTypeConvert(o, server, site, () => `${ordinal(is.length)} member: set-max-intset-entries is ${max}`)
    }
    return true
  }
  const d = convertToDict(o, server, site, () => `member ${JSON.stringify(member)} is not an integer`)
  traceRehash(server, site, d)
  d.add(member, null)
  return true
}

/** setTypeRemove: true when `member` was there. A hashtable shrinks right away when under 10 % full. */
export function setTypeRemove(o: SetObject, member: string): boolean {
  if (o.encoding === 'hashtable') {
    const d = o.value
    if (!d.delete(member)) return false
    if (d.needsShrink()) d.resizeToFit()
    return true
  }
  const v = setMemberAsInt(member)
  return v !== null && o.value.remove(v)
}

/** setTypeIsMember. */
export function setTypeIsMember(o: SetObject, member: string): boolean {
  if (o.encoding === 'hashtable') return o.value.has(member)
  const v = setMemberAsInt(member)
  return v !== null && o.value.has(v)
}

/**
 * setTypeRandomElement: a hashtable picks with dictGetFairRandomKey, an intset
 * with intsetRandom. The set must not be empty.
 */
export function setTypeRandomElement(o: SetObject, server: SetHost): string {
  if (o.encoding === 'intset') return intText(o.value.random(server.random))
  const e = o.value.fairRandomEntry(() => server.random.next())
  if (e === undefined) throw new Error('setTypeRandomElement on an empty set')
  return e.key
}

/**
 * The members in iteration order (setTypeInitIterator/setTypeNext): ascending
 * for an intset, bucket order for a hashtable. Do not modify the set while iterating.
 */
export function* setTypeMembers(o: SetObject): IterableIterator<string> {
  if (o.encoding === 'intset') {
    for (const v of o.value) yield intText(v)
  } else {
    yield* o.value.keys()
  }
}

/** The members as an array, in iteration order. */
export function setTypeMembersArray(o: SetObject): string[] {
  if (o.encoding === 'intset') return o.value.toArray().map(intText)
  const out: string[] = []
  o.value.forEach((_v, k) => out.push(k))
  return out
}

/**
 * setTypeDup (COPY): same encoding; an intset is copied byte for byte, a dict
 * (made with the source's hash and resize policy) is presized for the members
 * and filled in iteration order.
 */
export function setTypeDup(o: SetObject): SetObject {
  if (o.encoding === 'intset') {
    const is = o.value.length > 0 ? Intset.fromBytes(o.value.bytes()) : Intset.create()
    return { type: 'set', encoding: 'intset', value: is, lru: 0 }
  }
  const src = o.value
  const d = new Dict<string, null>(src.options())
  d.expand(src.size)
  src.forEach((_v, k) => {
    d.add(k, null)
  })
  return { type: 'set', encoding: 'hashtable', value: d, lru: 0 }
}

/**
 * objectComputeSize for sets (object.c, 7.0): an intset is the robj plus its
 * allocation; a hashtable is the robj, the dict struct and its buckets, plus
 * the average of `samples` entries (entry + member sds) times the member count.
 */
export function setObjectSize(o: SetObject, samples: number): number {
  if (o.encoding === 'intset') return ROBJ_SIZE + jemallocSize(o.value.byteLength)
  const d = o.value
  let asize = ROBJ_SIZE + DICT_STRUCT_SIZE + DICT_BUCKET_SIZE * d.slots
  const limit = samples <= 0 ? Infinity : samples
  let n = 0
  let elesize = 0
  for (const k of d.keys()) {
    if (n >= limit) break
    elesize += DICT_ENTRY_SIZE + sdsNewAllocSize(k.length)
    n++
  }
  // size_t += double in C: the sum is computed in double and truncated.
  if (n > 0) asize = Math.floor(asize + (elesize / n) * d.size)
  return asize
}

/** rdbSavedObjectLen for sets: the intset blob as one string, or the count and each member. */
export function setSerializedLength(o: SetObject, compression: boolean): number {
  if (o.encoding === 'intset') {
    const b = o.value.view()
    let s = ''
    for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192))
    return rdbRawStringSize(s, compression)
  }
  let n = rdbLenSize(o.value.size)
  o.value.forEach((_v, k) => {
    n += rdbRawStringSize(k, compression)
  })
  return n
}

registerObjectSizer('set', (o, samples) => setObjectSize(o as SetObject, samples))
registerDup('set', (o) => setTypeDup(o as SetObject))
registerSerializedLength('set', (o, compression) => setSerializedLength(o as SetObject, compression))
