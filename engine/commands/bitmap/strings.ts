// Writing side of the bitmap commands: lookupStringForBitCommand (bitops.c),
// which creates or zero-pads the string so a given bit can be addressed.

import { E } from '../../server/errors.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { StringObject } from '../../keyspace/object.ts'
import { MAX_JS_STRING_LENGTH, newRawString, setRawValue, unshareStringValue } from '../../types/string.ts'

export interface BitTarget {
  /** The key's raw string, owned by the key and long enough to hold `maxbit`. */
  o: StringObject
  /** True when the key was created or the string grew (Redis counts that as a change). */
  grown: boolean
  /** True when `o` was the key's object before the call (so an in-place write needs its own trace event). */
  inPlace: boolean
}

/**
 * lookupStringForBitCommand: the string at argv[1] made raw and unshared and
 * zero-padded to hold bit `maxbit`; a missing key is created (all zeros).
 * WRONGTYPE for other types.
 */
export function lookupStringForBit(c: Client, key: string, maxbit: number): BitTarget | Reply {
  const db = c.db
  const bytes = Math.floor(maxbit / 8) + 1
  const o = db.lookupWrite(key)
  if (o !== undefined && o.type !== 'string') return E.wrongType
  // An engine limit (a JS string holds at most ~512 MB - 24 bytes); Redis allows a little more.
  if (bytes > MAX_JS_STRING_LENGTH && (o === undefined || bytes > o.value.length)) return E.stringTooBig
  if (o === undefined) {
    const created = newRawString('\0'.repeat(bytes))
    db.add(key, created)
    return { o: created, grown: true, inPlace: false }
  }
  const raw = unshareStringValue(db, key, o)
  const old = raw.value.length
  if (bytes > old) setRawValue(raw, raw.value + '\0'.repeat(bytes - old))
  return { o: raw, grown: bytes > old, inPlace: raw === o }
}

/** After an in-place change of a key's bytes: the trace event dbAdd/dbOverwrite would have emitted. */
export function traceInPlaceWrite(c: Client, key: string, t: BitTarget): void {
  const server = c.server
  if (t.inPlace && server.traceBus.active) server.trace({ type: 'key-written', db: c.db.id, key })
}
