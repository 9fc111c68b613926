// Counters (t_string.c incrDecrCommand, incrbyfloatCommand): INCR, DECR,
// INCRBY, DECRBY, INCRBYFLOAT.

import { bulk, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { SHARED_INTEGERS } from '../../keyspace/object.ts'
import { NEEDS_BIGINT, incrByFloat, string2llNumber } from '../../structures/numbers.ts'
import {
  createStringObject,
  createStringObjectFromLongLongForValue,
  isSharedObject,
} from '../../types/string.ts'
import { errDecrementOverflow, rewriteArgv } from './options.ts'

const LLONG_MAX = 9223372036854775807n
const LLONG_MIN = -9223372036854775808n
const SAFE = Number.MAX_SAFE_INTEGER

/** incrDecrCommand: add `incr` (an int64) to the key's integer value. */
function incrDecr(c: Client, key: string, incr: number | bigint): Reply {
  const db = c.db
  const server = c.server
  const o = db.lookupWrite(key)
  let old: number | bigint = 0
  if (o !== undefined) {
    if (o.type !== 'string') return E.wrongType
    const v = string2llNumber(o.value)
    if (v === null) return E.notInteger
    old = v === NEEDS_BIGINT ? BigInt(o.value) : v
  }

  let value: number | bigint
  if (typeof old === 'number' && typeof incr === 'number' && Math.abs(old) <= SAFE / 2 && Math.abs(incr) <= SAFE / 2) {
    value = old + incr
  } else {
    // Exact int64 arithmetic with Redis's overflow test.
    const a = BigInt(old)
    const b = BigInt(incr)
    const r = a + b
    if (r > LLONG_MAX || r < LLONG_MIN) return E.overflow
    value = r >= -SAFE && r <= SAFE ? Number(r) : r
  }

  if (
    o !== undefined &&
    o.encoding === 'int' &&
    (value < 0 || value >= SHARED_INTEGERS) &&
    !(typeof old === 'number' && old >= 0 && old < SHARED_INTEGERS && isSharedObject(o))
  ) {
    // An unshared int object is updated in place: same object, same LRU field.
    o.value = value === 0 ? '0' : String(value)
    if (server.traceBus.active) server.trace({ type: 'key-written', db: db.id, key })
  } else {
    const n = createStringObjectFromLongLongForValue(server, value)
    if (o !== undefined) db.overwrite(key, n)
    else db.add(key, n)
  }
  server.signalModifiedKey(db, key)
  server.notify('$', 'incrby', key, db.id)
  server.dirty++
  return integer(value)
}

/** getLongLongFromObjectOrReply for the increment. */
function parseIncrement(s: string): number | bigint | Reply {
  const v = string2llNumber(s)
  if (v === null) return E.notInteger
  return v === NEEDS_BIGINT ? BigInt(s) : v
}

// INCR key
export const incr: CommandImpl = { name: 'incr', run: (c, argv) => incrDecr(c, argv[1], 1) }

// DECR key
export const decr: CommandImpl = { name: 'decr', run: (c, argv) => incrDecr(c, argv[1], -1) }

// INCRBY key increment
export const incrby: CommandImpl = {
  name: 'incrby',
  run: (c, argv) => {
    const n = parseIncrement(argv[2])
    if (typeof n === 'object') return n
    return incrDecr(c, argv[1], n)
  },
}

// DECRBY key decrement
export const decrby: CommandImpl = {
  name: 'decrby',
  run: (c, argv) => {
    const n = parseIncrement(argv[2])
    if (typeof n === 'object') return n
    // -LLONG_MIN does not exist.
    if (n === LLONG_MIN) return errDecrementOverflow
    return incrDecr(c, argv[1], typeof n === 'number' ? -n : -n)
  },
}

// INCRBYFLOAT key increment: long double arithmetic; the result is stored as
// text (embstr/raw, never int) and propagated as SET ... KEEPTTL.
export const incrbyfloat: CommandImpl = {
  name: 'incrbyfloat',
  run: (c, argv) => {
    const key = argv[1]
    const db = c.db
    const o = db.lookupWrite(key)
    if (o !== undefined && o.type !== 'string') return E.wrongType
    const r = incrByFloat(o === undefined ? null : o.value, argv[2])
    if (!r.ok) return r.error === 'notfloat' ? E.notFloat : E.nanOrInfinity
    const server = c.server
    const n = createStringObject(r.value)
    if (o !== undefined) db.overwrite(key, n)
    else db.add(key, n)
    server.signalModifiedKey(db, key)
    server.notify('$', 'incrbyfloat', key, db.id)
    server.dirty++
    rewriteArgv(c, ['SET', key, r.value, 'KEEPTTL'])
    return bulk(r.value)
  },
}
