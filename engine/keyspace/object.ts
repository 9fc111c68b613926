// A value in the keyspace (Redis's robj): its type, the encoding that holds it,
// and the 24-bit LRU/LFU field eviction and OBJECT IDLETIME/FREQ read.
//
// Only strings exist so far; the other types add their own encodings in
// engine/types/.

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

export type RObj = StringObject

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to 44 bytes are embstr. */
export const EMBSTR_SIZE_LIMIT = 44
/** Redis's OBJ_SHARED_INTEGERS: values 0..9999 use shared objects (refcount INT_MAX). */
export const SHARED_INTEGERS = 10000

export const LRU_BITS = 24
export const LRU_CLOCK_MAX = (1 << LRU_BITS) - 1
export const LRU_CLOCK_RESOLUTION = 1000
export const LFU_INIT_VAL = 5
