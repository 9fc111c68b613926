// RDB files (rdb.c rdbSaveRio / rdbLoadRio, Redis 7.0.15): version 10, the
// magic "REDIS0010", AUX fields, SELECTDB + RESIZEDB per non-empty database,
// each key with its expire time and IDLE/FREQ per maxmemory policy, EOF and
// the CRC-64 trailer. Values themselves go through rdb-value.ts.
//
// The writer is incremental so the simulated fork (snapshot.ts) can emit a
// file key by key; SAVE writes everything at once through the same code.
// The loader does Redis's checks and reports problems with Redis's exact log
// lines (RdbLoadError.lines), so hosts can print them as redis-server does.

import type { RObj } from '../keyspace/object.ts'
import { LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION } from '../keyspace/object.ts'
import type { ExpireTime } from '../keyspace/db.ts'
import type { Server } from '../server/server.ts'
import { Crc64 } from '../structures/crc64.ts'
import {
  RDB_VERSION,
  RdbEmptyKeyError,
  RdbError,
  RdbReader,
  RdbWriter,
  bytesToByteString,
  deepSanitization,
  rdbIsObjectType,
  rdbLoadObject,
  rdbObjectType,
  rdbSaveObject,
} from './rdb-value.ts'

// ---------------------------------------------------------------- opcodes (rdb.h)

export const RDB_OPCODE_FUNCTION2 = 245
export const RDB_OPCODE_FUNCTION_PRE_GA = 246
export const RDB_OPCODE_MODULE_AUX = 247
export const RDB_OPCODE_IDLE = 248
export const RDB_OPCODE_FREQ = 249
export const RDB_OPCODE_AUX = 250
export const RDB_OPCODE_RESIZEDB = 251
export const RDB_OPCODE_EXPIRETIME_MS = 252
export const RDB_OPCODE_EXPIRETIME = 253
export const RDB_OPCODE_SELECTDB = 254
export const RDB_OPCODE_EOF = 255

/** The version string written in the redis-ver aux field. */
export const REDIS_VERSION = '7.0.15'

/** What the file header says beyond the fixed fields. */
export interface RdbHeaderInfo {
  /** ctime: unix ms now (written in seconds). */
  nowMs: number
  /** used-mem: the modelled used_memory at save time. */
  usedMem: number
  /** aof-base: 1 when the file is the base of a multi-part AOF. */
  aofBase?: boolean
}

/** Which access-clock hint rdbSaveKeyValuePair writes for the policy. */
export function accessHint(policy: string): 'idle' | 'freq' | 'none' {
  if (policy === 'allkeys-lru' || policy === 'volatile-lru') return 'idle'
  if (policy === 'allkeys-lfu' || policy === 'volatile-lfu') return 'freq'
  return 'none'
}

// ---------------------------------------------------------------- writer

/**
 * Writes an RDB file piece by piece. take() hands out the bytes produced so
 * far (feeding the running CRC), so a caller may append them to a file as it
 * goes; end() adds EOF and the checksum (zeros with rdbchecksum no).
 */
export class RdbFileWriter {
  private out = new RdbWriter(4096)
  private readonly crc = new Crc64()
  private readonly hint: 'idle' | 'freq' | 'none'
  readonly compression: boolean
  readonly checksum: boolean
  /** Bytes handed out by take() so far. */
  written = 0
  private crcDone = false

  constructor(private readonly server: Server) {
    this.compression = server.config.bool('rdbcompression')
    this.checksum = server.config.bool('rdbchecksum')
    this.hint = accessHint(server.config.str('maxmemory-policy'))
  }

  /** Bytes buffered and not yet taken. */
  get pending(): number {
    return this.out.length
  }

  /** rdbSaveAuxFieldStrStr. */
  aux(key: string, value: string): void {
    this.out.byte(RDB_OPCODE_AUX)
    this.out.rawString(key, this.compression)
    this.out.rawString(value, this.compression)
  }

  /** The magic and rdbSaveInfoAuxFields (a master without replicas writes no repl-* fields, like 7.0). */
  header(info: RdbHeaderInfo): void {
    this.out.byteString(`REDIS${String(RDB_VERSION).padStart(4, '0')}`)
    this.aux('redis-ver', REDIS_VERSION)
    this.aux('redis-bits', '64')
    this.aux('ctime', String(Math.floor(info.nowMs / 1000)))
    this.aux('used-mem', String(info.usedMem))
    this.aux('aof-base', info.aofBase ? '1' : '0')
  }

  /** SELECTDB and RESIZEDB before a database's keys. */
  selectDb(id: number, size: number, expires: number): void {
    this.out.byte(RDB_OPCODE_SELECTDB)
    this.out.len(id)
    this.out.byte(RDB_OPCODE_RESIZEDB)
    this.out.len(size)
    this.out.len(expires)
  }

  /** rdbSaveKeyValuePair: expire time, IDLE or FREQ per policy, type, key, value. */
  keyValue(key: string, o: RObj, expire: ExpireTime): void {
    this.keyPrefix(key, o, rdbObjectType(o), expire)
    rdbSaveObject(this.out, o, this.compression)
  }

  /** keyValue with the value already serialised (a copy taken before the parent changed it). */
  keyValueBytes(key: string, o: RObj, type: number, value: Uint8Array, expire: ExpireTime): void {
    this.keyPrefix(key, o, type, expire)
    this.out.bytes(value)
  }

  private keyPrefix(key: string, o: RObj, type: number, expire: ExpireTime): void {
    const out = this.out
    if (expire !== -1) {
      out.byte(RDB_OPCODE_EXPIRETIME_MS)
      out.millisecondTime(expire)
    }
    if (this.hint === 'idle') {
      // Seconds are precise enough (and smaller), as in Redis.
      out.byte(RDB_OPCODE_IDLE)
      out.len(Math.floor(this.server.idleTimeMs(o) / 1000))
    } else if (this.hint === 'freq') {
      out.byte(RDB_OPCODE_FREQ)
      out.byte(this.server.lfuDecrAndReturn(o))
    }
    out.byte(type)
    out.rawString(key, this.compression)
  }

  /** EOF and the 8-byte CRC-64 (little endian) of everything before it. */
  end(): void {
    this.out.byte(RDB_OPCODE_EOF)
    const tail = this.out.view()
    this.crc.update(tail)
    const sum = this.checksum ? this.crc.bytesLE() : new Uint8Array(8)
    const last = new RdbWriter(tail.length + 8)
    last.bytes(tail)
    this.out = last
    // The checksum bytes are not part of what the checksum covers.
    this.out.bytes(sum)
    this.crcDone = true
  }

  /** The bytes produced since the last take(). */
  take(): Uint8Array {
    const b = this.out.toBytes()
    if (!this.crcDone) this.crc.update(b)
    this.out = new RdbWriter(4096)
    this.written += b.length
    return b
  }
}

/** rdbSaveRio over the whole dataset: the complete file in memory. */
export function rdbSaveToBytes(server: Server, info: RdbHeaderInfo): Uint8Array {
  const w = new RdbFileWriter(server)
  w.header(info)
  const chunks: Uint8Array[] = []
  let total = 0
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue
    w.selectDb(db.id, db.dict.size, db.expires.size)
    const expires = db.expires
    const hasExpires = expires.size > 0
    db.dict.forEach((o, key) => {
      w.keyValue(key, o, hasExpires ? (expires.get(key) ?? -1) : -1)
      // Hand out in slices so the buffer never has to double past a few MB.
      if (w.pending > 1 << 22) {
        const b = w.take()
        chunks.push(b)
        total += b.length
      }
    })
  }
  w.end()
  const b = w.take()
  chunks.push(b)
  total += b.length
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(total)
  let p = 0
  for (const c of chunks) {
    out.set(c, p)
    p += c.length
  }
  return out
}

// ---------------------------------------------------------------- loading

export type RdbLogLevel = 'debug' | 'verbose' | 'notice' | 'warning'
export type RdbLog = (level: RdbLogLevel, msg: string) => void

/**
 * A file rdbLoadRio refused. `lines` are the warnings redis-server logs (in
 * order); `errno` is set where rdbLoad returns with errno (bad signature or
 * version: "Invalid argument"), in which case the server goes on to log
 * "Fatal error loading the DB: Invalid argument. Exiting.".
 */
export class RdbLoadError extends Error {
  constructor(
    readonly reason: string,
    readonly lines: string[],
    readonly errno?: string,
  ) {
    super(reason)
    this.name = 'RdbLoadError'
  }
}

export interface RdbLoadResult {
  version: number
  keysLoaded: number
  keysExpired: number
  emptyKeysSkipped: number
  /** AUX fields as read (redis-ver, ctime, used-mem, ...). */
  aux: Map<string, string>
  /** Where the file ended (after the checksum): an old-style AOF continues with commands there. */
  bytesRead: number
}

export interface RdbLoadOptions {
  /** Where log lines go (notice lines like "Loading RDB produced by version ..."). */
  log?: RdbLog
  /** Unix ms used for the RDB age and to drop keys already expired; default: the server clock. */
  nowMs?: number
  /** Keep keys whose expire time has passed (an AOF preamble or a replica). Default false (a master drops them). */
  keepExpired?: boolean
  /** RDBFLAGS_ALLOW_DUP (DEBUG RELOAD MERGE): a key already present is replaced instead of being fatal. */
  allowDup?: boolean
}

// Line numbers of rdb.c 7.0.15 that redis-server prints in its error reports.
const LINE_EOF = 3249
const LINE_CRC = 3225

/**
 * rdbLoadRio: loads an RDB file into the server's databases (which the
 * caller has emptied, unless it merges). Throws RdbLoadError with Redis's log
 * lines when the file is refused; keys loaded before the error stay (Redis
 * exits at that point).
 */
export function rdbLoadBytes(server: Server, data: Uint8Array, opts: RdbLoadOptions = {}): RdbLoadResult {
  const log: RdbLog = opts.log ?? (() => {})
  const nowMs = opts.nowMs ?? server.clock.nowMs()
  const r = new RdbReader(data)
  const interval = server.config.num('loading-process-events-interval-bytes')
  // server.loading_loaded_bytes: advanced by the progress callback every `interval` bytes read.
  const loadedBytes = (): number => Math.floor(r.pos / interval) * interval
  const internal = (line: number, reason: string): string =>
    `Internal error in RDB reading offset ${loadedBytes()}, function at rdb.c:${line} -> ${reason}`
  const eof = (): RdbLoadError =>
    new RdbLoadError('Unexpected EOF reading RDB file', [
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      internal(LINE_EOF, 'Unexpected EOF reading RDB file'),
    ])
  const result: RdbLoadResult = { version: 0, keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, aux: new Map(), bytesRead: 0 }

  if (data.length < 9) throw eof()
  const magic = bytesToByteString(data.subarray(0, 9))
  if (magic.slice(0, 5) !== 'REDIS') {
    throw new RdbLoadError('Wrong signature', ['Wrong signature trying to load DB from file'], 'Invalid argument')
  }
  // atoi: leading digits only.
  const m = /^[ \t\n\v\f\r]*([+-]?\d*)/.exec(magic.slice(5))
  const version = m && m[1] !== '' && m[1] !== '+' && m[1] !== '-' ? parseInt(m[1], 10) : 0
  if (version < 1 || version > RDB_VERSION) {
    throw new RdbLoadError('Bad version', [`Can't handle RDB format version ${version}`], 'Invalid argument')
  }
  result.version = version
  r.pos = 9

  const ctx = { server, deep: deepSanitization(server, false) }
  const hint = server.lfuPolicy()
  let db = server.dbs[0]
  let expire: ExpireTime = -1
  let lfuFreq = -1
  let lruIdle = -1
  const lruClock = server.lruClock()

  try {
    for (;;) {
      const type = r.byte()
      if (type === RDB_OPCODE_EXPIRETIME) {
        // Old seconds form: a signed 32-bit time_t, little endian.
        const b = r.bytes(4)
        expire = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) * 1000
        continue
      }
      if (type === RDB_OPCODE_EXPIRETIME_MS) {
        const t = r.millisecondTime()
        expire = t >= BigInt(Number.MIN_SAFE_INTEGER) && t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : t
        continue
      }
      if (type === RDB_OPCODE_FREQ) {
        lfuFreq = r.byte()
        continue
      }
      if (type === RDB_OPCODE_IDLE) {
        lruIdle = r.len()
        continue
      }
      if (type === RDB_OPCODE_EOF) break
      if (type === RDB_OPCODE_SELECTDB) {
        const id = r.len()
        if (id >= server.dbs.length) {
          throw new RdbLoadError('Too many databases', [
            `FATAL: Data file was created with a Redis server configured to handle more than ${server.dbs.length} databases. Exiting\n`,
          ])
        }
        db = server.dbs[id]
        continue
      }
      if (type === RDB_OPCODE_RESIZEDB) {
        const size = r.len()
        const expires = r.len()
        // dictExpand for what is announced (bounded: a lie cannot allocate more than the file could hold).
        if (size > 4 && size <= r.remaining) db.dict.expand(size)
        if (expires > 4 && expires <= r.remaining) db.expires.expand(expires)
        continue
      }
      if (type === RDB_OPCODE_AUX) {
        const key = r.string()
        const val = r.string()
        result.aux.set(key, val)
        if (key.startsWith('%')) {
          // Informational fields meant for the log.
          log('notice', `RDB '${key}': ${val}`)
        } else if (key === 'repl-stream-db' || key === 'repl-id' || key === 'repl-offset' || key === 'lua') {
          // Replication info (no replication here) and old Lua scripts (7.0 no longer loads them).
        } else if (key === 'redis-ver') {
          log('notice', `Loading RDB produced by version ${val}`)
        } else if (key === 'ctime') {
          let age = Math.floor(nowMs / 1000) - (parseInt(val, 10) || 0)
          if (age < 0) age = 0
          log('notice', `RDB age ${age} seconds`)
        } else if (key === 'used-mem') {
          const used = parseInt(val, 10) || 0
          log('notice', `RDB memory usage when created ${(used / (1024 * 1024)).toFixed(2)} Mb`)
        } else if (key === 'aof-base') {
          // The base file of a multi-part AOF says so (strtoll of the value).
          if ((parseInt(val, 10) || 0) !== 0) log('notice', 'RDB is base AOF')
        } else if (key === 'aof-preamble' || key === 'redis-bits') {
          // Nothing to do when loading a plain RDB.
        } else {
          log('debug', `Unrecognized RDB AUX field: '${key}'`)
        }
        continue
      }
      if (type === RDB_OPCODE_MODULE_AUX) {
        // No modules: any module aux data is data this server cannot load, and Redis exits.
        const moduleId = r.lenBig()
        throw new RdbLoadError('Module aux data', [
          `The RDB file contains AUX module data I can't load: no matching module '${moduleName(moduleId)}'`,
        ])
      }
      if (type === RDB_OPCODE_FUNCTION_PRE_GA) {
        throw new RdbLoadError('Pre-release function format not supported.', [
          internal(0, 'Pre-release function format not supported.'),
        ])
      }
      if (type === RDB_OPCODE_FUNCTION2) {
        // rdbFunctionLoad fails (no function engine here), then the eoferr path.
        r.string()
        const e = eof()
        e.lines.unshift('Failed loading library, Glassbox has no function engine (FUNCTION is not supported)')
        throw e
      }
      if (!rdbIsObjectType(type)) {
        throw new RdbLoadError(`Unknown RDB encoding type ${type}`, [internal(0, `Unknown RDB encoding type ${type}`)])
      }

      const key = r.string()
      let val: RObj
      try {
        val = rdbLoadObject(type, r, ctx)
      } catch (e) {
        if (e instanceof RdbEmptyKeyError) {
          if (result.emptyKeysSkipped++ < 10) log('notice', `rdbLoadObject skipping empty key: ${key}`)
          expire = -1
          lfuFreq = lruIdle = -1
          continue
        }
        throw e
      }

      if (!opts.keepExpired && expire !== -1 && expire < nowMs) {
        // A master drops keys that expired while the file sat on disk.
        result.keysExpired++
      } else {
        if (opts.allowDup && db.dict.has(key)) db.delete(key)
        if (!db.dict.add(key, val)) {
          throw new RdbLoadError('Duplicated key found in RDB file', [`RDB has duplicated key '${key}' in DB ${db.id}`])
        }
        if (expire !== -1) db.expires.set(key, expire)
        setAccessClock(server, val, hint, lfuFreq, lruIdle, lruClock)
        result.keysLoaded++
      }
      expire = -1
      lfuFreq = lruIdle = -1
    }

    if (version >= 5) {
      const expected = new Crc64().update(data, 0, r.pos)
      const stored = r.bytes(8)
      if (server.config.bool('rdbchecksum')) {
        let zero = true
        for (const b of stored) if (b !== 0) zero = false
        if (zero) {
          log('notice', 'RDB file was saved with checksum disabled: no check performed.')
        } else if (!expected.matchesLE(stored, 0)) {
          const got = new DataView(stored.buffer, stored.byteOffset, 8).getBigUint64(0, true)
          throw new RdbLoadError('RDB CRC error', [
            `Wrong RDB checksum expected: (${expected.value().toString(16)}) but got (${got.toString(16)}). Aborting now.`,
            internal(LINE_CRC, 'RDB CRC error'),
          ])
        }
      }
    }
    result.bytesRead = r.pos
  } catch (e) {
    if (e instanceof RdbLoadError) throw e
    if (e instanceof RdbError && e.message === 'short read') throw eof()
    if (e instanceof Error) {
      // A value rdbLoadObject refused: reported as corruption, then Redis stops.
      throw new RdbLoadError(e.message, [internal(0, e.message)])
    }
    throw e
  }

  if (result.emptyKeysSkipped > 0) {
    log(
      'warning',
      `Done loading RDB, keys loaded: ${result.keysLoaded}, keys expired: ${result.keysExpired}, empty keys skipped: ${result.emptyKeysSkipped}.`,
    )
  } else {
    log('notice', `Done loading RDB, keys loaded: ${result.keysLoaded}, keys expired: ${result.keysExpired}.`)
  }
  return result
}

/**
 * objectSetLRUOrLFU(val, lfu_freq, lru_idle, lru_clock, 1000): a FREQ becomes
 * the LFU counter, an IDLE moves the LRU clock back; otherwise the object
 * counts as just created.
 */
function setAccessClock(server: Server, o: RObj, lfu: boolean, freq: number, idle: number, lruClock: number): void {
  server.initAccess(o)
  if (lfu) {
    if (freq >= 0) o.lru = (server.lfuTimeInMinutes() << 8) | freq
  } else if (idle >= 0) {
    let abs = lruClock - Math.floor((idle * 1000) / LRU_CLOCK_RESOLUTION)
    if (abs < 0) abs += LRU_CLOCK_MAX
    o.lru = abs & LRU_CLOCK_MAX
  }
}

/** moduleTypeNameByID: the 9-char name packed in the top 54 bits of a module type id. */
function moduleName(id: bigint): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let name = ''
  let v = id >> 10n
  for (let i = 0; i < 9; i++) {
    name = chars[Number(v & 63n)] + name
    v >>= 6n
  }
  return name
}
