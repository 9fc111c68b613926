// OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP (object.c objectCommand).
// Lookups neither touch the key nor fire key-miss events, but do count
// keyspace hits and misses (objectCommandLookup). A missing key is a null.

import { NULL, integer, status, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH } from '../../keyspace/db.ts'
import type { RObj } from '../../keyspace/object.ts'
import { bulk, array } from '../../protocol/reply.ts'
import { objectRefcount } from '../../types/string.ts'

function lookup(c: Client, key: string): RObj | undefined {
  return c.db.lookup(key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY)
}

function withObject(fn: (c: Client, o: RObj) => Reply): CommandImpl['run'] {
  return (c, argv) => {
    const o = lookup(c, argv[2])
    return o === undefined ? NULL : fn(c, o)
  }
}

export const objectEncoding: CommandImpl = {
  name: 'object|encoding',
  run: withObject((_c, o) => bulk(o.encoding)),
}

export const objectRefcountCmd: CommandImpl = {
  name: 'object|refcount',
  run: withObject((_c, o) => integer(objectRefcount(o))),
}

export const objectIdletime: CommandImpl = {
  name: 'object|idletime',
  run: withObject((c, o) => {
    if (c.server.lfuPolicy()) return E.lfuSelected
    return integer(Math.floor(c.server.idleTimeMs(o) / 1000))
  }),
}

export const objectFreq: CommandImpl = {
  name: 'object|freq',
  run: withObject((c, o) => {
    if (!c.server.lfuPolicy()) return E.lfuNotSelected
    // Decay first: the counter is only updated when the key is accessed.
    return integer(c.server.lfuDecrAndReturn(o))
  }),
}

const HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
]

/** addReplyHelp: a header naming the command, the lines, then HELP's own entry, all status replies. */
export function helpReply(command: string, lines: readonly string[]): Reply {
  return array([
    status(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`),
    ...lines.map(status),
    status('HELP'),
    status('    Prints this help.'),
  ])
}

export const objectHelp: CommandImpl = {
  name: 'object|help',
  run: () => helpReply('OBJECT', HELP),
}
