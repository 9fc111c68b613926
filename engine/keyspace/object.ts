// A value in the keyspace (Redis's robj): its type, the encoding that holds it,
// and the 24-bit LRU/LFU field eviction and OBJECT IDLETIME/FREQ read.
//
// Each type's operations live in engine/types/<type>.ts (Redis's t_*.c); a
// conversion changes `encoding` and `value` of the same object in place, as
// Redis does, so the keyspace entry keeps pointing at it.

import type { Dict } from '../structures/dict.ts'
import type { Intset } from '../structures/intset.ts'
import type { Listpack } from '../structures/listpack.ts'
import type { Quicklist } from '../structures/quicklist.ts'
import type { Skiplist } from '../structures/skiplist.ts'

export type RedisType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream'

export type StringEncoding = 'int' | 'embstr' | 'raw'

export interface StringObject {
  type: 'string'
  encoding: StringEncoding
  /** The value as a byte string (for 'int', its canonical decimal text). */
  value: string
  /** LRU clock (seconds, 24 bits) or, under an LFU policy, (minutes << 8) | counter. */
  lru: number
}

/** A list is always a quicklist of listpack (or plain) nodes in 7.0. */
export interface ListObject {
  type: 'list'
  encoding: 'quicklist'
  value: Quicklist
  lru: number
}

/** Hash: field/value pairs in one listpack, or a dict field -> value. */
export type HashObject =
  | { type: 'hash'; encoding: 'listpack'; value: Listpack; lru: number }
  | { type: 'hash'; encoding: 'hashtable'; value: Dict<string, string>; lru: number }

/** Set: sorted integers in an intset, or a dict member -> null. */
export type SetObject =
  | { type: 'set'; encoding: 'intset'; value: Intset; lru: number }
  | { type: 'set'; encoding: 'hashtable'; value: Dict<string, null>; lru: number }

/** The skiplist encoding of a zset is two structures: member -> score, and the ordered skiplist. */
export interface ZsetSkiplistValue {
  dict: Dict<string, number>
  zsl: Skiplist
}

/** Sorted set: member/score pairs in score order in one listpack, or dict + skiplist. */
export type ZsetObject =
  | { type: 'zset'; encoding: 'listpack'; value: Listpack; lru: number }
  | { type: 'zset'; encoding: 'skiplist'; value: ZsetSkiplistValue; lru: number }

export type RObj = StringObject | ListObject | HashObject | SetObject | ZsetObject

export type RObjOf<T extends RedisType> = Extract<RObj, { type: T }>

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to 44 bytes are embstr. */
export const EMBSTR_SIZE_LIMIT = 44
/** Redis's OBJ_SHARED_INTEGERS: values 0..9999 use shared objects (refcount INT_MAX). */
export const SHARED_INTEGERS = 10000

export const LRU_BITS = 24
export const LRU_CLOCK_MAX = (1 << LRU_BITS) - 1
export const LRU_CLOCK_RESOLUTION = 1000
export const LFU_INIT_VAL = 5
