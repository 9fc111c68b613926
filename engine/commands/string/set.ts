// SET and its relatives (t_string.c setGenericCommand): SET, SETNX, SETEX,
// PSETEX, GETSET.

import { NULL, OK, ONE, ZERO, bulk, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { tryObjectEncoding } from '../../types/string.ts'
import {
  OBJ_EX,
  OBJ_KEEPTTL,
  OBJ_PX,
  OBJ_SET_GET,
  OBJ_SET_NX,
  OBJ_SET_XX,
  UNIT_MILLISECONDS,
  UNIT_SECONDS,
  getExpireMilliseconds,
  isKeyword,
  parseExtendedStringArguments,
  rewriteArgv,
} from './options.ts'

/**
 * getGenericCommand: the reply GET would give, or the WRONGTYPE error. Used by
 * GET, GETSET, GETDEL and SET ... GET (a read lookup: counts a hit or miss).
 */
export function getGeneric(c: Client, key: string): Reply {
  const o = c.db.lookupRead(key)
  if (o === undefined) return NULL
  if (o.type !== 'string') return E.wrongType
  return bulk(o.value)
}

/**
 * setGenericCommand. `okReply`/`abortReply` replace +OK and the null reply
 * (SETNX answers 1 / 0). Returns the reply to send.
 */
function setGeneric(
  c: Client,
  flags: number,
  key: string,
  val: string,
  expire: string | undefined,
  unit: number,
  okReply: Reply,
  abortReply: Reply,
  name: string,
  argv: readonly string[],
): Reply {
  const server = c.server
  const db = c.db
  let when = 0
  if (expire !== undefined) {
    const ms = getExpireMilliseconds(c, expire, flags, unit, server.clock.nowMs(), name)
    if (typeof ms !== 'number') return ms
    when = ms
  }

  let getReply: Reply | undefined
  if (flags & OBJ_SET_GET) {
    getReply = getGeneric(c, key)
    if (getReply.kind === 'error') return getReply
  }

  const o = tryObjectEncoding(server, val)
  if (flags & (OBJ_SET_NX | OBJ_SET_XX)) {
    const found = db.lookupWrite(key) !== undefined
    if ((flags & OBJ_SET_NX && found) || (flags & OBJ_SET_XX && !found)) return getReply ?? abortReply
  }

  db.setKey(key, o, (flags & OBJ_KEEPTTL) !== 0)
  server.dirty++
  server.notify('$', 'set', key, db.id)

  if (expire !== undefined) {
    db.setExpire(key, when)
    // Propagated with an absolute time, so replicas and the AOF agree.
    rewriteArgv(c, ['SET', key, val, 'PXAT', String(when)])
    server.notify('g', 'expire', key, db.id)
  } else if (flags & OBJ_SET_GET) {
    // Propagated without GET (which may be repeated).
    rewriteArgv(c, argv.filter((a, j) => j < 3 || !isKeyword(a, 'get')))
  }
  return getReply ?? okReply
}

// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL]
export const set: CommandImpl = {
  name: 'set',
  run: (c, argv) => {
    const key = argv[1]
    if (argv.length === 3) {
      // The common case: no options, no lookup beyond setKey's own.
      const server = c.server
      const db = c.db
      db.setKey(key, tryObjectEncoding(server, argv[2]))
      server.dirty++
      server.notify('$', 'set', key, db.id)
      return OK
    }
    const args = parseExtendedStringArguments(argv, true)
    if ('kind' in args) return args
    return setGeneric(c, args.flags, key, argv[2], args.expire, args.unit, OK, NULL, 'set', argv)
  },
}

// SETNX key value
export const setnx: CommandImpl = {
  name: 'setnx',
  run: (c, argv) => setGeneric(c, OBJ_SET_NX, argv[1], argv[2], undefined, UNIT_SECONDS, ONE, ZERO, 'setnx', argv),
}

// SETEX key seconds value
export const setex: CommandImpl = {
  name: 'setex',
  run: (c, argv) => setGeneric(c, OBJ_EX, argv[1], argv[3], argv[2], UNIT_SECONDS, OK, NULL, 'setex', argv),
}

// PSETEX key milliseconds value
export const psetex: CommandImpl = {
  name: 'psetex',
  run: (c, argv) => setGeneric(c, OBJ_PX, argv[1], argv[3], argv[2], UNIT_MILLISECONDS, OK, NULL, 'psetex', argv),
}

// GETSET key value: SET that replies the old value; drops the TTL.
export const getset: CommandImpl = {
  name: 'getset',
  run: (c, argv) => {
    const key = argv[1]
    const reply = getGeneric(c, key)
    if (reply.kind === 'error') return reply
    const server = c.server
    const db = c.db
    db.setKey(key, tryObjectEncoding(server, argv[2]))
    server.notify('$', 'set', key, db.id)
    server.dirty++
    rewriteArgv(c, ['SET', key, argv[2]])
    return reply
  },
}
