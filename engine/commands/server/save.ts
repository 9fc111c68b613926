// SAVE, BGSAVE [SCHEDULE], LASTSAVE (rdb.c saveCommand / bgsaveCommand,
// server.c lastsaveCommand) and DEBUG RELOAD (debug.c), over the server's
// persistence state (engine/persistence/snapshot.ts).

import { OK, error, integer, status, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { RdbLoadError, rdbLoadBytes } from '../../persistence/rdb.ts'
import { persistence } from '../../persistence/snapshot.ts'

const inProgress = error('ERR Background save already in progress')
// shared.err: a bare "-ERR".
const bareErr = error('ERR')
const anotherChild = error(
  "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
)

export const save: CommandImpl = {
  name: 'save',
  run: (c): Reply => {
    const p = persistence(c.server)
    // Only an RDB child is in the way: SAVE runs while an AOF rewrite does.
    if (p.childIs('rdb')) return inProgress
    return p.save() ? OK : bareErr
  },
}

export const bgsave: CommandImpl = {
  name: 'bgsave',
  run: (c, argv): Reply => {
    let schedule = false
    if (argv.length > 1) {
      if (argv.length === 2 && argv[1].toLowerCase() === 'schedule') schedule = true
      else return E.syntax
    }
    const p = persistence(c.server)
    if (p.childIs('rdb')) return inProgress
    // Another child (an AOF rewrite), or inside EXEC where a fork is never started (server.in_exec).
    if (p.child !== null || c.multi.executing) {
      if (schedule || c.multi.executing) {
        p.bgsaveScheduled = true
        return status('Background saving scheduled')
      }
      return anotherChild
    }
    return p.bgsave() ? status('Background saving started') : bareErr
  },
}

export const lastsave: CommandImpl = {
  name: 'lastsave',
  run: (c): Reply => integer(Math.floor(persistence(c.server).lastSaveMs / 1000)),
}

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the dataset, load the file back. */
export function debugReload(c: Client, argv: string[]): Reply {
  let flush = true
  let doSave = true
  let merge = false
  for (const a of argv.slice(2)) {
    const opt = a.toLowerCase()
    if (opt === 'merge') merge = true
    else if (opt === 'noflush') flush = false
    else if (opt === 'nosave') doSave = false
    else return error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.')
  }
  const server = c.server
  const p = persistence(server)
  if (doSave && !p.save()) return bareErr
  if (flush) server.flushAll()
  const data = p.storage.read(server.config.str('dbfilename'))
  if (data === null) return error('ERR Error trying to load the RDB dump, check server logs.')
  try {
    p.lastLoad = rdbLoadBytes(server, data, { log: p.log, allowDup: merge })
  } catch (e) {
    if (!(e instanceof RdbLoadError)) throw e
    for (const line of e.lines) p.log('warning', line)
    return error('ERR Error trying to load the RDB dump, check server logs.')
  }
  p.log('warning', 'DB reloaded by DEBUG RELOAD')
  return OK
}

export const saveCommands: CommandImpl[] = [save, bgsave, lastsave]
