// The hash commands (Redis's t_hash.c command procs).

import type { CommandImpl } from '../../server/command-table.ts'
import { hdel } from './hdel.ts'
import { hexists, hget, hlen, hmget, hstrlen } from './hget.ts'
import { hgetall, hkeys, hvals } from './hgetall.ts'
import { hincrby, hincrbyfloat } from './hincr.ts'
import { hrandfield } from './hrandfield.ts'
import { hscan } from './hscan.ts'
import { hmset, hset, hsetnx } from './hset.ts'

export const hashCommands: CommandImpl[] = [
  hset, hmset, hsetnx, hget, hmget, hexists, hstrlen, hlen, hdel,
  hkeys, hvals, hgetall, hincrby, hincrbyfloat, hrandfield, hscan,
]
