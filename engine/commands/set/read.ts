// SISMEMBER, SMISMEMBER, SCARD (t_set.c).

import { ONE, ZERO, array, integer } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { setTypeIsMember, setTypeSize } from '../../types/set.ts'
import { isSet, lookupSet } from './lookup.ts'

// SISMEMBER key member
export const sismember: CommandImpl = {
  name: 'sismember',
  run: (c, argv) => {
    const set = lookupSet(c, argv[1], false)
    if (set === undefined) return ZERO
    if (!isSet(set)) return set
    return setTypeIsMember(set, argv[2]) ? ONE : ZERO
  },
}

// SMISMEMBER key member [member ...]: a missing key is an empty set (all zeros).
export const smismember: CommandImpl = {
  name: 'smismember',
  run: (c, argv) => {
    const set = lookupSet(c, argv[1], false)
    if (set !== undefined && !isSet(set)) return set
    const out = []
    for (let j = 2; j < argv.length; j++) out.push(set !== undefined && setTypeIsMember(set, argv[j]) ? ONE : ZERO)
    return array(out)
  },
}

// SCARD key
export const scard: CommandImpl = {
  name: 'scard',
  run: (c, argv) => {
    const set = lookupSet(c, argv[1], false)
    if (set === undefined) return ZERO
    if (!isSet(set)) return set
    return integer(setTypeSize(set))
  },
}
