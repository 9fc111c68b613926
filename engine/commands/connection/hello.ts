import { array, bulk, error, integer, map, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { isReply, parseLongLong } from '../args.ts'
import { checkPassword, setClientName } from './auth.ts'

// HELLO [protover [AUTH username password] [SETNAME clientname]] (helloCommand)
export const hello: CommandImpl = {
  name: 'hello',
  run: (c, argv) => {
    let ver = 0
    let next = 1
    if (argv.length >= 2) {
      const v = parseLongLong(argv[next++], 'Protocol version is not an integer or out of range')
      if (isReply(v)) return v
      if (v < 2n || v > 3n) return E.noProto
      ver = Number(v)
    }
    // 7.0 acts on each option as it reads it: AUTH authenticates (or fails) and
    // SETNAME renames on the spot, so a later bad option leaves earlier effects.
    for (let j = next; j < argv.length; j++) {
      const more = argv.length - 1 - j
      const opt = argv[j].toLowerCase()
      if (opt === 'auth' && more >= 2) {
        if (!checkPassword(c, argv[j + 1], argv[j + 2])) return E.wrongPass
        c.authenticated = true
        j += 2
      } else if (opt === 'setname' && more >= 1) {
        const err = setClientName(c, argv[j + 1])
        if (err) return err
        j++
      } else {
        return error(`ERR Syntax error in HELLO option '${argv[j]}'`)
      }
    }
    if (!c.authenticated) return E.helloNoAuth
    if (ver) c.resp = ver as 2 | 3
    return helloReply(c)
  },
}

function helloReply(c: Client): Reply {
  return map([
    bulk('server'), bulk('redis'),
    bulk('version'), bulk('7.0.15'),
    bulk('proto'), integer(c.resp),
    bulk('id'), integer(c.id),
    bulk('mode'), bulk('standalone'),
    bulk('role'), bulk('master'),
    bulk('modules'), array([]),
  ])
}
