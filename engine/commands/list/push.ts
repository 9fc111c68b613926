// LPUSH / RPUSH / LPUSHX / RPUSHX (t_list.c pushGenericCommand).

import { ZERO, integer } from '../../protocol/reply.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { isReply } from '../args.ts'
import { createQuicklistObject, listTypeLength, listTypePush, type ListEnd } from '../../types/list.ts'
import { lookupList } from './shared.ts'

/** `xx`: only push when the key exists (the X variants). */
function pushGeneric(c: Client, argv: string[], where: ListEnd, xx: boolean): Reply {
  const key = argv[1]
  let o = lookupList(c, key, true)
  if (isReply(o)) return o
  if (o === undefined) {
    if (xx) return ZERO
    // The node options are fixed here, when the list is born.
    o = createQuicklistObject(c.server)
    c.db.add(key, o)
  }
  for (let j = 2; j < argv.length; j++) {
    listTypePush(o, argv[j], where)
    c.server.dirty++
  }
  const len = listTypeLength(o)
  c.server.signalModifiedKey(c.db, key)
  c.server.notify('l', where === 'head' ? 'lpush' : 'rpush', key, c.db.id)
  return integer(len)
}

export const lpush: CommandImpl = { name: 'lpush', run: (c, argv) => pushGeneric(c, argv, 'head', false) }
export const rpush: CommandImpl = { name: 'rpush', run: (c, argv) => pushGeneric(c, argv, 'tail', false) }
export const lpushx: CommandImpl = { name: 'lpushx', run: (c, argv) => pushGeneric(c, argv, 'head', true) }
export const rpushx: CommandImpl = { name: 'rpushx', run: (c, argv) => pushGeneric(c, argv, 'tail', true) }
