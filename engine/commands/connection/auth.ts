// Authentication of the 'default' user (requirepass) and client names, shared by
// HELLO, AUTH and CLIENT SETNAME.

import { error, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'

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
