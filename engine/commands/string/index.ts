import type { CommandImpl } from '../../server/command-table.ts'
import { append } from './append.ts'
import { get, getdel, getex, mget } from './get.ts'
import { decr, decrby, incr, incrby, incrbyfloat } from './incr.ts'
import { lcs } from './lcs.ts'
import { mset, msetnx } from './mset.ts'
import { getrangeCmd, setrange, substr } from './range.ts'
import { getset, psetex, set, setex, setnx } from './set.ts'
import { strlen } from './strlen.ts'

export const stringCommands: CommandImpl[] = [
  get,
  set,
  setnx,
  setex,
  psetex,
  getset,
  getdel,
  getex,
  mget,
  mset,
  msetnx,
  incr,
  decr,
  incrby,
  decrby,
  incrbyfloat,
  append,
  strlen,
  getrangeCmd,
  substr,
  setrange,
  lcs,
]
