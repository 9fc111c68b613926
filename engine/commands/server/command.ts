// COMMAND and its subcommands (server.c commandCommand & co., Redis 7.0.15),
// built from the generated command table. Only implemented commands are
// listed, counted or described: a command the engine lacks is unknown to it.
//
// Redis lists commands in the order of its command dict (random per process);
// the engine lists them by name.

import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import {
  commandCountReply,
  commandDocsListReply,
  commandGetKeysReply,
  commandInfoListReply,
  commandListReply,
  type CommandListFilter,
} from '../../server/command-metadata.ts'
import { E } from '../../server/errors.ts'
import { globMatch } from '../../structures/glob.ts'
import { helpReply } from './help.ts'

const implemented = (c: Client) => c.server.commands.isImplemented

/** COMMAND: COMMAND INFO of every command. */
export const command: CommandImpl = {
  name: 'command',
  run: (c) => commandInfoListReply([], implemented(c)),
}

export const commandCount: CommandImpl = {
  name: 'command|count',
  run: (c) => commandCountReply(implemented(c)),
}

export const commandInfo: CommandImpl = {
  name: 'command|info',
  run: (c, argv) => commandInfoListReply(argv.slice(2), implemented(c)),
}

export const commandDocs: CommandImpl = {
  name: 'command|docs',
  run: (c, argv) => commandDocsListReply(argv.slice(2), implemented(c)),
}

/** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]. */
export const commandList: CommandImpl = {
  name: 'command|list',
  run: (c, argv) => {
    let filter: CommandListFilter | undefined
    for (let i = 2; i < argv.length; i++) {
      const more = argv.length - 1 - i
      if (argv[i].toLowerCase() === 'filterby' && more === 2) {
        const type = argv[i + 1].toLowerCase()
        const arg = argv[i + 2]
        if (type === 'module') filter = { type: 'module', name: arg }
        else if (type === 'aclcat') filter = { type: 'aclcat', category: arg }
        else if (type === 'pattern') filter = { type: 'pattern', match: (name) => globMatch(arg, name, true) }
        else return E.syntax
        i += 2
      } else {
        return E.syntax
      }
    }
    return commandListReply(implemented(c), filter)
  },
}

export const commandGetkeys: CommandImpl = {
  name: 'command|getkeys',
  run: (c, argv) => commandGetKeysReply(argv.slice(2), false, implemented(c)),
}

export const commandGetkeysandflags: CommandImpl = {
  name: 'command|getkeysandflags',
  run: (c, argv) => commandGetKeysReply(argv.slice(2), true, implemented(c)),
}

export const commandHelp: CommandImpl = {
  name: 'command|help',
  run: (_c, argv) =>
    helpReply(argv[0], [
      '(no subcommand)',
      '    Return details about all Redis commands.',
      'COUNT',
      '    Return the total number of commands in this Redis server.',
      'LIST',
      '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]',
      '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]',
      '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>',
      '    Return the keys from a full Redis command.',
      'GETKEYSANDFLAGS <full-command>',
      '    Return the keys and the access flags from a full Redis command.',
    ]),
}

export const commandCommands: CommandImpl[] = [
  command,
  commandCount,
  commandInfo,
  commandDocs,
  commandList,
  commandGetkeys,
  commandGetkeysandflags,
  commandHelp,
]
