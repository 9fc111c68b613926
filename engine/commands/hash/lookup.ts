// Key lookups shared by the hash commands (t_hash.c hashTypeLookupWriteOrCreate,
// and the lookupKey*OrReply + checkType pairs).

import type { Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { HashObject } from '../../keyspace/object.ts'
import { createHashObject } from '../../types/hash.ts'
import type { ValueSite } from '../../types/trace.ts'

/** lookupKeyRead + checkType: the hash, undefined when missing, or WRONGTYPE. */
export function readHash(c: Client, key: string): HashObject | undefined | Reply {
  const o = c.db.lookupRead(key)
  if (o === undefined) return undefined
  return o.type === 'hash' ? o : E.wrongType
}

/** hashTypeLookupWriteOrCreate: the hash, made empty and added to the db when missing; or WRONGTYPE. */
export function writeHash(c: Client, key: string): HashObject | Reply {
  const o = c.db.lookupWrite(key)
  if (o !== undefined) return o.type === 'hash' ? o : E.wrongType
  const h = createHashObject()
  c.db.add(key, h)
  return h
}

export function isHash(v: HashObject | Reply | undefined): v is HashObject {
  return v !== undefined && 'type' in v
}

export function site(c: Client, key: string): ValueSite {
  return { db: c.db.id, key }
}
