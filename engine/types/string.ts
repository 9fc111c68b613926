// The string type (Redis's object.c string constructors + t_string.c helpers).
//
// A string value is a StringObject whose encoding is the one Redis 7.0 would
// hold for the same write path:
//   int     a canonical int64 text of at most 20 chars (tryObjectEncoding) or an
//           integer result (INCR & co.); `value` keeps the decimal text
//   embstr  up to 44 bytes (OBJ_ENCODING_EMBSTR_SIZE_LIMIT)
//   raw     longer strings, and anything APPEND / SETRANGE / SETBIT modified
//
// Shared integers: like Redis (OBJ_SHARED_INTEGERS), values 0..9999 built on
// the "shared" paths are one object per server, so OBJECT REFCOUNT reports
// 2147483647 and the LRU/LFU field is the shared object's, as in Redis. Shared
// objects must never be modified: their `value` and `encoding` are read-only
// (a stray write throws). Anything that modifies a string in place first calls
// unshareStringValue (dbUnshareStringValue).

import type { Reply } from '../protocol/reply.ts'
import { E } from '../server/errors.ts'
import type { Db } from '../keyspace/db.ts'
import {
  EMBSTR_SIZE_LIMIT,
  LFU_INIT_VAL,
  LRU_CLOCK_MAX,
  LRU_CLOCK_RESOLUTION,
  SHARED_INTEGERS,
  type RObj,
  type StringObject,
} from '../keyspace/object.ts'
import { noteRawSdsCopy, noteSdsGrowth } from '../keyspace/memory.ts'
import { NEEDS_BIGINT, string2llNumber } from '../structures/numbers.ts'

/** What string construction needs from the server: the eviction config decides whether integers are shared. */
export interface StringHost {
  readonly config: { num(name: string): number; str(name: string): string }
  /** Redis creates the shared integers at start-up: their access clock starts there. */
  readonly startTimeMs?: number
  lfuPolicy?(): boolean
}

/** The refcount OBJECT REFCOUNT shows for shared objects (OBJ_SHARED_REFCOUNT = INT_MAX). */
export const OBJ_SHARED_REFCOUNT = 2147483647

/** Longest string V8 can hold (2^29 - 24 chars on 64-bit): a hard limit of this engine, below proto-max-bulk-len's 512 MB. */
export const MAX_JS_STRING_LENGTH = (1 << 29) - 24

// ---------------------------------------------------------------- shared integers

// One table of shared integer objects per server (Redis has one per process;
// several engines may live in one JS process, e.g. a simulated cluster).
const sharedTables = new WeakMap<object, StringObject[]>()
// Every shared object, for an O(1) identity test.
const sharedObjects = new WeakSet<StringObject>()

function sharedTable(host: StringHost): StringObject[] {
  let t = sharedTables.get(host)
  if (t === undefined) {
    t = new Array<StringObject>(SHARED_INTEGERS)
    sharedTables.set(host, t)
  }
  return t
}

/** createObject's LRU/LFU field as of the server's start (createSharedObjects runs in initServer). */
function startupLru(host: StringHost): number {
  const ms = host.startTimeMs ?? 0
  if (host.lfuPolicy?.()) return ((Math.floor(ms / 60000) & 65535) << 8) | LFU_INIT_VAL
  return Math.floor(ms / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX
}

/** The shared object for 0 <= n < SHARED_INTEGERS (createSharedObjects' shared.integers[n]), made on first use. */
export function sharedInteger(host: StringHost, n: number): StringObject {
  const t = sharedTable(host)
  let o = t[n]
  if (o === undefined) {
    o = { type: 'string', encoding: 'int', value: String(n), lru: startupLru(host) }
    Object.defineProperty(o, 'value', { writable: false })
    Object.defineProperty(o, 'encoding', { writable: false })
    sharedObjects.add(o)
    t[n] = o
  }
  return o
}

/** True for the shared integer objects (refcount INT_MAX in Redis). */
export function isSharedObject(o: RObj): boolean {
  return o.type === 'string' && o.encoding === 'int' && sharedObjects.has(o)
}

/** OBJECT REFCOUNT: 2147483647 for shared objects, else 1 (the keyspace holds the only reference). */
export function objectRefcount(o: RObj): number {
  return isSharedObject(o) ? OBJ_SHARED_REFCOUNT : 1
}

/**
 * The policy forbids shared integers: maxmemory is set and the policy is an LRU
 * or LFU one (MAXMEMORY_FLAG_NO_SHARED_INTEGERS), because each key then needs
 * its own access clock.
 */
export function sharedIntegersForbidden(host: StringHost): boolean {
  if (host.config.num('maxmemory') === 0) return false
  const p = host.config.str('maxmemory-policy')
  return p.endsWith('-lru') || p.endsWith('-lfu')
}

// ---------------------------------------------------------------- constructors

/**
 * createRawStringObject: always 'raw'. For the memory model this is a client
 * argument trimmed to its length; use newRawString for a buffer built by the
 * server itself.
 */
export function createRawStringObject(value: string): StringObject {
  return { type: 'string', encoding: 'raw', value, lru: 0 }
}

/**
 * A raw string whose sds the server allocated with sdsnewlen (an unshared copy,
 * SETRANGE's new key): its buffer keeps the allocator's spare room, which the
 * memory model records.
 */
export function newRawString(value: string): StringObject {
  const o = createRawStringObject(value)
  noteRawSdsCopy(o)
  return o
}

/** createEmbeddedStringObject: always 'embstr' (callers keep it to <= 44 bytes). */
export function createEmbeddedStringObject(value: string): StringObject {
  return { type: 'string', encoding: 'embstr', value, lru: 0 }
}

/** createStringObject: 'embstr' up to 44 bytes, else 'raw'. Never 'int' (INCRBYFLOAT results, decoded copies). */
export function createStringObject(value: string): StringObject {
  return { type: 'string', encoding: value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw', value, lru: 0 }
}

const SHARED_INTEGERS_BIG = BigInt(SHARED_INTEGERS)

function isSmall(v: number | bigint): boolean {
  return typeof v === 'number' ? v >= 0 && v < SHARED_INTEGERS : v >= 0n && v < SHARED_INTEGERS_BIG
}

function intObject(text: string): StringObject {
  return { type: 'string', encoding: 'int', value: text, lru: 0 }
}

/**
 * createStringObjectFromLongLong: shared for 0..9999 whatever the policy
 * (valueobj = 0), else an 'int' object (every int64 fits a 64-bit long).
 */
export function createStringObjectFromLongLong(host: StringHost, v: number | bigint): StringObject {
  if (isSmall(v)) return sharedInteger(host, Number(v))
  return intObject(v === 0 ? '0' : String(v))
}

/**
 * createStringObjectFromLongLongForValue: like createStringObjectFromLongLong,
 * but not shared when the policy forbids it (the object will be a key's value,
 * so it needs its own LRU/LFU field). Used by INCR & co.
 */
export function createStringObjectFromLongLongForValue(host: StringHost, v: number | bigint): StringObject {
  if (isSmall(v) && !sharedIntegersForbidden(host)) return sharedInteger(host, Number(v))
  return intObject(v === 0 ? '0' : String(v))
}

/**
 * The value object a SET-like command stores for an argument (Redis runs
 * tryObjectEncoding on the argv object, which is embstr up to 44 bytes and raw
 * above): a canonical int64 text of at most 20 chars becomes 'int' (shared for
 * 0..9999 when the policy allows), else 'embstr' up to 44 bytes, else 'raw'.
 */
export function tryObjectEncoding(host: StringHost, value: string): StringObject {
  const len = value.length
  if (len <= 20) {
    const n = string2llNumber(value)
    if (n !== null) {
      if (n !== NEEDS_BIGINT && n >= 0 && n < SHARED_INTEGERS && !sharedIntegersForbidden(host)) {
        return sharedInteger(host, n)
      }
      // string2ll accepts only canonical text, so `value` already is the decimal form.
      return intObject(value)
    }
    return createEmbeddedStringObject(value)
  }
  return len <= EMBSTR_SIZE_LIMIT ? createEmbeddedStringObject(value) : createRawStringObject(value)
}

// ---------------------------------------------------------------- access

/** The value's bytes (getDecodedObject's text; for 'int', the decimal form). */
export function getStringValue(o: StringObject): string {
  return o.value
}

/** stringObjectLen. */
export function stringObjectLen(o: StringObject): number {
  return o.value.length
}

/**
 * checkType for a string command: the object when it is a string (or
 * undefined when the key is missing), else the WRONGTYPE error to reply.
 */
export function checkString(o: RObj | undefined): StringObject | undefined | Reply {
  if (o === undefined || o.type === 'string') return o
  return E.wrongType
}

/** Narrowing helper for checkString's result. */
export function isStringObject(v: StringObject | undefined | Reply): v is StringObject {
  return v !== undefined && (v as { type?: unknown }).type === 'string'
}

/**
 * dbUnshareStringValue: make the key's value a 'raw' object this key owns, so it
 * can be modified in place (APPEND, SETRANGE, SETBIT). Shared, 'int' and
 * 'embstr' objects are replaced by a raw copy (dbOverwrite); a raw one is
 * returned as is.
 */
export function unshareStringValue(db: Db, key: string, o: StringObject): StringObject {
  if (o.encoding === 'raw') return o
  const copy = newRawString(o.value)
  db.overwrite(key, copy)
  return copy
}

/**
 * Replace the bytes of a raw, unshared string in place (the object, its LRU
 * field and its TTL stay). Callers get `o` from unshareStringValue. A longer
 * value grows the sds greedily (sdsMakeRoomFor, via sdscatlen / sdsgrowzero),
 * which the memory model records.
 */
export function setRawValue(o: StringObject, value: string): void {
  const add = value.length - o.value.length
  if (add > 0) noteSdsGrowth(o, add)
  o.value = value
}
