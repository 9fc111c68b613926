// The hash type (Redis 7.0's t_hash.c "hash type API").
//
// Two encodings, as in Redis:
//   listpack   field, value, field, value ... in insertion order, while the
//              hash has at most hash-max-listpack-entries fields and no field
//              or value is longer than hash-max-listpack-value bytes
//   hashtable  a Dict field -> value (made with the server's dict options, so
//              its bucket order and SCAN cursors follow the server's hash seed)
// Conversion is one way (listpack -> hashtable) and changes the object in place.
//
// When conversions happen (7.0.15, checked against redis-server):
// - before a multi-field write, every argument is checked at once
//   (hashTypeTryConversion): one longer than hash-max-listpack-value, or a sum
//   that would push the listpack past 1 GB (lpSafeToAdd), converts first;
// - hashTypeSet itself converts before writing a field or value that is too
//   long (the path HINCRBY / HINCRBYFLOAT take), and after any write (update
//   included) when the field count is above hash-max-listpack-entries.
// Thresholds are read from the config at the moment of the write.

import type { Server } from '../server/server.ts'
import type { HashObject } from '../keyspace/object.ts'
import { Dict } from '../structures/dict.ts'
import { Listpack, type ListpackValue } from '../structures/listpack.ts'
import { keyspaceDictOptions } from '../keyspace/db.ts'
import {
  DICT_BUCKET_SIZE,
  DICT_ENTRY_SIZE,
  ROBJ_SIZE,
  jemallocSize,
  registerObjectSizer,
  sdsNewAllocSize,
} from '../keyspace/memory.ts'
import { registerDup } from '../commands/generic/rename.ts'
import { ordinal, traceConversion, traceRehash, type ValueSite } from './trace.ts'

type ListpackHash = Extract<HashObject, { encoding: 'listpack' }>
type DictHash = Extract<HashObject, { encoding: 'hashtable' }>

/** What the hash type reads from the server: its thresholds, dict options and trace bus. */
export type HashHost = Pick<Server, 'config' | 'hashSeed' | 'traceBus' | 'trace'>

const ENTRIES = 'hash-max-listpack-entries'
const VALUE = 'hash-max-listpack-value'

/** createHashObject: an empty listpack hash (its LRU field is set when it is added to a db). */
export function createHashObject(): HashObject {
  return { type: 'hash', encoding: 'listpack', value: Listpack.create(), lru: 0 }
}

/** A new empty hashtable with the server's hash seed and resize policy. */
function newDict(server: HashHost): Dict<string, string> {
  return new Dict<string, string>(keyspaceDictOptions(server))
}

/** hashTypeLength: number of fields. */
export function hashTypeLength(o: HashObject): number {
  return o.encoding === 'listpack' ? o.value.length() >>> 1 : o.value.size
}

/**
 * hashTypeConvertListpack: listpack -> hashtable, in place. The dict is
 * pre-sized to the current field count (dictExpand) and filled in listpack
 * order. `reason` says which threshold was crossed, for the trace.
 */
export function hashTypeConvert(o: HashObject, server: HashHost, site?: ValueSite, reason?: () => string): void {
  if (o.encoding !== 'listpack') throw new Error(`hashTypeConvert: cannot convert a ${o.encoding} hash`)
  const lp = o.value
  const d = newDict(server)
  d.expand(lp.length() >>> 1)
  for (let p = lp.first(); p !== null; ) {
    const vp = lp.next(p) as number
    if (!d.add(lp.getString(p), lp.getString(vp))) throw new Error('listpack corruption detected: duplicate hash field')
    p = lp.next(vp)
  }
  const h = o as unknown as DictHash
  h.encoding = 'hashtable'
  h.value = d
  traceConversion(server, site, 'hash', 'listpack', 'hashtable', reason ?? (() => 'converted'))
}

const tooLong = (what: string, len: number, max: number) => (): string =>
  `${what} of ${len} bytes: ${VALUE} is ${max}`

/**
 * hashTypeTryConversion: before writing argv[start..end] (field, value,
 * field, value ...), convert when any of them is longer than
 * hash-max-listpack-value or when their total would make the listpack unsafe.
 */
export function hashTypeTryConversion(
  server: HashHost,
  o: HashObject,
  argv: readonly string[],
  start: number,
  end: number,
  site?: ValueSite,
): void {
  if (o.encoding !== 'listpack') return
  const max = server.config.num(VALUE)
  let sum = 0
  for (let i = start; i <= end; i++) {
    const len = argv[i].length
    if (len > max) {
      hashTypeConvert(o, server, site, tooLong((i - start) % 2 === 0 ? 'field' : 'value', len, max))
      return
    }
    sum += len
  }
  if (!o.value.safeToAdd(sum)) {
    const bytes = o.value.byteLength
    hashTypeConvert(o, server, site, () => `listpack of ${bytes} bytes would pass 1 GB with ${sum} more`)
  }
}

/** Finds a field in a listpack hash: the offset of its value, or null. */
function lpFindValue(lp: Listpack, field: string): number | null {
  const first = lp.first()
  if (first === null) return null
  const fp = lp.find(field, first, 1)
  return fp === null ? null : lp.next(fp)
}

/** hashTypeGetValue: the field's value as a byte string, or undefined. */
export function hashTypeGetValue(o: HashObject, field: string): string | undefined {
  if (o.encoding === 'listpack') {
    const vp = lpFindValue(o.value, field)
    return vp === null ? undefined : o.value.getString(vp)
  }
  return o.value.get(field)
}

/** hashTypeExists. */
export function hashTypeExists(o: HashObject, field: string): boolean {
  if (o.encoding === 'listpack') return lpFindValue(o.value, field) !== null
  return o.value.has(field)
}

/** hashTypeGetValueLength: the value's length in bytes, 0 when the field is missing. */
export function hashTypeGetValueLength(o: HashObject, field: string): number {
  const v = hashTypeGetValue(o, field)
  return v === undefined ? 0 : v.length
}

/**
 * hashTypeSet: add the field or overwrite its value. Returns true on update,
 * false when the field is new. May convert the hash (see the file header).
 */
export function hashTypeSet(server: HashHost, o: HashObject, field: string, value: string, site?: ValueSite): boolean {
  if (o.encoding === 'listpack') {
    // The HINCRBY* path: other writers ran hashTypeTryConversion already.
    const max = server.config.num(VALUE)
    if (field.length > max) hashTypeConvert(o, server, site, tooLong('field', field.length, max))
    else if (value.length > max) hashTypeConvert(o, server, site, tooLong('value', value.length, max))
  }
  if (o.encoding === 'listpack') {
    const lp = o.value
    const vp = lpFindValue(lp, field)
    const update = vp !== null
    if (update) lp.replace(vp, value)
    else {
      lp.append(field)
      lp.append(value)
    }
    // Checked after an update too: CONFIG SET may have lowered the limit.
    const len = lp.length() >>> 1
    const maxEntries = server.config.num(ENTRIES)
    if (len > maxEntries) {
      hashTypeConvert(o, server, site, () =>
        update ? `${len} fields after an update: ${ENTRIES} is ${maxEntries}` : `${ordinal(len)} field: ${ENTRIES} is ${maxEntries}`,
      )
    }
    return update
  }
  traceRehash(server, site, o.value)
  return !o.value.set(field, value)
}

/** hashTypeDelete: true when the field was there. A hashtable shrinks right after, as Redis does. */
export function hashTypeDelete(o: HashObject, field: string): boolean {
  if (o.encoding === 'listpack') {
    const lp = o.value
    const first = lp.first()
    if (first === null) return false
    const fp = lp.find(field, first, 1)
    if (fp === null) return false
    lp.deleteRangeWithEntry(fp, 2)
    return true
  }
  const d = o.value
  if (!d.delete(field)) return false
  if (d.needsShrink()) d.resizeToFit()
  return true
}

/** Calls fn for each field and value, in listpack order or dict iteration order (hashTypeNext). */
export function hashTypeForEach(o: HashObject, fn: (field: string, value: string) => void): void {
  if (o.encoding === 'listpack') {
    const lp = o.value
    for (let p = lp.first(); p !== null; ) {
      const vp = lp.next(p) as number
      fn(lp.getString(p), lp.getString(vp))
      p = lp.next(vp)
    }
    return
  }
  o.value.forEach((v, k) => fn(k, v))
}

/** [field, value] pairs in iteration order. */
export function hashTypeEntries(o: HashObject): [string, string][] {
  const out: [string, string][] = []
  hashTypeForEach(o, (f, v) => out.push([f, v]))
  return out
}

const str = (v: ListpackValue): string => (typeof v === 'string' ? v : String(v))

/**
 * hashTypeRandomElement: one random field and its value from a non-empty hash
 * (dictGetFairRandomKey for a hashtable, lpRandomPair for a listpack).
 */
export function hashTypeRandomElement(o: HashObject, rand: () => number): [string, string] {
  if (o.encoding === 'listpack') {
    const [f, v] = o.value.randomPair(hashTypeLength(o), rand)
    return [str(f), str(v)]
  }
  const e = o.value.fairRandomEntry(rand)
  if (e === undefined) throw new Error('hashTypeRandomElement: empty hash')
  return [e.key, e.value]
}

/** lpRandomPairs over a listpack hash: `count` pairs, repetitions allowed, in random order. */
export function hashTypeRandomPairs(o: ListpackHash, count: number, rand: () => number): [string, string][] {
  const { keys, vals } = o.value.randomPairs(count, rand)
  return keys.map((k, i) => [str(k), str(vals[i])])
}

/** lpRandomPairsUnique over a listpack hash: up to `count` distinct pairs, in listpack order. */
export function hashTypeRandomPairsUnique(o: ListpackHash, count: number, rand: () => number): [string, string][] {
  const { keys, vals } = o.value.randomPairsUnique(count, rand)
  return keys.map((k, i) => [str(k), str(vals[i])])
}

/**
 * hashTypeDup (COPY): same encoding; a listpack is copied byte for byte, a
 * hashtable is rebuilt pre-sized to its field count, with the same options.
 */
export function hashTypeDup(o: HashObject): HashObject {
  if (o.encoding === 'listpack') {
    return { type: 'hash', encoding: 'listpack', value: Listpack.fromBytes(o.value.view(), false), lru: 0 }
  }
  const d = new Dict<string, string>(o.value.options())
  d.expand(o.value.size)
  o.value.forEach((v, k) => d.add(k, v))
  return { type: 'hash', encoding: 'hashtable', value: d, lru: 0 }
}

/** sizeof(dict) in 7.0: type, two table pointers, two used counters, rehashidx, pauserehash, two size exponents. */
export const DICT_STRUCT_SIZE = 56

/**
 * objectComputeSize for hashes (object.c): a listpack is the robj plus its
 * allocation; a hashtable is the robj, the dict struct and its bucket arrays,
 * plus the average of the first `samples` entries (field sds + value sds +
 * dictEntry) times the field count.
 */
export function hashObjectSize(o: HashObject, samples: number): number {
  if (o.encoding === 'listpack') return ROBJ_SIZE + jemallocSize(o.value.byteLength)
  const d = o.value
  let asize = ROBJ_SIZE + DICT_STRUCT_SIZE + DICT_BUCKET_SIZE * d.slots
  let elesize = 0
  let n = 0
  if (samples > 0) {
    for (const e of d.entries()) {
      elesize += sdsNewAllocSize(e.key.length) + sdsNewAllocSize(e.value.length) + DICT_ENTRY_SIZE
      if (++n >= samples) break
    }
  }
  // size_t += double: the average is scaled in floating point, then truncated.
  if (n > 0) asize = Math.floor(asize + (elesize / n) * d.size)
  return asize
}

registerObjectSizer('hash', (o, samples) => hashObjectSize(o as HashObject, samples))
registerDup('hash', (o) => hashTypeDup(o as HashObject))
