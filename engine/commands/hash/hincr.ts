// HINCRBY / HINCRBYFLOAT (t_hash.c hincrbyCommand, hincrbyfloatCommand).

import { bulk, error, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { NEEDS_BIGINT, hincrByFloat, string2llNumber } from '../../structures/numbers.ts'
import { hashTypeGetValue, hashTypeSet } from '../../types/hash.ts'
import { rewriteArgv } from '../string/options.ts'
import { isReply, parseLongLong, LLONG_MAX, LLONG_MIN } from '../args.ts'
import { isHash, site, writeHash } from './lookup.ts'

const errNotInteger = error('ERR hash value is not an integer')
const errNotFloat = error('ERR hash value is not a float')
const errIncrNanOrInf = error('ERR value is NaN or Infinity')
const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

// HINCRBY key field increment
export const hincrby: CommandImpl = {
  name: 'hincrby',
  run: (c, argv) => {
    // The increment is parsed before the key is looked up (or created).
    const incr = parseLongLong(argv[3])
    if (isReply(incr)) return incr
    const key = argv[1]
    const field = argv[2]
    const o = writeHash(c, key)
    if (!isHash(o)) return o
    let old = 0n
    const cur = hashTypeGetValue(o, field)
    if (cur !== undefined) {
      const v = string2llNumber(cur)
      if (v === null) return errNotInteger
      old = v === NEEDS_BIGINT ? BigInt(cur) : BigInt(v)
    }
    const value = old + incr
    if (value > LLONG_MAX || value < LLONG_MIN) return E.overflow
    const text = value.toString()
    const server = c.server
    hashTypeSet(server, o, field, text, site(c, key))
    server.signalModifiedKey(c.db, key)
    server.notify('h', 'hincrby', key, c.db.id)
    server.dirty++
    return integer(value >= -SAFE && value <= SAFE ? Number(value) : value)
  },
}

// HINCRBYFLOAT key field increment: long double arithmetic, the result kept
// as text; propagated as HSET with the result so replicas and the AOF don't
// depend on float formatting.
export const hincrbyfloat: CommandImpl = {
  name: 'hincrbyfloat',
  run: (c, argv) => {
    const key = argv[1]
    const field = argv[2]
    const incr = argv[3]
    // Errors of the increment alone come before the lookup (and WRONGTYPE).
    const pre = hincrByFloat(null, incr)
    if (!pre.ok) return pre.error === 'notfloat' ? E.notFloat : errIncrNanOrInf
    const o = writeHash(c, key)
    if (!isHash(o)) return o
    const r = hincrByFloat(hashTypeGetValue(o, field) ?? null, incr)
    if (!r.ok) return floatError(r.error)
    const server = c.server
    hashTypeSet(server, o, field, r.value, site(c, key))
    server.signalModifiedKey(c.db, key)
    server.notify('h', 'hincrbyfloat', key, c.db.id)
    server.dirty++
    rewriteArgv(c, ['HSET', key, field, r.value])
    return bulk(r.value)
  },
}

function floatError(e: 'notfloat' | 'incr-nan-or-inf' | 'hash-notfloat' | 'nan-or-inf'): Reply {
  switch (e) {
    case 'notfloat':
      return E.notFloat
    case 'incr-nan-or-inf':
      return errIncrNanOrInf
    case 'hash-notfloat':
      return errNotFloat
    case 'nan-or-inf':
      return E.nanOrInfinity
  }
}
