// MSET and MSETNX (t_string.c msetGenericCommand).

import { OK, ONE, ZERO, type Reply } from '../../protocol/reply.ts'
import { wrongArity } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { tryObjectEncoding } from '../../types/string.ts'

function msetGeneric(c: Client, argv: readonly string[], nx: boolean): Reply {
  // Keys and values come in pairs; the table's arity (-3) cannot say that.
  if (argv.length % 2 === 0) return wrongArity(c.cmd?.fullName ?? (nx ? 'msetnx' : 'mset'))
  const db = c.db
  const server = c.server
  if (nx) {
    // All or nothing: one existing key and nothing is set.
    for (let j = 1; j < argv.length; j += 2) {
      if (db.lookupWrite(argv[j]) !== undefined) return ZERO
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    db.setKey(argv[j], tryObjectEncoding(server, argv[j + 1]))
    server.notify('$', 'set', argv[j], db.id)
  }
  server.dirty += (argv.length - 1) / 2
  return nx ? ONE : OK
}

// MSET key value [key value ...]
export const mset: CommandImpl = { name: 'mset', run: (c, argv) => msetGeneric(c, argv, false) }

// MSETNX key value [key value ...]
export const msetnx: CommandImpl = { name: 'msetnx', run: (c, argv) => msetGeneric(c, argv, true) }
