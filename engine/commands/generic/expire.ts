// Key expiry commands (expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX XX
// GT LT, TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST. Times are int64 milliseconds
// and worked out in bigint so overflow checks and huge timestamps are exact.

import { ONE, ZERO, error, integer, type Reply } from '../../protocol/reply.ts'
import { E, invalidExpire } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { LOOKUP_NOTOUCH } from '../../keyspace/db.ts'
import { LLONG_MAX, LLONG_MIN, isReply, parseLongLong } from '../args.ts'
import { cstr, optEq } from './cstr.ts'

const EXPIRE_NX = 1
const EXPIRE_XX = 2
const EXPIRE_GT = 4
const EXPIRE_LT = 8

/** parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT flags from argv[3] on. */
function parseExpireFlags(argv: readonly string[]): number | Reply {
  let flags = 0
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]
    if (optEq(opt, 'nx')) flags |= EXPIRE_NX
    else if (optEq(opt, 'xx')) flags |= EXPIRE_XX
    else if (optEq(opt, 'gt')) flags |= EXPIRE_GT
    else if (optEq(opt, 'lt')) flags |= EXPIRE_LT
    else return error(`ERR Unsupported option ${cstr(opt)}`)
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) return E.expireOptionsNxXx
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) return E.expireOptionsGtLt
  return flags
}

/**
 * expireGenericCommand: `basetime` is now for the relative forms and 0 for the
 * *AT forms; `seconds` scales the argument. A time already past deletes the
 * key (event 'del', replies 1); otherwise the TTL is set (event 'expire').
 */
function expireGeneric(c: Client, argv: string[], name: string, basetime: bigint, seconds: boolean): Reply {
  const flags = parseExpireFlags(argv)
  if (isReply(flags)) return flags
  const parsed = parseLongLong(argv[2])
  if (isReply(parsed)) return parsed
  let when = parsed
  // Negative times are allowed; only an overflow of the unit conversion or of
  // the addition is an error. (C's LLONG_MIN / 1000 truncates towards zero.)
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return invalidExpire(name)
    when *= 1000n
  }
  if (when > LLONG_MAX - basetime) return invalidExpire(name)
  when += basetime

  const db = c.db
  const key = argv[1]
  if (db.lookupWrite(key) === undefined) return ZERO

  if (flags) {
    const current = db.getExpireExact(key)
    if (flags & EXPIRE_NX && current !== -1n) return ZERO
    if (flags & EXPIRE_XX && current === -1n) return ZERO
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if (flags & EXPIRE_GT && (when <= current || current === -1n)) return ZERO
    if (flags & EXPIRE_LT && current !== -1n && when >= current) return ZERO
  }

  const server = c.server
  if (when <= BigInt(server.clock.nowMs()) && !server.isLoading()) {
    // checkAlreadyExpired: delete now, propagated as DEL / UNLINK.
    db.delete(key)
    server.dirty++
    c.argv = [server.lazyfreeExpire() ? 'UNLINK' : 'DEL', key]
    server.signalModifiedKey(db, key)
    server.notify('g', 'del', key, db.id)
    return ONE
  }
  db.setExpire(key, when)
  // Propagated as PEXPIREAT with the absolute time (the flags stay).
  const prop = [...argv]
  prop[0] = name === 'pexpireat' ? argv[0] : 'PEXPIREAT'
  if (basetime !== 0n || seconds) prop[2] = String(when)
  c.argv = prop
  server.signalModifiedKey(db, key)
  server.notify('g', 'expire', key, db.id)
  server.dirty++
  return ONE
}

const now = (c: Client): bigint => BigInt(c.server.clock.nowMs())

export const expire: CommandImpl = { name: 'expire', run: (c, argv) => expireGeneric(c, argv, 'expire', now(c), true) }
export const pexpire: CommandImpl = {
  name: 'pexpire',
  run: (c, argv) => expireGeneric(c, argv, 'pexpire', now(c), false),
}
export const expireat: CommandImpl = { name: 'expireat', run: (c, argv) => expireGeneric(c, argv, 'expireat', 0n, true) }
export const pexpireat: CommandImpl = {
  name: 'pexpireat',
  run: (c, argv) => expireGeneric(c, argv, 'pexpireat', 0n, false),
}

/**
 * ttlGenericCommand: -2 for a missing key, -1 without a TTL; else the time left
 * (or the absolute time), never below 0, in ms or rounded to whole seconds.
 */
function ttlGeneric(c: Client, key: string, ms: boolean, abs: boolean): Reply {
  const db = c.db
  if (db.lookup(key, LOOKUP_NOTOUCH) === undefined) return integer(-2)
  const when = db.getExpireExact(key)
  if (when === -1n) return integer(-1)
  let ttl = abs ? when : when - now(c)
  if (ttl < 0n) ttl = 0n
  return int64(ms ? ttl : (ttl + 500n) / 1000n)
}

// Integer replies as numbers when exact, else bigint.
function int64(v: bigint): Reply {
  return integer(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v)
}

export const ttl: CommandImpl = { name: 'ttl', run: (c, argv) => ttlGeneric(c, argv[1], false, false) }
export const pttl: CommandImpl = { name: 'pttl', run: (c, argv) => ttlGeneric(c, argv[1], true, false) }
export const expiretime: CommandImpl = { name: 'expiretime', run: (c, argv) => ttlGeneric(c, argv[1], false, true) }
export const pexpiretime: CommandImpl = { name: 'pexpiretime', run: (c, argv) => ttlGeneric(c, argv[1], true, true) }

// PERSIST key: 1 when a TTL was removed.
export const persist: CommandImpl = {
  name: 'persist',
  run: (c, argv) => {
    const db = c.db
    const key = argv[1]
    if (db.lookupWrite(key) === undefined || !db.removeExpire(key)) return ZERO
    const server = c.server
    server.signalModifiedKey(db, key)
    server.notify('g', 'persist', key, db.id)
    server.dirty++
    return ONE
  },
}
