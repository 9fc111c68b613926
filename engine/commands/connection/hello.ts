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
    let user: string | undefined
    let pass: string | undefined
    let name: string | undefined
    for (let j = next; j < argv.length; j++) {
      const more = argv.length - 1 - j
      const opt = argv[j].toLowerCase()
      if (opt === 'auth' && more >= 2) {
        user = argv[j + 1]
        pass = argv[j + 2]
        j += 2
      } else if (opt === 'setname' && more >= 1) {
        name = argv[j + 1]
        j++
      } else {
        return error(`ERR Syntax error in HELLO option '${argv[j]}'`)
      }
    }
    if (user !== undefined && pass !== undefined) {
      if (!checkPassword(c, user, pass)) return E.wrongPass
      c.authenticated = true
    }
    if (!c.authenticated) return E.helloNoAuth
    if (name !== undefined) {
      const err = setClientName(c, name)
      if (err) return err
    }
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
