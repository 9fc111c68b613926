// Shared key lookups of the set commands (lookupKey*OrReply + checkType).

import type { Reply } from '../../protocol/reply.ts'
import type { SetObject } from '../../keyspace/object.ts'
import type { Client } from '../../server/client.ts'
import { E } from '../../server/errors.ts'

/** The set at `key` (undefined when missing) or the WRONGTYPE reply. */
export function lookupSet(c: Client, key: string, write: boolean): SetObject | undefined | Reply {
  const o = write ? c.db.lookupWrite(key) : c.db.lookupRead(key)
  if (o === undefined) return undefined
  if (o.type !== 'set') return E.wrongType
  return o
}

export function isSet(v: SetObject | Reply | undefined): v is SetObject {
  return v !== undefined && (v as { type?: string }).type === 'set'
}
