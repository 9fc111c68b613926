// CLIENT subcommands (clientCommand, networking.c, Redis 7.0.15). TRACKING,
// CACHING, TRACKINGINFO and GETREDIR are in client-tracking.ts.

import { bulk, error, integer, NULL, OK, verbatim, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E, subcommandSyntax } from '../../server/errors.ts'
import { parseBlockTimeout } from '../../server/blocking.ts'
import { isReply, parseLongLong, parseRangeLong } from '../args.ts'
import { helpReply } from '../server/help.ts'
import { setClientName } from './auth.ts'
import { clientInfoString, clientType, clientTypeByName, type ClientType } from './client-info.ts'
import { clientTrackingCommands } from './client-tracking.ts'

const HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
]

const unknownType = (name: string): Reply => error(`ERR Unknown client type '${name}'`)

/** getAllClientsInfoString: every client (of a type), one line each, in connection order. */
function allClientsInfo(self: Client, type: ClientType | undefined): string {
  let o = ''
  for (const cl of self.server.clients.values()) {
    if (type !== undefined && clientType(cl) !== type) continue
    o += clientInfoString(cl, self) + '\n'
  }
  return o
}

const id: CommandImpl = { name: 'client|id', run: (c) => integer(c.id) }

const info: CommandImpl = { name: 'client|info', run: (c) => verbatim(clientInfoString(c, c) + '\n') }

// CLIENT LIST [TYPE type | ID id [id ...]]
const list: CommandImpl = {
  name: 'client|list',
  run: (c, argv) => {
    if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
      const type = clientTypeByName(argv[3])
      if (type === undefined) return unknownType(argv[3])
      return verbatim(allClientsInfo(c, type))
    }
    if (argv.length >= 4 && argv[2].toLowerCase() === 'id') {
      // In argument order, repeats included; unknown ids are left out.
      let o = ''
      for (let j = 3; j < argv.length; j++) {
        const cid = parseLongLong(argv[j], 'Invalid client ID')
        if (isReply(cid)) return cid
        const cl = cid > 0n && cid <= BigInt(Number.MAX_SAFE_INTEGER) ? c.server.clients.get(Number(cid)) : undefined
        if (cl) o += clientInfoString(cl, c) + '\n'
      }
      return verbatim(o)
    }
    if (argv.length !== 2) return E.syntax
    return verbatim(allClientsInfo(c, undefined))
  },
}

// CLIENT KILL addr | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR addr] [LADDR addr] [SKIPME yes/no]
const kill: CommandImpl = {
  name: 'client|kill',
  run: (c, argv) => {
    let addr: string | undefined
    let laddr: string | undefined
    let type: ClientType | undefined
    let cid = 0n
    let skipme = true
    const oldForm = argv.length === 3
    if (oldForm) {
      addr = argv[2]
      // The old form may kill the caller itself.
      skipme = false
    } else {
      for (let i = 2; i < argv.length; i += 2) {
        const opt = argv[i].toLowerCase()
        const more = i + 1 < argv.length
        if (!more) return E.syntax
        const val = argv[i + 1]
        if (opt === 'id') {
          const n = parseRangeLong(val, 1n, 0x7fffffffffffffffn, 'client-id should be greater than 0')
          if (isReply(n)) return n
          cid = n
        } else if (opt === 'type') {
          type = clientTypeByName(val)
          if (type === undefined) return unknownType(val)
        } else if (opt === 'addr') {
          addr = val
        } else if (opt === 'laddr') {
          laddr = val
        } else if (opt === 'user') {
          // 'default' is the only user (no ACL SETUSER yet); names are case-sensitive.
          if (val !== 'default') return error(`ERR No such user '${val}'`)
        } else if (opt === 'skipme') {
          const v = val.toLowerCase()
          if (v === 'yes') skipme = true
          else if (v === 'no') skipme = false
          else return E.syntax
        } else {
          return E.syntax
        }
      }
    }
    let killed = 0
    let closeSelf = false
    for (const cl of [...c.server.clients.values()]) {
      if (addr !== undefined && cl.addr !== addr) continue
      if (laddr !== undefined && cl.laddr !== laddr) continue
      if (type !== undefined && clientType(cl) !== type) continue
      if (cid !== 0n && BigInt(cl.id) !== cid) continue
      if (cl === c && skipme) continue
      // Every client is the default user, so USER default (the only valid one) matches all.
      if (cl === c) closeSelf = true
      else c.server.disconnect(cl)
      killed++
    }
    // The caller is closed only after its reply is out.
    if (closeSelf) c.closeAfterReply = true
    if (oldForm) return killed === 0 ? error('ERR No such client') : OK
    return integer(killed)
  },
}

const getname: CommandImpl = { name: 'client|getname', run: (c) => (c.name === '' ? NULL : bulk(c.name)) }

const setname: CommandImpl = {
  name: 'client|setname',
  run: (c, argv) => setClientName(c, argv[2]) ?? OK,
}

// CLIENT REPLY ON|OFF|SKIP: OFF and SKIP send no reply of their own.
const reply: CommandImpl = {
  name: 'client|reply',
  run: (c, argv) => {
    const mode = argv[2].toLowerCase()
    if (mode === 'on') {
      c.replyOff = false
      c.replySkip = false
      c.replySkipNext = false
      return OK
    }
    if (mode === 'off') {
      c.replyOff = true
      return undefined
    }
    if (mode === 'skip') {
      if (!c.replyOff) c.replySkipNext = true
      return undefined
    }
    return E.syntax
  },
}

const noEvict: CommandImpl = {
  name: 'client|no-evict',
  run: (c, argv) => {
    const mode = argv[2].toLowerCase()
    if (mode === 'on') c.noEvict = true
    else if (mode === 'off') c.noEvict = false
    else return E.syntax
    return OK
  },
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: a client blocked in BLPOP, BZPOPMIN, WAIT...
// gets its timeout reply or an UNBLOCKED error.
const unblock: CommandImpl = {
  name: 'client|unblock',
  run: (c, argv) => {
    if (argv.length > 4) return subcommandSyntax(argv[1], argv[0])
    let asError = false
    if (argv.length === 4) {
      const why = argv[3].toLowerCase()
      if (why !== 'timeout' && why !== 'error') return error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR')
      asError = why === 'error'
    }
    const n = parseLongLong(argv[2])
    if (isReply(n)) return n
    const target = c.server.clients.get(Number(n))
    if (target === undefined || !c.server.blocking.unblockByCommand(target, asError)) return integer(0)
    return integer(1)
  },
}

// CLIENT PAUSE timeout [WRITE|ALL]: postpone clients' commands (all, or those
// that may write) until the time is up or CLIENT UNPAUSE.
const pause: CommandImpl = {
  name: 'client|pause',
  run: (c, argv) => {
    let type: 'write' | 'all' = 'all'
    if (argv.length === 4) {
      const mode = argv[3].toLowerCase()
      if (mode === 'write') type = 'write'
      else if (mode !== 'all') return error('ERR CLIENT PAUSE mode must be WRITE or ALL')
    } else if (argv.length > 4) {
      return subcommandSyntax(argv[1], argv[0])
    }
    const end = parseBlockTimeout(c, argv[2], 'milliseconds')
    if (isReply(end)) return end
    c.server.blocking.pause(type, end)
    return OK
  },
}

const unpause: CommandImpl = {
  name: 'client|unpause',
  run: (c) => {
    c.server.blocking.unpause()
    return OK
  },
}

const help: CommandImpl = { name: 'client|help', run: (_c, argv) => helpReply(argv[0], HELP) }

export const clientCommands: CommandImpl[] = [id, info, list, kill, getname, setname, reply, noEvict, unblock, pause, unpause, help, ...clientTrackingCommands]
