// RDB persistence around the server (rdb.c rdbSave / rdbSaveBackground /
// backgroundSaveDoneHandler, server.c serverCron's save points): SAVE, the
// simulated fork behind BGSAVE, copy-on-write accounting, the MISCONF rule,
// loading at start and DEBUG RELOAD's save-and-load.
//
// The simulated fork: BGSAVE freezes a view of every database (key names,
// value references and expire times, in dict order) and a "child" writes it
// out step by step from the cron while the server keeps serving. Values are
// shared with the parent, as pages are after fork(); before a write command
// runs, each value it is about to touch that the child has not saved yet is
// serialised first (its pages "copied"), so the child writes the value as it
// was at fork time. The copied pages are counted: each frozen key occupies
// its modelled size (MEMORY USAGE) in a virtual address space cut into 4 KB
// pages, and a copy counts every page of that range not copied before.

import { error, type Reply } from '../protocol/reply.ts'
import type { RObj } from '../keyspace/object.ts'
import type { ExpireTime } from '../keyspace/db.ts'
import { keyspaceResizePolicy } from '../keyspace/db.ts'
import { keyMemoryUsage } from '../keyspace/memory.ts'
import type { Client } from '../server/client.ts'
import type { CommandDef } from '../server/command-table.ts'
import { CMD } from '../server/command-table.ts'
import { extractKeys } from '../server/command-metadata.ts'
import { infoState, memoryOverhead, memoryOverheadOf } from '../server/info.ts'
import type { Server } from '../server/server.ts'
import { RdbFileWriter, RdbLoadError, rdbLoadBytes, rdbSaveToBytes, type RdbLog, type RdbLoadResult } from './rdb.ts'
import { RdbWriter, rdbObjectType, rdbSaveObject } from './rdb-value.ts'
import type { DatasetWriter } from './aof-rewrite.ts'
import { MemoryStorage, type Storage } from './storage.ts'

export const PAGE_SIZE = 4096
/** CONFIG_BGSAVE_RETRY_DELAY: seconds between save-point attempts after a failed BGSAVE. */
export const BGSAVE_RETRY_DELAY = 5

/** shared.bgsaveerr (Redis 7.0). */
export const MISCONF_ERROR =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."

/** The fields INFO persistence shows for RDB (read by engine/server/info.ts). */
export interface RdbInfo {
  bgsaveInProgress: boolean
  lastSaveTime: number
  lastBgsaveStatus: 'ok' | 'err'
  lastBgsaveTimeSec: number
  currentBgsaveTimeSec: number
  saves: number
  lastCowSize: number
  currentCowSize: number
  currentCowPeak: number
  currentForkPerc: number
  currentSaveKeysProcessed: number
  currentSaveKeysTotal: number
  lastLoadKeysLoaded: number
  lastLoadKeysExpired: number
  totalForks: number
  latestForkUsec: number
}

/** One frozen database: what the child will write. */
interface FrozenDb {
  id: number
  /** Position of this db's first key in the frozen view (all dbs in a row). */
  start: number
  keys: string[]
  objs: RObj[]
  expires: ExpireTime[]
  /** Expire entries at fork time (RESIZEDB). */
  expiresSize: number
  /** Start of each key's range in the virtual address space (bytes), plus the end. */
  offsets: Float64Array
}

/** CHILD_TYPE_RDB or CHILD_TYPE_AOF: what the simulated child writes. */
export type ChildType = 'rdb' | 'aof'

/**
 * What the AOF module plugs into the shared child machinery and the cron
 * (engine/persistence/aof.ts installs it): the rewrite's end, and its parts of
 * serverCron.
 */
export interface AofCronHooks {
  /** backgroundRewriteDoneHandler (ok: the child wrote and renamed its file). */
  rewriteDone(child: SnapshotChild, ok: boolean): void
  /** serverCron's "start a scheduled AOF rewrite" (no child is running). */
  startScheduled(): void
  /** serverCron's automatic rewrite on growth (no child is running). */
  autoRewrite(): void
  /** serverCron's postponed flush and once-a-second retry after a write error. */
  cronFlush(): void
  /** prepareForShutdown's AOF part: kill a rewrite child, flush and fsync. False: can't exit. */
  shutdown(force: boolean): boolean
  /** writeCommandsDeniedByDiskError's AOF part: strerror of the failed write, or null. */
  writeError(): string | null
}

/** The simulated BGSAVE / BGREWRITEAOF child. */
export class SnapshotChild {
  readonly dbs: FrozenDb[] = []
  readonly total: number
  /**
   * Objects not yet written, to their position in the frozen view (all dbs in a row; see
   * locate). Built at the first write the parent makes while the child runs, for the keys
   * still unsaved then: a fork that sees no writes (or few, late) never pays for it.
   */
  private unsavedIndex: Map<RObj, number> | null = null
  /** INFO's used_memory at fork time (the RDB's used-mem aux field), from the same walk. */
  readonly usedMemory: number
  /** Values serialised before the parent changed them (the copied pages' contents). */
  readonly copies = new Map<RObj, { type: number; bytes: Uint8Array }>()
  readonly copiedPages = new Set<number>()
  dbIndex = 0
  keyIndex = 0
  processed = 0
  /** The child's own time: where its per-key delay has brought it (µs). */
  childUs: number
  cowBytes = 0
  cowPeak = 0
  /** CoW sampled at each step, for the average the final log line reports. */
  cowSum = 0
  cowSamples = 0
  selected = false

  constructor(
    readonly server: Server,
    readonly pid: number,
    readonly startUs: number,
    readonly kind: ChildType,
    readonly writer: DatasetWriter,
    /** The file the child writes, in `dir`. */
    readonly tmpName: string,
  ) {
    // One walk: each key's exact modelled size lays out the address space the pages cover
    // and, summed, gives used_memory for the RDB header.
    let base = 0
    let total = 0
    for (const db of server.dbs) {
      const n = db.dict.size
      if (n === 0) continue
      const f: FrozenDb = { id: db.id, start: total, keys: new Array(n), objs: new Array(n), expires: new Array(n), expiresSize: db.expires.size, offsets: new Float64Array(n + 1) }
      let i = 0
      const hasExpires = db.expires.size > 0
      db.dict.forEach((o, key) => {
        f.keys[i] = key
        f.objs[i] = o
        f.expires[i] = hasExpires ? (db.expires.get(key) ?? -1) : -1
        f.offsets[i] = base
        base += keyMemoryUsage(key, o, 0)
        i++
      })
      f.offsets[n] = base
      total += n
      this.dbs.push(f)
    }
    this.total = total
    this.usedMemory = memoryOverheadOf(server, base).totalAllocated
    this.childUs = startUs
  }

  /** unsavedIndex, built on first use from the child's current position on. */
  private unsaved(): Map<RObj, number> {
    if (this.unsavedIndex) return this.unsavedIndex
    const m = new Map<RObj, number>()
    for (let d = this.dbIndex; d < this.dbs.length; d++) {
      const f = this.dbs[d]
      for (let i = d === this.dbIndex ? this.keyIndex : 0; i < f.objs.length; i++) m.set(f.objs[i], f.start + i)
    }
    this.unsavedIndex = m
    return m
  }

  /** The frozen db and index of a position in the frozen view. */
  private locate(at: number): { f: FrozenDb; index: number } {
    let d = this.dbs.length - 1
    while (this.dbs[d].start > at) d--
    return { f: this.dbs[d], index: at - this.dbs[d].start }
  }

  /** Copy the pages of a value the child has not saved yet, before the parent changes it. */
  copyOnWrite(o: RObj): void {
    const at = this.unsaved().get(o)
    if (at === undefined || this.copies.has(o)) return
    const w = new RdbWriter(64)
    rdbSaveObject(w, o, this.writer.compression)
    this.copies.set(o, { type: rdbObjectType(o), bytes: w.toBytes() })
    const { f, index } = this.locate(at)
    const start = f.offsets[index]
    const end = f.offsets[index + 1]
    const pages: number[] = []
    for (let p = Math.floor(start / PAGE_SIZE); p * PAGE_SIZE < end; p++) {
      if (this.copiedPages.has(p)) continue
      this.copiedPages.add(p)
      pages.push(p)
    }
    this.cowBytes += pages.length * PAGE_SIZE
    if (this.cowBytes > this.cowPeak) this.cowPeak = this.cowBytes
    if (pages.length > 0 && this.server.traceBus.active) {
      this.server.trace({ type: 'snapshot-page-copied', pid: this.pid, db: f.id, key: f.keys[index], pages, bytes: pages.length * PAGE_SIZE, cowBytes: this.cowBytes })
    }
  }

  get done(): boolean {
    return this.dbIndex >= this.dbs.length
  }

  /** Write the next key (rdbSaveKeyValuePair on the frozen view). */
  saveOne(): void {
    const f = this.dbs[this.dbIndex]
    if (!this.selected) {
      this.writer.selectDb(f.id, f.keys.length, f.expiresSize)
      this.selected = true
    }
    const i = this.keyIndex
    const o = f.objs[i]
    const copy = this.copies.get(o)
    if (copy !== undefined) {
      this.writer.keyValueBytes(f.keys[i], o, copy.type, copy.bytes, f.expires[i])
      this.copies.delete(o)
    } else {
      this.writer.keyValue(f.keys[i], o, f.expires[i])
    }
    this.unsavedIndex?.delete(o)
    this.processed++
    if (++this.keyIndex >= f.keys.length) {
      this.dbIndex++
      this.keyIndex = 0
      this.selected = false
    }
  }
}

export interface PersistenceOptions {
  storage?: Storage
  /** Where the engine's log lines go (the Node server passes its Logger). */
  log?: RdbLog
  /** The process id used in temp file names and "started by pid" lines. */
  pid?: number
}

/** Per-server RDB state (Redis's server.lastsave, lastbgsave_status, child_info ...). */
export class Persistence {
  storage: Storage = new MemoryStorage()
  log: RdbLog = () => {}
  pid = 1
  child: SnapshotChild | null = null
  lastSaveMs: number
  lastBgsaveTryMs = 0
  lastBgsaveStatus: 'ok' | 'err' = 'ok'
  lastBgsaveTimeSec = -1
  saves = 0
  dirtyBeforeBgsave = 0
  bgsaveScheduled = false
  lastCowSize = 0
  /** stat_aof_cow_bytes: the last AOF rewrite child's copy-on-write. */
  lastAofCowSize = 0
  /** Installed by engine/persistence/aof.ts. */
  aofHooks: AofCronHooks | null = null
  lastLoad: RdbLoadResult | null = null
  totalForks = 0
  latestForkUsec = 0
  private forks = 0

  constructor(readonly server: Server) {
    this.lastSaveMs = server.startTimeMs
  }

  private nowMs(): number {
    return this.server.clock.nowMs()
  }

  private filename(): string {
    return this.server.config.str('dbfilename')
  }

  /** rdbSave: the whole dataset to temp-<pid>.rdb, then renamed over dbfilename. Returns whether it worked. */
  save(): boolean {
    const server = this.server
    // Counted at every attempt, SAVE included (observed on 7.0.15: a failed SAVE shows rdb_saves:1).
    this.saves++
    this.syncInfo()
    const tmp = `temp-${this.pid}.rdb`
    try {
      const bytes = rdbSaveToBytes(server, { nowMs: this.nowMs(), usedMem: memoryOverhead(server).totalAllocated })
      this.storage.write(tmp, bytes)
    } catch (e) {
      this.log('warning', `Write error saving DB on disk: ${(e as Error).message}`)
      this.storage.remove(tmp)
      return false
    }
    try {
      this.storage.rename(tmp, this.filename())
    } catch (e) {
      this.log(
        'warning',
        `Error moving temp DB file ${tmp} on the final destination ${this.filename()} (in server root dir ${this.storage.describe()}): ${(e as Error).message}`,
      )
      this.storage.remove(tmp)
      return false
    }
    this.log('notice', 'DB saved on disk')
    server.dirty = 0
    this.lastSaveMs = this.nowMs()
    this.lastBgsaveStatus = 'ok'
    this.syncInfo()
    return true
  }

  /** rdbSaveBackground: freeze the view and start the child. */
  bgsave(): boolean {
    if (this.child) return false
    const server = this.server
    this.saves++
    this.dirtyBeforeBgsave = server.dirty
    this.lastBgsaveTryMs = this.nowMs()
    const t0 = server.clock.nowUs()
    const pid = this.nextPid()
    const writer = new RdbFileWriter(server)
    const child = this.fork('rdb', pid, t0, writer, `temp-${pid}.rdb`)
    writer.header({ nowMs: Math.floor(t0 / 1000), usedMem: child.usedMemory })
    try {
      this.storage.write(child.tmpName, child.writer.take())
    } catch (e) {
      // The child cannot even create its file: it exits with an error at its first step.
      this.log('warning', `Failed opening the temp RDB file ${child.tmpName} (in server root dir ${this.storage.describe()}) for saving: ${(e as Error).message}`)
      this.finish(false)
      return true
    }
    this.log('notice', `Background saving started by pid ${pid}`)
    if (server.traceBus.active) server.trace({ type: 'snapshot-fork', pid, keys: child.total, bytes: child.dbs.reduce((n, f) => n + f.offsets[f.keys.length] - f.offsets[0], 0) })
    this.syncInfo()
    return true
  }

  /** A pid for the next simulated child. */
  nextPid(): number {
    return this.pid + ++this.forks
  }

  /** redisFork: freeze the view and make the child the running one. */
  fork(kind: ChildType, pid: number, t0: number, writer: DatasetWriter, tmpName: string): SnapshotChild {
    const server = this.server
    const child = new SnapshotChild(server, pid, t0, kind, writer, tmpName)
    this.child = child
    this.totalForks++
    this.latestForkUsec = server.clock.nowUs() - t0
    server.childActive = true
    // dict_can_resize off while a child shares the pages.
    keyspaceResizePolicy(server).avoidResize = true
    return child
  }

  /** The child is gone: the parent shares no pages any more. */
  private clearChild(): void {
    this.child = null
    this.server.childActive = false
    keyspaceResizePolicy(this.server).avoidResize = false
  }

  /**
   * The child's work for one cron tick: with rdb-key-save-delay D (µs) it saves
   * one key per D µs of time passed; without (or with Redis's negative "sleep
   * sometimes" values), as many as fit in half a cron interval.
   */
  stepChild(): void {
    const child = this.child
    if (!child) return
    const server = this.server
    const nowUs = server.clock.nowUs()
    const delay = server.config.num('rdb-key-save-delay')
    // Without a delay the child may use half of each cron interval (the parent keeps the rest).
    const budgetEnd = nowUs + (server.cronIntervalMs() * 1000) / 2
    let n = 0
    while (!child.done) {
      if (delay > 0) {
        if (child.childUs + delay > nowUs) break
        child.childUs += delay
      } else if ((++n & 255) === 0 && server.clock.nowUs() > budgetEnd) {
        break
      }
      child.saveOne()
    }
    child.cowSum += child.cowBytes
    child.cowSamples++
    if (child.done) child.writer.end()
    const aofChild = child.kind === 'aof'
    try {
      if (child.writer.pending > 0) this.storage.append(child.tmpName, child.writer.take())
      // rewriteAppendOnlyFile renames its temp file to the name the parent picks up.
      if (child.done) this.storage.rename(child.tmpName, aofChild ? `temp-rewriteaof-bg-${child.pid}.aof` : this.filename())
    } catch (e) {
      this.log('warning', `${aofChild ? 'Write error writing append only file on disk' : 'Write error saving DB on disk'}: ${(e as Error).message}`)
      this.storage.remove(child.tmpName)
      if (aofChild) this.finishAof(false)
      else this.finish(false)
      return
    }
    if (server.traceBus.active) {
      server.trace({ type: 'snapshot-progress', pid: child.pid, keysSaved: child.processed, keysTotal: child.total, bytesWritten: child.writer.written, cowBytes: child.cowBytes })
    }
    if (child.done) {
      const mb = (b: number): number => Math.floor(b / (1024 * 1024))
      const cow = `current ${mb(child.cowBytes)} MB, peak ${mb(child.cowPeak)} MB, average ${mb(child.cowSum / child.cowSamples)} MB`
      if (aofChild) {
        this.log('notice', `Successfully created the temporary AOF base file temp-rewriteaof-bg-${child.pid}.aof`)
        this.log('notice', `Fork CoW for AOF rewrite: ${cow}`)
        this.finishAof(true)
      } else {
        this.log('notice', 'DB saved on disk')
        this.log('notice', `Fork CoW for RDB: ${cow}`)
        this.finish(true)
      }
    }
  }

  /** The AOF child ended: the AOF module's backgroundRewriteDoneHandler runs with the child gone. */
  private finishAof(ok: boolean): void {
    const child = this.child
    if (!child) return
    this.clearChild()
    this.lastAofCowSize = child.cowBytes
    this.aofHooks?.rewriteDone(child, ok)
    this.syncInfo()
  }

  /** backgroundSaveDoneHandler. */
  private finish(ok: boolean): void {
    const child = this.child
    if (!child) return
    const server = this.server
    const nowMs = this.nowMs()
    this.clearChild()
    this.lastBgsaveTimeSec = Math.floor((nowMs - child.startUs / 1000) / 1000)
    this.lastCowSize = child.cowBytes
    if (ok) {
      this.log('notice', 'Background saving terminated with success')
      server.dirty -= this.dirtyBeforeBgsave
      this.lastSaveMs = nowMs
      this.lastBgsaveStatus = 'ok'
    } else {
      this.log('warning', 'Background saving error')
      this.lastBgsaveStatus = 'err'
    }
    if (server.traceBus.active) {
      server.trace({ type: 'snapshot-done', pid: child.pid, ok, keys: child.processed, bytes: child.writer.written, cowBytes: child.cowBytes, durationMs: nowMs - Math.floor(child.startUs / 1000) })
    }
    this.syncInfo()
  }

  /** killRDBChild / killAppendOnlyChild: stop the running child (SHUTDOWN, DEBUG RELOAD, FLUSHALL ...); its temp files go. */
  killChild(): void {
    const child = this.child
    if (!child) return
    this.storage.remove(child.tmpName)
    if (child.kind === 'aof') this.storage.remove(`temp-rewriteaof-bg-${child.pid}.aof`)
    this.clearChild()
    this.syncInfo()
  }

  /** The running child is of this kind (server.child_type). */
  childIs(kind: ChildType): boolean {
    return this.child !== null && this.child.kind === kind
  }

  /**
   * serverCron's persistence part, in Redis's order: a scheduled AOF rewrite;
   * the child's step (checkChildrenDone) or else the save points and the
   * automatic AOF rewrite; the AOF flush retries; a scheduled BGSAVE.
   */
  cron(): void {
    const aof = this.aofHooks
    if (!this.child && aof) aof.startScheduled()
    const server = this.server
    const now = Math.floor(this.nowMs() / 1000)
    const lastTry = Math.floor(this.lastBgsaveTryMs / 1000)
    const retryOk = now - lastTry > BGSAVE_RETRY_DELAY || this.lastBgsaveStatus === 'ok'
    if (this.child) {
      this.stepChild()
    } else {
      const lastsave = Math.floor(this.lastSaveMs / 1000)
      const points = server.config.str('save')
      const p = points === '' ? [] : points.split(' ')
      for (let i = 0; i + 1 < p.length; i += 2) {
        const seconds = Number(p[i])
        const changes = Number(p[i + 1])
        if (server.dirty >= changes && now - lastsave > seconds && retryOk) {
          this.log('notice', `${changes} changes in ${seconds} seconds. Saving...`)
          this.bgsave()
          break
        }
      }
      if (!this.child && aof) aof.autoRewrite()
    }
    aof?.cronFlush()
    if (!this.child && this.bgsaveScheduled && retryOk) {
      if (this.bgsave()) this.bgsaveScheduled = false
    }
  }

  /** Before a write command runs: copy the pages of the values it may change. */
  beforeWrite(c: Client, cmd: CommandDef, argv: string[]): void {
    const child = this.child
    if (!child) return
    const db = c.db
    for (const k of extractKeys(cmd.meta, argv)) {
      const o = db.dict.get(argv[k.pos])
      if (o !== undefined) child.copyOnWrite(o)
    }
  }

  /** writeCommandsDeniedByDiskError for RDB. */
  writesDenied(): boolean {
    const server = this.server
    return server.config.bool('stop-writes-on-bgsave-error') && server.config.str('save') !== '' && this.lastBgsaveStatus === 'err'
  }

  /** Load dbfilename from storage. null when there is no file (RDB_NOT_EXIST). Throws RdbLoadError. */
  loadFromStorage(): RdbLoadResult | null {
    const data = this.storage.read(this.filename())
    if (data === null) return null
    const res = rdbLoadBytes(this.server, data, { log: this.log })
    this.lastLoad = res
    this.syncInfo()
    return res
  }

  /** Keep the fields info.ts reads directly in step. */
  syncInfo(): void {
    const st = infoState(this.server)
    st.lastSaveTime = Math.floor(this.lastSaveMs / 1000)
    st.rdbSaves = this.saves
    st.rdbLastBgsaveStatus = this.lastBgsaveStatus
    st.rdbBgsaveInProgress = this.childIs('rdb')
  }

  info(): RdbInfo {
    const child = this.child
    const now = this.nowMs()
    return {
      bgsaveInProgress: this.childIs('rdb'),
      lastSaveTime: Math.floor(this.lastSaveMs / 1000),
      lastBgsaveStatus: this.lastBgsaveStatus,
      lastBgsaveTimeSec: this.lastBgsaveTimeSec,
      currentBgsaveTimeSec: child && child.kind === 'rdb' ? Math.floor((now - child.startUs / 1000) / 1000) : -1,
      saves: this.saves,
      lastCowSize: this.lastCowSize,
      currentCowSize: child ? child.cowBytes : 0,
      currentCowPeak: child ? child.cowPeak : 0,
      currentForkPerc: child && child.total > 0 ? (child.processed / child.total) * 100 : 0,
      currentSaveKeysProcessed: child ? child.processed : 0,
      currentSaveKeysTotal: child ? child.total : 0,
      lastLoadKeysLoaded: this.lastLoad?.keysLoaded ?? 0,
      lastLoadKeysExpired: this.lastLoad?.keysExpired ?? 0,
      totalForks: this.totalForks,
      latestForkUsec: this.latestForkUsec,
    }
  }
}

const states = new WeakMap<Server, Persistence>()

/** The server's persistence state (created with in-memory storage on first use). */
export function persistence(server: Server): Persistence {
  let p = states.get(server)
  if (p === undefined) {
    const q = new Persistence(server)
    states.set(server, q)
    infoState(server).rdbInfo = () => q.info()
    p = q
  }
  return p
}

/** Give the server its storage, log and pid (the Node server: files under `dir`; the browser: IndexedDB). */
export function attachPersistence(server: Server, opts: PersistenceOptions): Persistence {
  const p = persistence(server)
  if (opts.storage) p.storage = opts.storage
  if (opts.log) p.log = opts.log
  if (opts.pid !== undefined) p.pid = opts.pid
  return p
}

// ---------------------------------------------------------------- server hooks

/** serverCron's persistence part (server.cron calls it). */
export function persistenceCron(server: Server): void {
  const p = states.get(server)
  // A server that never saved and has no save points has nothing to do.
  if (p === undefined && server.config.str('save') === '') return
  persistence(server).cron()
}

/**
 * processCommand's disk-error check: MISCONF for write commands (and PING)
 * while the last BGSAVE failed and stop-writes-on-bgsave-error is on.
 */
export function persistenceDenies(server: Server, c: Client, cmd: CommandDef): Reply | undefined {
  const p = states.get(server)
  if (p === undefined) return undefined
  const rdb = p.lastBgsaveStatus === 'err' && p.writesDenied()
  // DISK_ERROR_TYPE_RDB first, then the AOF's failed write or fsync.
  const aofErr = rdb ? null : (p.aofHooks?.writeError() ?? null)
  if (!rdb && aofErr === null) return undefined
  const isWrite = (cmd.flags & CMD.write) !== 0 || (cmd.fullName === 'exec' && c.multi.queue.some((q) => q.cmd.flags & CMD.write))
  if (isWrite || cmd.fullName === 'ping') return error(rdb ? MISCONF_ERROR : `MISCONF Errors writing to the AOF file: ${aofErr}`)
  return undefined
}

/** call()'s hook before a write command: copy-on-write for a running BGSAVE. */
export function persistenceBeforeWrite(server: Server, c: Client, cmd: CommandDef, argv: string[]): void {
  const p = states.get(server)
  if (p !== undefined && p.child !== null) p.beforeWrite(c, cmd, argv)
}

/**
 * prepareForShutdown's persistence part (SHUTDOWN, SIGTERM, SIGINT): kill a
 * running BGSAVE child, then the final save when save points are configured
 * and NOSAVE was not asked, or when SAVE was. False when that save failed
 * without FORCE: the server must keep running.
 */
export function prepareForShutdown(server: Server, opts: { save?: boolean; nosave?: boolean; force?: boolean } = {}): boolean {
  const p = persistence(server)
  if (p.childIs('rdb')) {
    p.log('warning', 'There is a child saving an .rdb. Killing it!')
    p.killChild()
  }
  if (p.aofHooks && !p.aofHooks.shutdown(opts.force === true)) {
    p.log('warning', 'Errors trying to shut down the server. Check the logs for more information.')
    return false
  }
  if ((server.config.str('save') !== '' && !opts.nosave) || opts.save) {
    p.log('notice', 'Saving the final RDB snapshot before exiting.')
    if (!p.save()) {
      if (opts.force) {
        p.log('warning', 'Error trying to save the DB. Exit anyway.')
      } else {
        p.log('warning', "Error trying to save the DB, can't exit.")
        p.log('warning', 'Errors trying to shut down the server. Check the logs for more information.')
        return false
      }
    }
  }
  return true
}

/**
 * flushAllDataAndResetRDB's persistence part (FLUSHALL): a running BGSAVE is
 * killed (an AOF rewrite is not), and with save points the empty dataset is
 * saved at once, without resetting the dirty counter so FLUSHALL still
 * propagates.
 */
export function persistenceFlushAll(server: Server): void {
  const p = states.get(server)
  if (p === undefined) return
  if (p.childIs('rdb')) {
    // killRDBChild sends SIGUSR1; the done handler reports it and keeps the last status.
    p.log('warning', 'Background saving terminated by signal 10')
    p.killChild()
  }
  if (server.config.str('save') !== '') {
    const dirty = server.dirty
    p.save()
    server.dirty = dirty
  }
}

/** A load failure as the lines redis-server logs (for hosts and DEBUG RELOAD). */
export function loadErrorLines(e: RdbLoadError): string[] {
  return e.errno ? [...e.lines, `Fatal error loading the DB: ${e.errno}. Exiting.`] : e.lines
}
