// Authentication of the 'default' user (requirepass) and client names, shared by
// HELLO, AUTH and CLIENT SETNAME; the AUTH command itself.

import { error, OK, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'

/** ACLAuthenticateUser for a server whose only user is 'default'. */
export function checkPassword(c: Client, user: string, pass: string): boolean {
  if (user !== 'default') return false
  const required = c.server.config.str('requirepass')
  // With no requirepass the default user is 'nopass': any password works.
  return required === '' || pass === required
}

/** clientSetName: names may not contain spaces or special characters; '' clears it. */
export function setClientName(c: Client, name: string): Reply | undefined {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i)
    if (ch < 33 || ch > 126) {
      return error('ERR Client names cannot contain spaces, newlines or special characters.')
    }
  }
  c.name = name
  return undefined
}

// AUTH [username] password (authCommand). The one-argument form means the
// 'default' user and, as before ACLs, is an error when that user has no password.
export const auth: CommandImpl = {
  name: 'auth',
  run: (c, argv) => {
    if (argv.length > 3) return E.syntax
    let user = 'default'
    let pass: string
    if (argv.length === 2) {
      if (c.server.config.str('requirepass') === '') return E.authNotConfigured
      pass = argv[1]
    } else {
      user = argv[1]
      pass = argv[2]
    }
    // A failed attempt leaves the client as it was (ACLAuthenticateUser).
    if (!checkPassword(c, user, pass)) return E.wrongPass
    c.authenticated = true
    return OK
  },
}
