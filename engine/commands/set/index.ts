// The set commands (Redis's t_set.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'
import { scard, sismember, smismember } from './read.ts'
import { spop, srandmember } from './random.ts'
import { sdiff, sdiffstore, sinter, sintercard, sinterstore, smembers, sunion, sunionstore } from './setops.ts'
import { sscan } from './sscan.ts'
import { sadd, smove, srem } from './write.ts'

export const setCommands: CommandImpl[] = [
  sadd,
  srem,
  smove,
  sismember,
  smismember,
  scard,
  smembers,
  spop,
  srandmember,
  sinter,
  sintercard,
  sinterstore,
  sunion,
  sunionstore,
  sdiff,
  sdiffstore,
  sscan,
]
