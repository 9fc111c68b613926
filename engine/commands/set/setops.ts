// SINTER, SMEMBERS, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF,
// SDIFFSTORE (t_set.c sinterGenericCommand and sunionDiffGenericCommand, 7.0).
//
// The reply order is Redis's: SINTER walks the smallest set (ascending when it
// is an intset, bucket order when a hashtable); SUNION and SDIFF build a
// temporary set that starts as an intset (createIntsetObject) and reply in its
// iteration order, so a result that fits an intset comes back sorted whatever
// the inputs' encodings. The *STORE commands store that same temporary set,
// which is why their destination is an intset whenever the result fits one.

import { ZERO, bulk, error, integer, set as setReply, type Reply } from '../../protocol/reply.ts'
import type { SetObject } from '../../keyspace/object.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { LONG_MAX, isReply, parsePositiveLong, parseRangeLong } from '../args.ts'
import {
  createIntsetObject,
  setTypeAdd,
  setTypeIsMember,
  setTypeMembers,
  setTypeRemove,
  setTypeSize,
} from '../../types/set.ts'

const EMPTY_SET = setReply([])

// Looks every key up for reading (also for the STORE variants, as 7.0 does);
// a missing key is an empty set (null), a key of another type is an error.
function lookupAll(c: Client, keys: readonly string[]): (SetObject | null)[] | Reply {
  const sets: (SetObject | null)[] = []
  for (const key of keys) {
    const o = c.db.lookupRead(key)
    if (o === undefined) {
      sets.push(null)
      continue
    }
    if (o.type !== 'set') return E.wrongType
    sets.push(o)
  }
  return sets
}

// Stores a computed set at dstkey (setKey), or deletes dstkey when the result is empty.
function storeResult(c: Client, dstkey: string, dst: SetObject, event: string): Reply {
  const server = c.server
  const db = c.db
  const size = setTypeSize(dst)
  if (size > 0) {
    db.setKey(dstkey, dst)
    server.notify('s', event, dstkey, db.id)
    server.dirty++
    return integer(size)
  }
  if (db.delete(dstkey)) {
    server.dirty++
    server.signalModifiedKey(db, dstkey)
    server.notify('g', 'del', dstkey, db.id)
  }
  return ZERO
}

/**
 * sinterGenericCommand: SINTER / SMEMBERS (dstkey null), SINTERSTORE, and
 * SINTERCARD (cardinalityOnly, stopping at `limit` when it is not 0).
 */
export function sinterGeneric(c: Client, keys: readonly string[], dstkey: string | null, cardinalityOnly = false, limit = 0n): Reply {
  const found = lookupAll(c, keys)
  if (isReply(found)) return found
  const server = c.server
  const db = c.db
  // Intersection with an empty set is empty.
  if (found.includes(null)) {
    if (dstkey !== null) {
      if (db.delete(dstkey)) {
        server.signalModifiedKey(db, dstkey)
        server.notify('g', 'del', dstkey, db.id)
        server.dirty++
      }
      return ZERO
    }
    return cardinalityOnly ? ZERO : EMPTY_SET
  }
  // Smallest first (a stable sort, like glibc's merge-sort qsort).
  const sets = (found as SetObject[]).slice().sort((a, b) => setTypeSize(a) - setTypeSize(b))
  const first = sets[0]
  const dst = dstkey !== null ? createIntsetObject() : null
  const site = dstkey !== null ? { db: db.id, key: dstkey } : undefined
  const out: Reply[] = []
  // A limit beyond 2^53 only loses precision far above any set's size.
  const max = Number(limit)
  let cardinality = 0
  for (const ele of setTypeMembers(first)) {
    let j = 1
    for (; j < sets.length; j++) {
      if (sets[j] === first) continue
      if (!setTypeIsMember(sets[j], ele)) break
    }
    if (j < sets.length) continue
    if (cardinalityOnly) {
      cardinality++
      if (max !== 0 && cardinality >= max) break
    } else if (dst === null) {
      out.push(bulk(ele))
    } else {
      setTypeAdd(dst, ele, server, site)
    }
  }
  if (cardinalityOnly) return integer(cardinality)
  if (dst !== null && dstkey !== null) return storeResult(c, dstkey, dst, 'sinterstore')
  return setReply(out)
}

export type SetOp = 'union' | 'diff'

/**
 * sunionDiffGenericCommand: SUNION / SDIFF (dstkey null) and their STORE
 * variants. SDIFF picks one of two algorithms by estimated work: walk the
 * first set probing the others (sorted by decreasing size), or copy the first
 * set and remove every other set's members.
 */
export function sunionDiffGeneric(c: Client, keys: readonly string[], dstkey: string | null, op: SetOp): Reply {
  const found = lookupAll(c, keys)
  if (isReply(found)) return found
  const sets = found
  const server = c.server
  const db = c.db
  let sameset = false
  for (let j = 1; j < sets.length; j++) if (sets[0] === sets[j]) sameset = true

  let diffAlgo = 1
  if (op === 'diff' && sets[0] !== null && !sameset) {
    let algoOneWork = 0
    let algoTwoWork = 0
    const firstSize = setTypeSize(sets[0])
    for (const s of sets) {
      if (s === null) continue
      algoOneWork += firstSize
      algoTwoWork += setTypeSize(s)
    }
    // Algorithm 1 is given an advantage: it does less when members are shared.
    algoOneWork = Math.floor(algoOneWork / 2)
    diffAlgo = algoOneWork <= algoTwoWork ? 1 : 2
    if (diffAlgo === 1 && sets.length > 1) {
      // Bigger sets first, so a shared member is found sooner (missing keys count as empty).
      const rest = sets.slice(1).sort((a, b) => (b === null ? 0 : setTypeSize(b)) - (a === null ? 0 : setTypeSize(a)))
      for (let j = 1; j < sets.length; j++) sets[j] = rest[j - 1]
    }
  }

  const dst = createIntsetObject()
  const site = dstkey !== null ? { db: db.id, key: dstkey } : undefined
  let cardinality = 0
  if (op === 'union') {
    for (const s of sets) {
      if (s === null) continue
      for (const ele of setTypeMembers(s)) if (setTypeAdd(dst, ele, server, site)) cardinality++
    }
  } else if (sameset) {
    // The first set is subtracted from itself: the result is empty.
  } else if (sets[0] !== null && diffAlgo === 1) {
    const first = sets[0]
    for (const ele of setTypeMembers(first)) {
      let j = 1
      for (; j < sets.length; j++) {
        const s = sets[j]
        if (s === null) continue
        if (s === first) break
        if (setTypeIsMember(s, ele)) break
      }
      if (j === sets.length) {
        setTypeAdd(dst, ele, server, site)
        cardinality++
      }
    }
  } else if (sets[0] !== null) {
    for (let j = 0; j < sets.length; j++) {
      const s = sets[j]
      if (s === null) continue
      for (const ele of setTypeMembers(s)) {
        if (j === 0) {
          if (setTypeAdd(dst, ele, server, site)) cardinality++
        } else if (setTypeRemove(dst, ele)) {
          cardinality--
        }
      }
      // Nothing left to remove from.
      if (cardinality === 0) break
    }
  }

  if (dstkey === null) {
    const out: Reply[] = []
    for (const ele of setTypeMembers(dst)) out.push(bulk(ele))
    return setReply(out)
  }
  return storeResult(c, dstkey, dst, op === 'union' ? 'sunionstore' : 'sdiffstore')
}

// SMEMBERS key: in 7.0 this is SINTER of a single key.
export const smembers: CommandImpl = { name: 'smembers', run: (c, argv) => sinterGeneric(c, argv.slice(1), null) }

// SINTER key [key ...]
export const sinter: CommandImpl = { name: 'sinter', run: (c, argv) => sinterGeneric(c, argv.slice(1), null) }

// SINTERSTORE destination key [key ...]
export const sinterstore: CommandImpl = { name: 'sinterstore', run: (c, argv) => sinterGeneric(c, argv.slice(2), argv[1]) }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
export const sintercard: CommandImpl = {
  name: 'sintercard',
  run: (c, argv) => {
    const numkeys = parseRangeLong(argv[1], 1n, LONG_MAX, 'numkeys should be greater than 0')
    if (isReply(numkeys)) return numkeys
    if (numkeys > BigInt(argv.length - 2)) return error("ERR Number of keys can't be greater than number of args")
    const n = Number(numkeys)
    let limit = 0n
    for (let j = 2 + n; j < argv.length; j++) {
      const moreargs = argv.length - 1 - j
      if (argv[j].toLowerCase() === 'limit' && moreargs > 0) {
        j++
        const l = parsePositiveLong(argv[j], "LIMIT can't be negative")
        if (isReply(l)) return l
        limit = l
      } else {
        return E.syntax
      }
    }
    return sinterGeneric(c, argv.slice(2, 2 + n), null, true, limit)
  },
}

// SUNION key [key ...]
export const sunion: CommandImpl = { name: 'sunion', run: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, 'union') }

// SUNIONSTORE destination key [key ...]
export const sunionstore: CommandImpl = {
  name: 'sunionstore',
  run: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], 'union'),
}

// SDIFF key [key ...]
export const sdiff: CommandImpl = { name: 'sdiff', run: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, 'diff') }

// SDIFFSTORE destination key [key ...]
export const sdiffstore: CommandImpl = {
  name: 'sdiffstore',
  run: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], 'diff'),
}
