// SPOP and SRANDMEMBER (t_set.c spopCommand, spopWithCountCommand,
// srandmemberCommand, srandmemberWithCountCommand, 7.0.15).
//
// Random picks use the server's Random the way Redis uses random():
// dictGetFairRandomKey for hashtables, intsetRandom for intsets.

import { EMPTY_ARRAY, NULL, array, bulk, set as setReply, type Reply } from '../../protocol/reply.ts'
import { Dict } from '../../structures/dict.ts'
import type { SetObject } from '../../keyspace/object.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E, MAX_RANDOM_PICKS, tooManyRandomPicks } from '../../server/errors.ts'
import { LONG_MAX, isReply, parsePositiveLong, parseRangeLong } from '../args.ts'
import { rewriteArgv } from '../string/options.ts'
import { preventCommandPropagation } from '../../server/propagation.ts'
import {
  setTypeAdd,
  setTypeCreate,
  setTypeMembers,
  setTypeMembersArray,
  setTypeRandomElement,
  setTypeRemove,
  setTypeSize,
} from '../../types/set.ts'
import { keyspaceDictOptions } from '../../keyspace/db.ts'
import { isSet, lookupSet } from './lookup.ts'
import { sunionDiffGeneric } from './setops.ts'

/** SPOP_MOVE_STRATEGY_MUL: above this ratio of popped to remaining members, build the remainder instead. */
const SPOP_MOVE_STRATEGY_MUL = 5
/** SRANDMEMBER_SUB_STRATEGY_MUL: below this ratio of size to count, copy the set and remove randomly. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3

const EMPTY_SET = setReply([])

// SPOP key [count]
export const spop: CommandImpl = {
  name: 'spop',
  run: (c, argv) => {
    if (argv.length === 3) return spopWithCount(c, argv)
    if (argv.length > 3) return E.syntax
    const key = argv[1]
    const set = lookupSet(c, key, true)
    if (set === undefined) return NULL
    if (!isSet(set)) return set
    const server = c.server
    const db = c.db
    const ele = setTypeRandomElement(set, server)
    setTypeRemove(set, ele)
    server.notify('s', 'spop', key, db.id)
    // Replicated as the SREM of the member that came out.
    rewriteArgv(c, ['SREM', key, ele])
    if (setTypeSize(set) === 0) {
      db.delete(key)
      server.notify('g', 'del', key, db.id)
    }
    server.signalModifiedKey(db, key)
    server.dirty++
    return bulk(ele)
  },
}

function spopWithCount(c: Client, argv: readonly string[]): Reply {
  const count = parsePositiveLong(argv[2])
  if (isReply(count)) return count
  const key = argv[1]
  const set = lookupSet(c, key, true)
  if (set === undefined) return EMPTY_SET
  if (!isSet(set)) return set
  if (count === 0n) return EMPTY_SET
  const server = c.server
  const db = c.db
  const size = setTypeSize(set)
  server.notify('s', 'spop', key, db.id)
  server.dirty += count >= BigInt(size) ? size : Number(count)

  // CASE 1: everything goes: reply with the whole set (as SUNION of it), delete the key, replicate as DEL.
  if (count >= BigInt(size)) {
    const reply = sunionDiffGeneric(c, [key], null, 'union')
    db.delete(key)
    server.notify('g', 'del', key, db.id)
    rewriteArgv(c, ['DEL', key])
    server.signalModifiedKey(db, key)
    return reply
  }

  // CASES 2 and 3 replicate one SREM per popped member instead of the SPOP
  // (alsoPropagate + preventCommandPropagation in Redis).
  const popped: Reply[] = []
  const propagate = (ele: string): void => server.propagate(db.id, ['SREM', key, ele])
  let n = Number(count)
  let remaining = size - n
  if (remaining * SPOP_MOVE_STRATEGY_MUL > n) {
    // CASE 2: few members leave: pick and remove them one by one.
    while (n-- > 0) {
      const ele = setTypeRandomElement(set, server)
      popped.push(bulk(ele))
      setTypeRemove(set, ele)
      propagate(ele)
    }
  } else {
    // CASE 3: most members leave: move the random survivors to a new set,
    // reply with what is left in the old one, and store the new set.
    let newset: SetObject | undefined
    const site = { db: db.id, key }
    while (remaining-- > 0) {
      const ele = setTypeRandomElement(set, server)
      if (newset === undefined) newset = setTypeCreate(server, ele)
      setTypeAdd(newset, ele, server, site)
      setTypeRemove(set, ele)
    }
    for (const ele of setTypeMembers(set)) {
      popped.push(bulk(ele))
      propagate(ele)
    }
    db.overwrite(key, newset as SetObject)
  }
  // The SREMs stand for the SPOP, which is not propagated itself.
  preventCommandPropagation(c)
  server.signalModifiedKey(db, key)
  return setReply(popped)
}

// SRANDMEMBER key [count]
export const srandmember: CommandImpl = {
  name: 'srandmember',
  run: (c, argv) => {
    if (argv.length === 3) return srandmemberWithCount(c, argv)
    if (argv.length > 3) return E.syntax
    const set = lookupSet(c, argv[1], false)
    if (set === undefined) return NULL
    if (!isSet(set)) return set
    return bulk(setTypeRandomElement(set, c.server))
  },
}

function srandmemberWithCount(c: Client, argv: readonly string[]): Reply {
  const l = parseRangeLong(argv[2], -LONG_MAX, LONG_MAX)
  if (isReply(l)) return l
  // A negative count may repeat members.
  const uniq = l >= 0n
  const count = uniq ? l : -l
  const set = lookupSet(c, argv[1], false)
  if (set === undefined) return EMPTY_ARRAY
  if (!isSet(set)) return set
  if (count === 0n) return EMPTY_ARRAY
  const server = c.server
  const size = setTypeSize(set)

  // CASE 1: repeats allowed (or a single member): sample the whole set each time.
  if (!uniq || count === 1n) {
    // Not in Redis: see MAX_RANDOM_PICKS (Redis would stream |count| picks, gigabytes for a huge count).
    if (count > BigInt(MAX_RANDOM_PICKS)) return tooManyRandomPicks('SRANDMEMBER')
    const out: Reply[] = []
    for (let n = Number(count); n > 0; n--) out.push(bulk(setTypeRandomElement(set, server)))
    return array(out)
  }
  // CASE 2: at least the whole set: all members in iteration order.
  if (count >= BigInt(size)) return array(setTypeMembersArray(set).map(bulk))

  const n = Number(count)
  const picked = new Dict<string, null>(keyspaceDictOptions(server))
  const rand = (): number => server.random.next()
  if (n * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // CASE 3: count close to the size: copy everything, then drop random members.
    picked.expand(size)
    for (const ele of setTypeMembers(set)) picked.add(ele, null)
    for (let left = size; left > n; left--) {
      const e = picked.fairRandomEntry(rand)
      if (e !== undefined) picked.delete(e.key)
    }
  } else {
    // CASE 4: a big set: draw until enough distinct members came out.
    picked.expand(n)
    let added = 0
    while (added < n) if (picked.add(setTypeRandomElement(set, server), null)) added++
  }
  const out: Reply[] = []
  picked.forEach((_v, k) => out.push(bulk(k)))
  return array(out)
}
