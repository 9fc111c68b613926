// The sorted-set commands (Redis's t_zset.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'
import { zadd, zincrby } from './zadd.ts'
import { zrem, zremrangebylex, zremrangebyrank, zremrangebyscore } from './zrem.ts'
import { zcard, zcount, zlexcount, zmscore, zrank, zrevrank, zscore } from './read.ts'
import { zrange, zrangebylex, zrangebyscore, zrangestore, zrevrange, zrevrangebylex, zrevrangebyscore } from './range.ts'
import { zdiff_, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore } from './setops.ts'
import { bzmpop, bzpopmax, bzpopmin, zmpop, zpopmax, zpopmin } from './pop.ts'
import { zrandmember } from './zrandmember.ts'
import { zscan } from './zscan.ts'

export const sortedSetCommands: CommandImpl[] = [
  zadd, zincrby, zrem, zremrangebyrank, zremrangebyscore, zremrangebylex,
  zcard, zscore, zmscore, zrank, zrevrank, zcount, zlexcount,
  zrange, zrangestore, zrevrange, zrangebyscore, zrevrangebyscore, zrangebylex, zrevrangebylex,
  zunion, zinter, zdiff_, zunionstore, zinterstore, zdiffstore, zintercard,
  zpopmin, zpopmax, zmpop, bzpopmin, bzpopmax, bzmpop, zrandmember, zscan,
]
