// BGREWRITEAOF (aof.c bgrewriteaofCommand) and DEBUG LOADAOF (debug.c), over
// the server's AOF state (engine/persistence/aof.ts).

import { OK, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { aof } from '../../persistence/aof.ts'
import { AofManifestError } from '../../persistence/aof-manifest.ts'

export const bgrewriteaof: CommandImpl = {
  name: 'bgrewriteaof',
  // Inside EXEC a fork is never started: it is scheduled (server.in_exec).
  run: (c): Reply => aof(c.server).bgrewriteaofCommand(c.multi.executing),
}

/**
 * DEBUG LOADAOF: flush the AOF buffer, empty the dataset, read the manifest
 * again and load every file. Anything but a clean (or empty) load makes Redis
 * exit(1); the caller then gets no reply.
 */
export function debugLoadAof(c: Client): Reply | undefined {
  const server = c.server
  const a = aof(server)
  if (a.state !== 'off') a.flush(true)
  server.flushAll()
  try {
    a.loadManifestFromDisk()
  } catch (e) {
    if (!(e instanceof AofManifestError)) throw e
    for (const l of e.lines) a.p.log('warning', l)
    a.exit(1)
    return undefined
  }
  a.delHistoryFiles()
  const status = a.loadAppendOnlyFiles()
  if (status !== 'ok' && status !== 'empty') {
    a.exit(1)
    return undefined
  }
  // Nothing loaded counts as a change to propagate or save.
  server.dirty = 0
  a.p.log('warning', 'Append Only File loaded by DEBUG LOADAOF')
  return OK
}

export const aofCommands: CommandImpl[] = [bgrewriteaof]
