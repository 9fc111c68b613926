// The reading side of strings (t_string.c): GET, GETDEL, GETEX, MGET.

import { NULL, array, bulk, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import {
  OBJ_EXAT,
  OBJ_PERSIST,
  OBJ_PXAT,
  getExpireMilliseconds,
  parseExtendedStringArguments,
  rewriteArgv,
} from './options.ts'
import { getGeneric } from './set.ts'

// GET key
export const get: CommandImpl = {
  name: 'get',
  run: (c, argv) => {
    const o = c.db.lookupRead(argv[1])
    if (o === undefined) return NULL
    if (o.type !== 'string') return E.wrongType
    return bulk(o.value)
  },
}

// GETDEL key: GET, then delete the key if it was there.
export const getdel: CommandImpl = {
  name: 'getdel',
  run: (c, argv) => {
    const key = argv[1]
    const reply = getGeneric(c, key)
    if (reply.kind === 'error') return reply
    const db = c.db
    if (db.delete(key)) {
      const server = c.server
      rewriteArgv(c, [server.config.bool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key])
      server.signalModifiedKey(db, key)
      server.notify('g', 'del', key, db.id)
      server.dirty++
    }
    return reply
  },
}

// GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST]
export const getex: CommandImpl = {
  name: 'getex',
  run: (c, argv) => {
    const args = parseExtendedStringArguments(argv, false)
    if ('kind' in args) return args
    const key = argv[1]
    const db = c.db
    const o = db.lookupRead(key)
    if (o === undefined) return NULL
    if (o.type !== 'string') return E.wrongType

    // The expire is validated only once the key is known to be a string.
    const server = c.server
    const now = server.clock.nowMs()
    let when = 0
    if (args.expire !== undefined) {
      const ms = getExpireMilliseconds(c, args.expire, args.flags, args.unit, now, 'getex')
      if (typeof ms !== 'number') return ms
      when = ms
    }
    const reply = bulk(o.value)

    if (args.flags & (OBJ_EXAT | OBJ_PXAT) && when <= now && !server.isLoading()) {
      // checkAlreadyExpired: an absolute time in the past deletes the key.
      db.delete(key)
      rewriteArgv(c, [server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key])
      server.signalModifiedKey(db, key)
      server.notify('g', 'del', key, db.id)
      server.dirty++
    } else if (args.expire !== undefined) {
      db.setExpire(key, when)
      rewriteArgv(c, ['PEXPIREAT', key, String(when)])
      server.signalModifiedKey(db, key)
      server.notify('g', 'expire', key, db.id)
      server.dirty++
    } else if (args.flags & OBJ_PERSIST) {
      if (db.removeExpire(key)) {
        server.signalModifiedKey(db, key)
        rewriteArgv(c, ['PERSIST', key])
        server.notify('g', 'persist', key, db.id)
        server.dirty++
      }
    }
    return reply
  },
}

// MGET key [key ...]: null for missing keys and for keys of other types.
export const mget: CommandImpl = {
  name: 'mget',
  run: (c, argv) => {
    const db = c.db
    const out = new Array<Reply>(argv.length - 1)
    for (let j = 1; j < argv.length; j++) {
      const o = db.lookupRead(argv[j])
      out[j - 1] = o === undefined || o.type !== 'string' ? NULL : bulk(o.value)
    }
    return array(out)
  },
}
