// The list commands (Redis's t_list.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'
import { lpush, lpushx, rpush, rpushx } from './push.ts'
import { lindex, llen, lpos, lrange } from './read.ts'
import { linsert, lrem, lset, ltrim } from './modify.ts'
import { lmpop, lpop, rpop } from './pop.ts'
import { lmove, rpoplpush } from './move.ts'
import { blmove, blmpop, blpop, brpop, brpoplpush } from './blocking.ts'

export const listCommands: CommandImpl[] = [
  lpush,
  rpush,
  lpushx,
  rpushx,
  lpop,
  rpop,
  lmpop,
  llen,
  lrange,
  lindex,
  lpos,
  lset,
  linsert,
  lrem,
  ltrim,
  lmove,
  rpoplpush,
  blpop,
  brpop,
  blmpop,
  blmove,
  brpoplpush,
]
