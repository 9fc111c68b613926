import type { CommandImpl } from '../../server/command-table.ts'
import { dbsize, del, exists, keys, randomkey, touch, type, unlink } from './keys.ts'
import { scan } from './scan.ts'
import { expire, expireat, expiretime, persist, pexpire, pexpireat, pexpiretime, pttl, ttl } from './expire.ts'
import { copy, move, rename, renamenx, swapdb } from './rename.ts'
import { objectEncoding, objectFreq, objectHelp, objectIdletime, objectRefcountCmd } from './object.ts'
import { flushall, flushdb } from './flush.ts'
import { dump } from './dump.ts'
import { restore } from './restore.ts'
import { sort, sortRo } from './sort.ts'

export const genericCommands: CommandImpl[] = [
  del, unlink, exists, type, keys, scan, randomkey, dbsize, touch,
  rename, renamenx, copy, move, swapdb,
  expire, pexpire, expireat, pexpireat, ttl, pttl, expiretime, pexpiretime, persist,
  objectEncoding, objectFreq, objectIdletime, objectRefcountCmd, objectHelp,
  flushdb, flushall,
  dump, restore, sort, sortRo,
]
