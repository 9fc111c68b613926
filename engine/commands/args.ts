// Argument parsing shared by commands, with Redis's exact error replies
// (object.c getLongLongFromObjectOrReply and friends). Each parser returns the
// value, or an error Reply the command returns as is.

import { error, type Reply } from '../protocol/reply.ts'
import { string2ll } from '../structures/numbers.ts'
import { E } from '../server/errors.ts'

export const LLONG_MAX = 9223372036854775807n
export const LLONG_MIN = -9223372036854775808n
export const LONG_MAX = LLONG_MAX
export const LONG_MIN = LLONG_MIN
export const INT_MAX = 2147483647
export const INT_MIN = -2147483648

export function isReply(v: unknown): v is Reply {
  return typeof v === 'object' && v !== null && 'kind' in v
}

/** getLongLongFromObjectOrReply: an int64 as bigint, or the error (default or custom message). */
export function parseLongLong(s: string, msg?: string): bigint | Reply {
  const v = string2ll(s)
  if (v === null) return msg ? error(`ERR ${msg}`) : E.notInteger
  return v
}

/** getRangeLongFromObjectOrReply: an int64 within [min, max]. */
export function parseRangeLong(s: string, min: bigint, max: bigint, msg?: string): bigint | Reply {
  const v = parseLongLong(s, msg)
  if (isReply(v)) return v
  if (v < min || v > max) {
    return msg ? error(`ERR ${msg}`) : error(`ERR value is out of range, value must between ${min} and ${max}`)
  }
  return v
}

/** getIntFromObjectOrReply. */
export function parseInt32(s: string, msg?: string): number | Reply {
  const v = parseRangeLong(s, BigInt(INT_MIN), BigInt(INT_MAX), msg)
  return isReply(v) ? v : Number(v)
}

/** getPositiveLongFromObjectOrReply: >= 0, else "value is out of range, must be positive". */
export function parsePositiveLong(s: string, msg?: string): bigint | Reply {
  const v = parseRangeLong(s, 0n, LONG_MAX, msg ?? 'value is out of range, must be positive')
  return v
}
