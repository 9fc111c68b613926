// Substrings (t_string.c getrangeCommand, setrangeCommand): GETRANGE, SUBSTR,
// SETRANGE.

import { ZERO, bulk, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { newRawString, setRawValue, unshareStringValue } from '../../types/string.ts'
import { checkStringLength, parseLongLongLoose } from './options.ts'

const EMPTY_BULK = bulk('')

/** getrangeCommand (7.0): inclusive byte range, negative indexes from the end. */
function getrange(c: Client, argv: readonly string[]): Reply {
  let start = parseLongLongLoose(argv[2])
  if (typeof start !== 'number') return start
  let end = parseLongLongLoose(argv[3])
  if (typeof end !== 'number') return end
  const o = c.db.lookupRead(argv[1])
  if (o === undefined) return EMPTY_BULK
  if (o.type !== 'string') return E.wrongType
  const s = o.value
  const len = s.length

  if (start < 0 && end < 0 && start > end) return EMPTY_BULK
  if (start < 0) start = len + start
  if (end < 0) end = len + end
  if (start < 0) start = 0
  if (end < 0) end = 0
  if (end >= len) end = len - 1
  if (start > end || len === 0) return EMPTY_BULK
  return bulk(start === 0 && end === len - 1 ? s : s.slice(start, end + 1))
}

// GETRANGE key start end
export const getrangeCmd: CommandImpl = { name: 'getrange', run: getrange }

// SUBSTR key start end (the old name of GETRANGE)
export const substr: CommandImpl = { name: 'substr', run: getrange }

/** The bytes of `old` with `value` written at `offset`, zero-padding any gap (sdsgrowzero + memcpy). */
function overwriteAt(old: string, offset: number, value: string): string {
  if (offset >= old.length) return offset === old.length ? old + value : old + '\0'.repeat(offset - old.length) + value
  const after = offset + value.length
  return old.slice(0, offset) + value + (after < old.length ? old.slice(after) : '')
}

// SETRANGE key offset value
export const setrange: CommandImpl = {
  name: 'setrange',
  run: (c, argv) => {
    const key = argv[1]
    const value = argv[3]
    const offset = parseLongLongLoose(argv[2])
    if (typeof offset !== 'number') return offset
    if (offset < 0) return E.offsetOutOfRange

    const db = c.db
    const server = c.server
    const o = db.lookupWrite(key)
    let result: string
    if (o === undefined) {
      // Writing nothing does not create the key.
      if (value.length === 0) return ZERO
      const err = checkStringLength(c, offset, value.length)
      if (err) return err
      result = overwriteAt('', offset, value)
      db.add(key, newRawString(result))
    } else {
      if (o.type !== 'string') return E.wrongType
      if (value.length === 0) return integer(o.value.length)
      const err = checkStringLength(c, offset, value.length)
      if (err) return err
      const raw = unshareStringValue(db, key, o)
      result = overwriteAt(raw.value, offset, value)
      setRawValue(raw, result)
      if (raw === o && server.traceBus.active) server.trace({ type: 'key-written', db: db.id, key })
    }
    server.signalModifiedKey(db, key)
    server.notify('$', 'setrange', key, db.id)
    server.dirty++
    return integer(result.length)
  },
}
