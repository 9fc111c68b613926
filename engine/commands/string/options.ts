// Shared parsing for the string commands (t_string.c): SET/GETEX's extended
// options, the expire-time rules, the proto-max-bulk-len check, and keyword
// matching with C semantics.

import { error, type Reply } from '../../protocol/reply.ts'
import { E, invalidExpire } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import { NEEDS_BIGINT, string2llNumber } from '../../structures/numbers.ts'
import { MAX_JS_STRING_LENGTH } from '../../types/string.ts'

// OBJ_* flags of t_string.c.
export const OBJ_SET_NX = 1 << 0
export const OBJ_SET_XX = 1 << 1
export const OBJ_EX = 1 << 2
export const OBJ_PX = 1 << 3
export const OBJ_KEEPTTL = 1 << 4
export const OBJ_SET_GET = 1 << 5
export const OBJ_EXAT = 1 << 6
export const OBJ_PXAT = 1 << 7
export const OBJ_PERSIST = 1 << 8

const ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT

export const UNIT_SECONDS = 0
export const UNIT_MILLISECONDS = 1

const LLONG_MAX = 9223372036854775807n

/**
 * Case-insensitive keyword test with C string semantics: Redis compares the
 * argument as a NUL-terminated string (opt[2] == '\0', strcasecmp), so
 * "nx\0anything" counts as NX. `lower` must be lowercase letters only.
 */
export function isKeyword(arg: string, lower: string): boolean {
  const n = lower.length
  if (arg.length < n || (arg.length > n && arg.charCodeAt(n) !== 0)) return false
  for (let i = 0; i < n; i++) {
    if ((arg.charCodeAt(i) | 32) !== lower.charCodeAt(i)) return false
  }
  return true
}

export interface ExtendedArgs {
  flags: number
  /** The EX/PX/EXAT/PXAT argument, if any. */
  expire: string | undefined
  unit: number
}

/**
 * parseExtendedStringArgumentsOrReply: SET's options (from argv[3]) or GETEX's
 * (from argv[2]). A repeated option is accepted; a conflicting one, an unknown
 * one, or an expire keyword without its value is a syntax error.
 */
export function parseExtendedStringArguments(argv: readonly string[], forSet: boolean): ExtendedArgs | Reply {
  let flags = 0
  let expire: string | undefined
  let unit = UNIT_SECONDS
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]
    const hasNext = j < argv.length - 1
    if (forSet && isKeyword(opt, 'nx') && !(flags & OBJ_SET_XX)) {
      flags |= OBJ_SET_NX
    } else if (forSet && isKeyword(opt, 'xx') && !(flags & OBJ_SET_NX)) {
      flags |= OBJ_SET_XX
    } else if (forSet && isKeyword(opt, 'get')) {
      flags |= OBJ_SET_GET
    } else if (forSet && isKeyword(opt, 'keepttl') && !(flags & (OBJ_PERSIST | ANY_EXPIRE))) {
      flags |= OBJ_KEEPTTL
    } else if (!forSet && isKeyword(opt, 'persist') && !(flags & (ANY_EXPIRE | OBJ_KEEPTTL))) {
      flags |= OBJ_PERSIST
    } else if (isKeyword(opt, 'ex') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EXAT | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EX
      expire = argv[++j]
    } else if (isKeyword(opt, 'px') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_PX
      unit = UNIT_MILLISECONDS
      expire = argv[++j]
    } else if (isKeyword(opt, 'exat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_PX | OBJ_PXAT)) && hasNext) {
      flags |= OBJ_EXAT
      expire = argv[++j]
    } else if (isKeyword(opt, 'pxat') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | OBJ_EX | OBJ_EXAT | OBJ_PX)) && hasNext) {
      flags |= OBJ_PXAT
      unit = UNIT_MILLISECONDS
      expire = argv[++j]
    } else {
      return E.syntax
    }
  }
  return { flags, expire, unit }
}

/** addReplyErrorExpireTime: names the running command ('set', 'setex', 'getex', ...). */
function expireError(c: Client, fallback: string): Reply {
  return invalidExpire(c.cmd?.fullName ?? fallback)
}

// Below this many units the arithmetic stays exact in doubles (x1000 + now < 2^53).
const FAST_EXPIRE_LIMIT = 1e12

/**
 * getExpireMillisecondsOrReply (7.0): the absolute expire time in ms, or the
 * error. Rejects values <= 0, seconds that overflow when multiplied by 1000,
 * and relative times (EX/PX) whose absolute time overflows an int64. `nowMs` is
 * mstime(): 7.0 reads the clock here, not the command's time snapshot.
 */
export function getExpireMilliseconds(
  c: Client,
  expire: string,
  flags: number,
  unit: number,
  nowMs: number,
  cmdName: string,
): number | Reply {
  const v = string2llNumber(expire)
  if (v === null) return E.notInteger
  const relative = (flags & (OBJ_EX | OBJ_PX)) !== 0
  if (v !== NEEDS_BIGINT && v < FAST_EXPIRE_LIMIT) {
    if (v <= 0) return expireError(c, cmdName)
    let ms = unit === UNIT_SECONDS ? v * 1000 : v
    if (relative) ms += nowMs
    return ms
  }
  // Large values: exact int64 arithmetic. Times beyond 2^53 ms are stored rounded.
  let ms = typeof v === 'number' ? BigInt(v) : BigInt(expire)
  if (ms <= 0n || (unit === UNIT_SECONDS && ms > LLONG_MAX / 1000n)) return expireError(c, cmdName)
  if (unit === UNIT_SECONDS) ms *= 1000n
  if (relative) ms += BigInt(nowMs)
  // Redis detects the int64 wrap-around of the addition as a value <= 0.
  if (ms > LLONG_MAX) return expireError(c, cmdName)
  return Number(ms)
}

/**
 * checkStringLength (7.0.15): the string a write would produce, `size + append`
 * bytes, must not exceed proto-max-bulk-len. Also refuses what a JS string
 * cannot hold (an engine limit, only reachable near 512 MB).
 */
export function checkStringLength(c: Client, size: number, append: number): Reply | undefined {
  const total = size + append
  if (total > c.server.config.num('proto-max-bulk-len') || total > MAX_JS_STRING_LENGTH) return E.stringTooBig
  return undefined
}

/**
 * getLongLongFromObjectOrReply for arguments that are only compared with string
 * lengths: the exact value when it is a safe integer, else a double of the
 * same sign and (roughly) the same magnitude, which compares the same way
 * against any length.
 */
export function parseLongLongLoose(s: string): number | Reply {
  const v = string2llNumber(s)
  if (v === null) return E.notInteger
  if (v === NEEDS_BIGINT) return Number(BigInt(s))
  return v
}

/** Replace the command vector that is propagated (rewriteClientCommandVector). */
export function rewriteArgv(c: Client, argv: string[]): void {
  c.argv = argv
}

export const errDecrementOverflow = error('ERR decrement would overflow')
