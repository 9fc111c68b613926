// DEBUG (debug.c debugCommand, Redis 7.0.15): the subcommands that make sense
// for the engine. processCommand has already refused DEBUG unless
// enable-debug-command allows it. Subcommands that crash, reload or inspect C
// internals are not offered and answer like unknown ones.

import { error, OK, status, verbatim, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { E, subcommandSyntax } from '../../server/errors.ts'
import { changeReplId } from '../../server/info.ts'
import type { RObj } from '../../keyspace/object.ts'
import { jemallocSize, keySdsAvail, rawSdsState, rawSdsZmallocSize, sdsNewAllocSize } from '../../keyspace/memory.ts'
import { createStringObject, objectRefcount } from '../../types/string.ts'
import { memtoull, strtollFull } from '../../server/config.ts'
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH } from '../../keyspace/db.ts'
import type { Dict } from '../../structures/dict.ts'
import { setListPackedThreshold } from '../../types/list.ts'
import { dictGetStats, formatFixed2 } from './debug-htstats.ts'
import { isReply, parseLongLong, parsePositiveLong } from '../args.ts'
import { helpReply } from './help.ts'
import { rdbSavedObjectLen } from './serialized-length.ts'
import { debugReload } from './save.ts'
import { debugLoadAof } from './aof.ts'

const HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
]

// "%p" of a value: a stable, made-up address per object (real ones are random by nature).
const addresses = new WeakMap<RObj, string>()
let nextAddress = 0x7f3a5c000000
function addressOf(o: RObj): string {
  let a = addresses.get(o)
  if (a === undefined) {
    nextAddress += 0x30
    a = `0x${nextAddress.toString(16)}`
    addresses.set(o, a)
  }
  return a
}

/** strtod(s, NULL): the longest numeric prefix, 0 when there is none. */
function strtodPrefix(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:inf(?:inity)?|nan|0x[0-9a-f]*(?:\.[0-9a-f]*)?(?:p[+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i.exec(s)
  if (!m) return 0
  const t = m[1].toLowerCase()
  const sign = t.startsWith('-') ? -1 : 1
  const body = t.replace(/^[+-]/, '')
  if (body.startsWith('inf')) return sign * Infinity
  if (body === 'nan') return NaN
  if (body.startsWith('0x')) {
    const hm = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(body)!
    const int = hm[1] || '0'
    const frac = hm[2] ?? ''
    const v = (parseInt(int + frac || '0', 16) / 16 ** frac.length) * 2 ** Number(hm[3] ?? 0)
    return sign * v
  }
  return sign * Number(body)
}

/** atoi: strtol truncated to an int. */
function atoi(s: string): number {
  return Number(BigInt.asIntN(32, strtollFull(s, 10).value))
}

function debugObject(c: Client, key: string): Reply {
  const o = c.db.dict.get(key)
  if (o === undefined) return E.noSuchKey
  const server = c.server
  const serialized = rdbSavedObjectLen(o, server.config.bool('rdbcompression'))
  const idle = Math.floor(server.idleTimeMs(o) / 1000)
  let extra = ''
  if (o.type === 'list') {
    // The quicklist fields debug.c appends (a list in the keyspace is never empty: len > 0).
    const ql = o.value
    let sz = 0
    for (const n of ql.nodes()) sz += n.size
    extra = ` ql_nodes:${ql.len} ql_avg_node:${formatFixed2(ql.count / ql.len)} ql_listpack_max:${ql.fill} ql_compressed:${ql.compressDepthValue !== 0 ? 1 : 0} ql_uncompressed_size:${sz}`
  }
  return status(
    `Value at:${addressOf(o)} refcount:${objectRefcount(o)} encoding:${o.encoding} serializedlength:${serialized} lru:${o.lru} lru_seconds_idle:${idle}${extra}`,
  )
}

/** DEBUG QUICKLIST-PACKED-THRESHOLD: one value for the whole server, as Redis's static (existing lists included). */
function debugPackedThreshold(c: Client, arg: string): Reply {
  const sz = memtoull(arg)
  if (sz === null || !setListPackedThreshold(c.server, Number(sz))) {
    return error('ERR argument must be a memory value bigger than 1 and smaller than 4gb')
  }
  for (const db of c.server.dbs) {
    for (const o of db.dict.values()) if (o.type === 'list') o.value.setPackedThreshold(Number(sz))
  }
  return OK
}

/** DEBUG LISTPACK / QUICKLIST: Redis prints the structure on its stdout; the engine has none, the replies are the same. */
function debugPrintStructure(c: Client, key: string, encoding: 'listpack' | 'quicklist'): Reply {
  const o = c.db.lookup(key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY)
  if (o === undefined) return E.noSuchKey
  if (o.encoding !== encoding) return error(`ERR Not a ${encoding} encoded object.`)
  return status(encoding === 'listpack' ? 'Listpack structure printed on stdout' : 'Quicklist structure printed on stdout')
}

function debugHtstats(c: Client, arg: string): Reply {
  const dbid = parseLongLong(arg)
  if (isReply(dbid)) return dbid
  const db = dbid < 0n || dbid >= BigInt(c.server.dbs.length) ? undefined : c.server.dbs[Number(dbid)]
  if (db === undefined) return error('ERR Out of range database')
  return verbatim(`[Dictionary HT]\n${dictGetStats(db.dict)}[Expires HT]\n${dictGetStats(db.expires)}`)
}

function debugHtstatsKey(c: Client, key: string): Reply {
  const o = c.db.lookup(key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY)
  if (o === undefined) return E.noSuchKey
  let d: Dict<string, unknown> | undefined
  if (o.encoding === 'hashtable') d = o.value as Dict<string, unknown>
  else if (o.type === 'zset' && o.encoding === 'skiplist') d = o.value.dict
  if (d === undefined) return error('ERR The value stored at the specified key is not represented using an hash table')
  return verbatim(dictGetStats(d))
}

function debugSdslen(c: Client, key: string): Reply {
  const o = c.db.dict.get(key)
  if (o === undefined) return E.noSuchKey
  if (o.type !== 'string' || o.encoding === 'int') return error('ERR Not an sds encoded string.')
  const len = o.value.length
  // An embstr's sds lives in the object's allocation, right after the robj.
  const valAvail = o.encoding === 'raw' ? rawSdsState(o).alloc - len : 0
  const valZmalloc = o.encoding === 'raw' ? rawSdsZmallocSize(o) : jemallocSize(16 + 3 + len + 1) - 16
  return status(
    `key_sds_len:${key.length}, key_sds_avail:${keySdsAvail(key.length)}, key_zmalloc: ${sdsNewAllocSize(key.length)}, ` +
      `val_sds_len:${len}, val_sds_avail:${valAvail}, val_zmalloc: ${valZmalloc}`,
  )
}

/** DEBUG SLEEP: Redis blocks its only thread, so the engine blocks the host's. */
function debugSleep(c: Client, arg: string): Reply {
  const seconds = strtodPrefix(arg)
  const us = seconds * 1_000_000
  // The conversion to long long of an out-of-range or NaN product gives a negative number: no sleep.
  if (Number.isFinite(us) && Math.abs(us) < 2 ** 63) {
    const whole = Math.trunc(us)
    if (whole > 0) c.server.clock.sleep?.(whole / 1000)
  }
  return OK
}

/** DEBUG POPULATE count [prefix] [size]: string keys prefix:N holding value:N (cut or zero-padded to size). */
function debugPopulate(c: Client, argv: string[]): Reply {
  const count = parsePositiveLong(argv[2])
  if (isReply(count)) return count
  let size = 0
  if (argv.length === 5) {
    const s = parsePositiveLong(argv[4])
    if (isReply(s)) return s
    size = Number(s)
  }
  const prefix = argv.length === 3 ? 'key' : argv[3]
  const db = c.db
  for (let j = 0; j < Number(count); j++) {
    // snprintf into a 128-byte buffer.
    const key = `${prefix}:${j}`.slice(0, 127)
    if (db.lookupWrite(key) !== undefined) continue
    const text = `value:${j}`
    const value = size === 0 ? text : size <= text.length ? text.slice(0, size) : text + '\0'.repeat(size - text.length)
    db.add(key, createStringObject(value))
    c.server.signalModifiedKey(db, key)
  }
  return OK
}

export const debug: CommandImpl = {
  name: 'debug',
  run: (c, argv) => {
    const sub = argv[1].toLowerCase()
    const n = argv.length
    if (sub === 'help' && n === 2) return helpReply(argv[0], HELP)
    if (sub === 'object' && n === 3) return debugObject(c, argv[2])
    if (sub === 'reload') return debugReload(c, argv)
    if (sub === 'loadaof' && n === 2) return debugLoadAof(c)
    if (sub === 'sdslen' && n === 3) return debugSdslen(c, argv[2])
    if (sub === 'sleep' && n === 3) return debugSleep(c, argv[2])
    if (sub === 'set-active-expire' && n === 3) {
      c.server.config.apply('active-expire-enabled', atoi(argv[2]) !== 0 ? 'yes' : 'no')
      return OK
    }
    if (sub === 'populate' && n >= 3 && n <= 5) return debugPopulate(c, argv)
    if (sub === 'quicklist-packed-threshold' && n === 3) return debugPackedThreshold(c, argv[2])
    if (sub === 'listpack' && n === 3) return debugPrintStructure(c, argv[2], 'listpack')
    if (sub === 'quicklist' && (n === 3 || n === 4)) return debugPrintStructure(c, argv[2], 'quicklist')
    if (sub === 'htstats' && n === 3) return debugHtstats(c, argv[2])
    if (sub === 'htstats-key' && n === 3) return debugHtstatsKey(c, argv[2])
    // The engine keeps no log; the message is accepted and dropped.
    if (sub === 'log' && n === 3) return OK
    if (sub === 'change-repl-id' && n === 2) {
      changeReplId(c.server)
      return OK
    }
    return subcommandSyntax(argv[1], argv[0])
  },
}
