// addReplyHelp (networking.c): the reply of every "<CMD> HELP" subcommand, one
// status line each, framed by a header naming the command and a HELP footer.

import { array, status, type Reply } from '../../protocol/reply.ts'

/** The help reply for a container command; `typed` is the command name as the client typed it. */
export function helpReply(typed: string, lines: readonly string[]): Reply {
  return array([
    status(`${typed.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`),
    ...lines.map(status),
    status('HELP'),
    status('    Prints this help.'),
  ])
}
