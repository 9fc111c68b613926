// The append only file, Redis 7.0.15's multi-part layout (aof.c, server.c):
// appenddirname holds a manifest, one base file (an RDB with aof-base=1 when
// aof-use-rdb-preamble is yes, else commands) and incr files of commands.
//
// - Ops reach the AOF through server.hooks.propagate (installed while the AOF
//   is not off, as Redis propagates only then), encoded by AofFeed into
//   `buf`, and written to the current incr file in beforeSleep, before any
//   reply of that event-loop turn goes out (flushAppendOnlyFile).
//   appendfsync picks when the storage is asked to make the writes durable
//   (Storage.sync when it has one): always = each flush; everysec = at most
//   once a second (from the flushes and the cron); no = never.
// - BGREWRITEAOF runs as the same simulated fork as BGSAVE (snapshot.ts):
//   a new incr file is opened when the rewrite starts, the child writes the
//   new base from a frozen view, and when it is done the old base and incr
//   files become history (deleted unless aof-disable-auto-gc).
// - CONFIG SET appendonly yes starts in WAIT_REWRITE: writes go to a temp
//   incr file until the first rewrite has produced a base.
// - At start-up the manifest is read, the files loaded in order, an
//   old-style single appendonly.aof in `dir` is moved into the directory.
//
// File names are in the AOF directory unless said otherwise; the Storage is
// flat, so a file of the directory is `<appenddirname>/<name>` (the Node
// storage maps that to the sub-directory, the browser's to a key).

import { error, type Reply } from '../protocol/reply.ts'
import type { Server } from '../server/server.ts'
import { memoryOverhead, infoState } from '../server/info.ts'
import { AofFeed } from './aof-feed.ts'
import {
  AofManifestError,
  dupManifest,
  emptyManifest,
  lastIncrFile,
  manifestName,
  manifestToString,
  markRewrittenIncrAsHistory,
  newBaseFile,
  newIncrFile,
  parseManifest,
  tempIncrName,
  tempManifestName,
  type AofManifest,
} from './aof-manifest.ts'
import { loadAppendOnlyFiles, loadSingleAppendOnlyFile, type AofFiles, type AofLoadOptions, type AofStatus } from './aof-load.ts'
import { AofRewriteWriter, aofRewriteToBytes, type DatasetWriter } from './aof-rewrite.ts'
import { RdbFileWriter, rdbSaveToBytes } from './rdb.ts'
import { bytesToByteString, byteStringToBytes } from './rdb-value.ts'
import { persistence, type Persistence, type SnapshotChild } from './snapshot.ts'
import type { Storage } from './storage.ts'

/** What a Storage may offer beyond the flat-directory interface. */
export interface AofStorageExtras {
  /** dirCreateIfMissing for a sub-directory of the storage (Node). Throws with the strerror text. */
  mkdir?(name: string): void
  /** fsync: make what was written to `name` durable (Node: fsync; IndexedDB: write it through now). */
  sync?(name: string): void
}

export type AofState = 'off' | 'on' | 'wait-rewrite'

/** AOF_WRITE_LOG_ERROR_RATE: seconds between two logged write errors. */
const WRITE_LOG_ERROR_RATE = 30
const REWRITE_LIMIT_THRESHOLD = 3
const REWRITE_LIMIT_MAX_MINUTES = 60

/** The fields of INFO persistence the AOF owns. */
export interface AofInfoFields {
  enabled: boolean
  rewriteInProgress: boolean
  rewriteScheduled: boolean
  lastRewriteTimeSec: number
  currentRewriteTimeSec: number
  lastBgrewriteStatus: 'ok' | 'err'
  rewrites: number
  rewritesConsecutiveFailures: number
  lastWriteStatus: 'ok' | 'err'
  lastCowSize: number
  currentSize: number
  baseSize: number
  pendingRewrite: boolean
  bufferLength: number
  delayedFsync: number
}

export class Aof {
  state: AofState = 'off'
  manifest: AofManifest = emptyManifest()
  /** The file appends go to (server.aof_fd), null when none is open. */
  fd: string | null = null
  /** server.aof_buf, as a byte string. */
  buf = ''
  readonly feed = new AofFeed()
  currentSize = 0
  lastIncrSize = 0
  rewriteBaseSize = 0
  fsyncOffset = 0
  /** Unix seconds of the last fsync. */
  lastFsync = 0
  rewriteScheduled = false
  /** Unix seconds the running rewrite started, -1 when none. */
  rewriteTimeStart = -1
  rewriteTimeLast = -1
  lastBgrewriteStatus: 'ok' | 'err' = 'ok'
  /** stat_aof_rewrites. */
  rewrites = 0
  consecutiveFailures = 0
  lastWriteStatus: 'ok' | 'err' = 'ok'
  /** strerror(aof_last_write_errno). */
  lastWriteError = ''
  /** aof_bio_fsync_status: an everysec fsync failed (writes are refused until one works). */
  fsyncError = ''
  delayedFsync = 0
  private lastWriteErrorLog = -Infinity
  private nextDelayMinutes = 0
  private nextRewriteTime = 0
  /** exit(1) for the fatal cases (a write error with appendfsync always). */
  exit: (code: number) => void
  private readonly propagateHook = (dbid: number, argv: string[]): void => this.feedAppendOnlyFile(dbid, argv)

  constructor(
    readonly server: Server,
    readonly p: Persistence,
  ) {
    this.exit = () => server.shutdown()
    p.aofHooks = {
      rewriteDone: (child, ok) => this.rewriteDone(child, ok),
      startScheduled: () => {
        if (this.rewriteScheduled && !this.rewriteLimited()) this.rewriteBackground()
      },
      autoRewrite: () => this.autoRewrite(),
      cronFlush: () => this.cronFlush(),
      shutdown: (force) => this.prepareForShutdown(force),
      writeError: () => this.writeError(),
    }
    const hooks = server.hooks
    const prevBeforeSleep = hooks.beforeSleep
    hooks.beforeSleep = () => {
      prevBeforeSleep?.()
      if (this.state !== 'off') this.flush(false)
    }
  }

  /** updateAppendonly: CONFIG SET appendonly yes/no at run time; the error text when the AOF cannot be turned on. */
  appendonlyChanged(v: string): string | undefined {
    if (v === 'yes' && this.state === 'off') {
      if (!this.start()) return 'Unable to turn on AOF. Check server logs.'
    } else if (v === 'no' && this.state !== 'off') this.stop()
    return undefined
  }

  private get storage(): Storage & AofStorageExtras {
    return this.p.storage as Storage & AofStorageExtras
  }

  private log(level: 'debug' | 'verbose' | 'notice' | 'warning', msg: string): void {
    this.p.log(level, msg)
  }

  private get dirname(): string {
    return this.server.config.str('appenddirname')
  }

  private get filename(): string {
    return this.server.config.str('appendfilename')
  }

  /** makePath(aof_dirname, name): the storage name of a file of the AOF directory. */
  path(name: string): string {
    return `${this.dirname}/${name}`
  }

  private unixtime(): number {
    return Math.floor(this.server.clock.nowMs() / 1000)
  }

  /** The AOF directory's files, for the loader. */
  get files(): AofFiles {
    return {
      read: (name) => this.storage.read(this.path(name)),
      truncate: (name, size) => {
        const d = this.storage.read(this.path(name))
        if (d === null) throw new Error('No such file or directory')
        this.storage.write(this.path(name), d.subarray(0, size))
      },
    }
  }

  private setHook(on: boolean): void {
    this.server.hooks.propagate = on ? this.propagateHook : undefined
    infoState(this.server).aofEnabled = this.state !== 'off'
  }

  // ------------------------------------------------------------ files

  /** dirCreateIfMissing for the AOF directory. */
  private createDir(): boolean {
    try {
      this.storage.mkdir?.(this.dirname)
      return true
    } catch (e) {
      this.log('warning', `Can't open or create append-only dir ${this.dirname}: ${(e as Error).message}`)
      return false
    }
  }

  private sync(name: string): void {
    this.storage.sync?.(this.path(name))
  }

  /** writeAofManifestFile + persistAofManifest: temp file, fsync, rename. */
  persistManifest(am: AofManifest): boolean {
    if (!am.dirty) return true
    const name = manifestName(this.filename)
    const tmp = tempManifestName(this.filename)
    try {
      this.storage.write(this.path(tmp), byteStringToBytes(manifestToString(am)))
    } catch (e) {
      this.log('warning', `Can't open the AOF manifest file ${tmp}: ${(e as Error).message}`)
      return false
    }
    try {
      this.storage.rename(this.path(tmp), this.path(name))
    } catch (e) {
      this.log('warning', `Error trying to rename the temporary AOF manifest file ${tmp} into ${name}: ${(e as Error).message}`)
      return false
    }
    am.dirty = false
    return true
  }

  /** aofDelHistoryFiles: history files go, unless aof-disable-auto-gc. */
  delHistoryFiles(): boolean {
    const am = this.manifest
    if (this.server.config.bool('aof-disable-auto-gc') || am.history.length === 0) return true
    for (const ai of am.history) {
      this.log('notice', `Removing the history file ${ai.name} in the background`)
      this.storage.remove(this.path(ai.name))
    }
    am.history = []
    am.dirty = true
    return this.persistManifest(am)
  }

  /**
   * openNewIncrAofForAppend: a rewrite starts, later writes go to a new incr
   * file (a temp one while the AOF waits for its first rewrite).
   */
  private openNewIncrForAppend(): boolean {
    if (this.state === 'off') return true
    let temp: AofManifest | null = null
    let name: string
    if (this.state === 'wait-rewrite') {
      name = tempIncrName(this.filename)
    } else {
      temp = dupManifest(this.manifest)
      name = newIncrFile(temp, this.filename)
    }
    try {
      this.storage.write(this.path(name), new Uint8Array(0))
    } catch (e) {
      this.log('warning', `Can't open the append-only file ${name}: ${(e as Error).message}`)
      return false
    }
    if (temp && !this.persistManifest(temp)) {
      this.storage.remove(this.path(name))
      return false
    }
    this.log('notice', `Creating AOF incr file ${name} on background rewrite`)
    if (this.fd !== null) {
      // aof_background_fsync_and_close.
      this.syncQuietly(this.fd)
      this.fsyncOffset = this.currentSize
      this.lastFsync = this.unixtime()
    }
    this.fd = name
    this.lastIncrSize = 0
    if (temp) this.manifest = temp
    return true
  }

  private syncQuietly(name: string): boolean {
    try {
      this.sync(name)
      return true
    } catch {
      return false
    }
  }

  // ------------------------------------------------------------ feeding and flushing

  /** feedAppendOnlyFile: encode the op; keep it when the AOF is on or a rewrite child will need it. */
  feedAppendOnlyFile(dbid: number, argv: string[]): void {
    const s = this.feed.feedString(dbid, argv, this.server.commandTimeMs(), this.server.config.bool('aof-timestamp-enabled'))
    if (this.state === 'on' || (this.state === 'wait-rewrite' && this.p.childIs('aof'))) this.buf += s
  }

  /** flushAppendOnlyFile: write the buffer to the current file, then fsync per appendfsync. */
  flush(force: boolean): void {
    void force // No background fsync runs in the engine, so a write is never postponed for one.
    const server = this.server
    const policy = server.config.str('appendfsync')
    const now = this.unixtime()
    if (this.fd === null) return
    if (this.buf.length > 0) {
      try {
        this.storage.append(this.path(this.fd), byteStringToBytes(this.buf))
      } catch (e) {
        const msg = (e as Error).message
        if (now - this.lastWriteErrorLog > WRITE_LOG_ERROR_RATE) {
          this.lastWriteErrorLog = now
          this.log('warning', `Error writing to the AOF file: ${msg}`)
        }
        this.lastWriteError = msg
        if (policy === 'always') {
          // The reply may already be promised: Redis cannot go on without the write on disk.
          this.log('warning', "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
          this.exit(1)
          return
        }
        this.lastWriteStatus = 'err'
        return
      }
      if (this.lastWriteStatus === 'err') {
        this.log('warning', 'AOF write error looks solved, Redis can write again.')
        this.lastWriteStatus = 'ok'
      }
      this.currentSize += this.buf.length
      this.lastIncrSize += this.buf.length
      this.buf = ''
    } else if (!(policy === 'everysec' && this.fsyncOffset !== this.currentSize && now > this.lastFsync)) {
      return
    }
    // try_fsync.
    if (server.config.bool('no-appendfsync-on-rewrite') && this.p.child !== null) return
    if (policy === 'always') {
      try {
        this.sync(this.fd)
      } catch (e) {
        this.log('warning', `Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${(e as Error).message}. Exiting...`)
        this.exit(1)
        return
      }
      this.fsyncOffset = this.currentSize
      this.lastFsync = now
    } else if (policy === 'everysec' && now > this.lastFsync) {
      // Redis hands this fsync to a background thread; its failure refuses writes until one succeeds.
      try {
        this.sync(this.fd)
        this.fsyncError = ''
      } catch (e) {
        this.fsyncError = (e as Error).message
      }
      this.fsyncOffset = this.currentSize
      this.lastFsync = now
    }
  }

  /** serverCron: the once-a-second retry while writes fail (the postponed flush does not exist here). */
  private lastCronFlushSec = 0
  private cronFlush(): void {
    if (this.state === 'off') return
    const now = this.unixtime()
    if (now === this.lastCronFlushSec) return
    this.lastCronFlushSec = now
    // everysec's fsync of data written in an earlier second also happens here, as flushAppendOnlyFile does with an empty buffer.
    this.flush(false)
  }

  /** writeCommandsDeniedByDiskError's AOF part: the strerror text when writes must be refused. */
  writeError(): string | null {
    if (this.state === 'off') return null
    if (this.lastWriteStatus === 'err') return this.lastWriteError
    if (this.fsyncError !== '') {
      this.lastWriteError = this.fsyncError
      return this.fsyncError
    }
    return null
  }

  // ------------------------------------------------------------ on / off

  /** startAppendOnly (CONFIG SET appendonly yes). False when the rewrite could not start. */
  start(): boolean {
    const server = this.server
    this.state = 'wait-rewrite'
    this.setHook(true)
    if (this.p.child !== null && this.p.child.kind !== 'aof') {
      this.rewriteScheduled = true
      this.log('warning', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.')
    } else if (server.currentClient?.multi.executing) {
      this.rewriteScheduled = true
      this.log('warning', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.')
    } else {
      if (this.p.childIs('aof')) {
        this.log('warning', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.')
        this.killChild()
      }
      if (!this.rewriteBackground()) {
        this.state = 'off'
        this.setHook(false)
        this.log('warning', "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.")
        return false
      }
    }
    this.lastFsync = this.unixtime()
    if (this.fsyncError !== '') {
      this.log('warning', 'AOF reopen, just ignore the AOF fsync error in bio job')
      this.fsyncError = ''
    }
    if (this.lastWriteStatus === 'err') {
      this.log('warning', 'AOF reopen, just ignore the last error.')
      this.lastWriteStatus = 'ok'
    }
    return true
  }

  /** stopAppendOnly (CONFIG SET appendonly no). */
  stop(): void {
    this.flush(true)
    if (this.fd !== null) {
      try {
        this.sync(this.fd)
        this.fsyncOffset = this.currentSize
        this.lastFsync = this.unixtime()
      } catch (e) {
        this.log('warning', `Fail to fsync the AOF file: ${(e as Error).message}`)
      }
    }
    this.fd = null
    this.feed.resetSelectedDb()
    this.state = 'off'
    this.setHook(false)
    this.rewriteScheduled = false
    this.lastIncrSize = 0
    this.killChild()
    this.buf = ''
  }

  /** killAppendOnlyChild. */
  killChild(): void {
    const child = this.p.child
    if (child === null || child.kind !== 'aof') return
    this.log('notice', `Killing running AOF rewrite child: ${child.pid}`)
    this.p.killChild()
    this.rewriteTimeStart = -1
  }

  // ------------------------------------------------------------ rewrite

  /** aofRewriteLimited: after 3 failures in a row, automatic rewrites wait 1, 2, 4 ... 60 minutes. */
  rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.nextDelayMinutes = 0
      this.nextRewriteTime = 0
      return false
    }
    const now = this.unixtime()
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true
      this.nextRewriteTime = 0
      return false
    }
    this.nextDelayMinutes = this.nextDelayMinutes === 0 ? 1 : Math.min(this.nextDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES)
    this.nextRewriteTime = now + this.nextDelayMinutes * 60
    this.log('warning', `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextDelayMinutes} minutes`)
    return true
  }

  /** The writer for a base file: an RDB (aof-base 1; its header comes once the fork knows used-mem) or commands. */
  private baseWriter(t0Us: number): DatasetWriter {
    const server = this.server
    if (server.config.bool('aof-use-rdb-preamble')) return new RdbFileWriter(server)
    return new AofRewriteWriter(server, server.config.bool('aof-timestamp-enabled') ? { timestampSec: Math.floor(t0Us / 1e6) } : {})
  }

  /** rewriteAppendOnlyFileBackground. */
  rewriteBackground(): boolean {
    const p = this.p
    if (p.child !== null) return false
    if (!this.createDir()) {
      this.lastBgrewriteStatus = 'err'
      return false
    }
    this.feed.resetSelectedDb()
    this.flush(true)
    if (!this.openNewIncrForAppend()) {
      this.lastBgrewriteStatus = 'err'
      return false
    }
    this.rewrites++
    const t0 = this.server.clock.nowUs()
    const pid = p.nextPid()
    const child = p.fork('aof', pid, t0, this.baseWriter(t0), `temp-rewriteaof-${pid}.aof`)
    if (child.writer instanceof RdbFileWriter) child.writer.header({ nowMs: Math.floor(t0 / 1000), usedMem: child.usedMemory, aofBase: true })
    this.log('notice', `Background append only file rewriting started by pid ${pid}`)
    this.rewriteScheduled = false
    this.rewriteTimeStart = this.unixtime()
    try {
      this.storage.write(child.tmpName, child.writer.take())
    } catch (e) {
      // The child cannot open its file: it logs and exits with an error.
      this.log('warning', `Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${(e as Error).message}`)
      p.killChild()
      this.rewriteDone(child, false)
    }
    p.syncInfo()
    return true
  }

  /** backgroundRewriteDoneHandler. */
  private rewriteDone(child: SnapshotChild, ok: boolean): void {
    const tmpfile = `temp-rewriteaof-bg-${child.pid}.aof`
    if (ok) this.rewriteSucceeded(child, tmpfile)
    else {
      this.lastBgrewriteStatus = 'err'
      this.consecutiveFailures++
      this.log('warning', 'Background AOF rewrite terminated with error')
    }
    // cleanup: aofRemoveTempFile, and the temp incr file of a failed first rewrite.
    this.storage.remove(tmpfile)
    this.storage.remove(`temp-rewriteaof-${child.pid}.aof`)
    if (this.state === 'wait-rewrite') {
      this.buf = ''
      const tmpIncr = tempIncrName(this.filename)
      this.log('notice', `Removing the temp incr aof file ${tmpIncr} in the background`)
      this.storage.remove(this.path(tmpIncr))
      if (this.fd === tmpIncr) this.fd = null
    }
    this.rewriteTimeLast = this.unixtime() - this.rewriteTimeStart
    this.rewriteTimeStart = -1
    if (this.state === 'wait-rewrite') this.rewriteScheduled = true
  }

  private rewriteSucceeded(child: SnapshotChild, tmpfile: string): void {
    this.log('notice', 'Background AOF rewrite terminated with success')
    const temp = dupManifest(this.manifest)
    const base = newBaseFile(temp, this.filename, child.writer instanceof RdbFileWriter)
    const fail = (): void => {
      this.lastBgrewriteStatus = 'err'
      this.consecutiveFailures++
    }
    try {
      this.storage.rename(tmpfile, this.path(base))
    } catch (e) {
      this.log('warning', `Error trying to rename the temporary AOF base file ${tmpfile} into ${this.path(base)}: ${(e as Error).message}`)
      fail()
      return
    }
    this.log('notice', `Successfully renamed the temporary AOF base file ${tmpfile} into ${base}`)
    let newIncr: string | null = null
    if (this.state === 'wait-rewrite') {
      const tmpIncr = tempIncrName(this.filename)
      newIncr = newIncrFile(temp, this.filename)
      // What was fed meanwhile belongs to the incr file (the buffer is flushed into it first).
      this.flush(true)
      try {
        this.storage.rename(this.path(tmpIncr), this.path(newIncr))
      } catch (e) {
        this.log('warning', `Error trying to rename the temporary AOF incr file ${this.path(tmpIncr)} into ${this.path(newIncr)}: ${(e as Error).message}`)
        this.storage.remove(this.path(base))
        fail()
        return
      }
      this.log('notice', `Successfully renamed the temporary AOF incr file ${tmpIncr} into ${newIncr}`)
      // The open descriptor follows the renamed file.
      this.fd = newIncr
    }
    markRewrittenIncrAsHistory(temp, this.fd !== null)
    if (!this.persistManifest(temp)) {
      this.storage.remove(this.path(base))
      if (newIncr !== null) {
        this.storage.remove(this.path(newIncr))
        this.fd = tempIncrName(this.filename)
      }
      fail()
      return
    }
    this.manifest = temp
    if (this.fd !== null) {
      this.feed.resetSelectedDb()
      this.currentSize = child.writer.written + this.lastIncrSize
      this.rewriteBaseSize = this.currentSize
      this.fsyncOffset = this.currentSize
      this.lastFsync = this.unixtime()
    }
    this.delHistoryFiles()
    this.lastBgrewriteStatus = 'ok'
    this.consecutiveFailures = 0
    this.log('notice', 'Background AOF rewrite finished successfully')
    if (this.state === 'wait-rewrite') this.state = 'on'
    this.log('verbose', 'Background AOF rewrite signal handler took 0us')
  }

  /** serverCron's automatic rewrite: the AOF grew by auto-aof-rewrite-percentage over its base. */
  private autoRewrite(): void {
    const server = this.server
    const perc = server.config.num('auto-aof-rewrite-percentage')
    if (this.state !== 'on' || perc === 0 || this.currentSize <= server.config.num('auto-aof-rewrite-min-size')) return
    const base = this.rewriteBaseSize > 0 ? this.rewriteBaseSize : 1
    const growth = Math.trunc((this.currentSize * 100) / base) - 100
    if (growth >= perc && !this.rewriteLimited()) {
      this.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`)
      this.rewriteBackground()
    }
  }

  /** BGREWRITEAOF. */
  bgrewriteaofCommand(inExec: boolean): Reply {
    if (this.p.childIs('aof')) return error('ERR Background append only file rewriting already in progress')
    if (this.p.child !== null || inExec) {
      this.rewriteScheduled = true
      this.consecutiveFailures = 0
      return { kind: 'status', value: 'Background append only file rewriting scheduled' }
    }
    if (this.rewriteBackground()) return { kind: 'status', value: 'Background append only file rewriting started' }
    return error('ERR Can\'t execute an AOF background rewriting. Please check the server logs for more information.')
  }

  // ------------------------------------------------------------ start-up, loading, shutdown

  /** aofLoadManifestFromDisk. Throws AofManifestError (Redis exits). */
  loadManifestFromDisk(): void {
    this.manifest = emptyManifest()
    const data = this.storage.read(this.path(manifestName(this.filename)))
    if (data === null) {
      this.log('debug', `The AOF manifest file ${manifestName(this.filename)} doesn't exist`)
      return
    }
    this.manifest = parseManifest(bytesToByteString(data))
  }

  /**
   * aofUpgradePrepare: an appendonly.aof in `dir` from before 7.0 becomes the
   * base of a new manifest, moved into the directory.
   */
  private upgradeIfNeeded(): boolean {
    const st = this.storage
    if (st.read(this.filename) === null) return true
    const am = this.manifest
    const upgrade =
      (am.base === null && am.incr.length === 0) ||
      (am.base !== null && am.incr.length === 0 && am.base.name === this.filename && st.read(this.path(this.filename)) === null)
    if (!upgrade) return true
    if (!this.createDir()) return false
    am.base = { name: this.filename, seq: 1, type: 'b' }
    am.currBaseSeq = 1
    am.dirty = true
    if (!this.persistManifest(am)) return false
    try {
      st.rename(this.filename, this.path(this.filename))
    } catch (e) {
      this.log('warning', `Error trying to move the old AOF file ${this.filename} into dir ${this.dirname}: ${(e as Error).message}`)
      return false
    }
    this.log('notice', `Successfully migrated an old-style AOF file (${this.filename}) into the AOF directory (${this.dirname}).`)
    return true
  }

  private loadOptions(): AofLoadOptions {
    return {
      log: (l, m) => this.log(l, m),
      aofFilename: this.filename,
      loadTruncated: this.server.config.bool('aof-load-truncated'),
      nowUs: () => this.server.clock.nowUs(),
    }
  }

  /**
   * loadDataFromDisk's AOF part (appendonly yes at start): upgrade an old
   * file, load the manifest's files. Returns the status; 'failed' and
   * 'open-err' mean the server must exit(1) (the lines are logged).
   */
  loadAppendOnlyFiles(): AofStatus {
    if (!this.upgradeIfNeeded()) return 'failed'
    const am = this.manifest
    const r = loadAppendOnlyFiles(this.server, this.files, am, this.loadOptions())
    if (r.status === 'ok' || r.status === 'truncated' || r.status === 'empty') {
      this.currentSize = r.totalSize
      this.rewriteBaseSize = r.baseSize
      this.fsyncOffset = this.currentSize
    }
    return r.status
  }

  /**
   * The whole start-up sequence of server.c main() for the AOF:
   * aofLoadManifestFromDisk, loadDataFromDisk (when appendonly is yes),
   * aofOpenIfNeededOnServerStart, aofDelHistoryFiles. Returns false when the
   * server must exit(1); the reasons are logged.
   */
  startup(loadRdb: () => boolean = () => true): boolean {
    try {
      this.loadManifestFromDisk()
    } catch (e) {
      if (!(e instanceof AofManifestError)) throw e
      for (const l of e.lines) this.log('warning', l)
      return false
    }
    if (this.server.config.bool('appendonly')) {
      this.state = 'on'
      this.setHook(true)
      const t0 = this.server.clock.nowUs()
      const ret = this.loadAppendOnlyFiles()
      if (ret === 'failed' || ret === 'open-err') return false
      if (ret !== 'not-exist') this.log('notice', `DB loaded from append only file: ${((this.server.clock.nowUs() - t0) / 1e6).toFixed(3)} seconds`)
    } else if (!loadRdb()) {
      return false
    }
    if (!this.openOnServerStart()) return false
    this.delHistoryFiles()
    return true
  }

  /** aofOpenIfNeededOnServerStart: a base for an empty start, the last incr file opened for appending. */
  openOnServerStart(): boolean {
    if (this.state !== 'on') return true
    if (!this.createDir()) return false
    const am = this.manifest
    const incrLen = am.incr.length
    if (am.base === null && incrLen === 0) {
      const base = newBaseFile(am, this.filename, this.server.config.bool('aof-use-rdb-preamble'))
      if (!this.rewriteSync(this.path(base))) return false
      this.log('notice', `Creating AOF base file ${base} on server start`)
    }
    const name = lastIncrFile(am, this.filename)
    try {
      // open(O_APPEND|O_CREAT): an existing file keeps its bytes.
      if (this.storage.read(this.path(name)) === null) this.storage.write(this.path(name), new Uint8Array(0))
    } catch (e) {
      this.log('warning', `Can't open the append-only file ${name}: ${(e as Error).message}`)
      return false
    }
    this.fd = name
    if (!this.persistManifest(am)) return false
    this.lastIncrSize = this.storage.read(this.path(name))?.length ?? 0
    this.log('notice', incrLen ? `Opening AOF incr file ${name} on server start` : `Creating AOF incr file ${name} on server start`)
    return true
  }

  /** rewriteAppendOnlyFile: the dataset as a base file, synchronously, through a temp file in `dir`. */
  rewriteSync(target: string): boolean {
    const server = this.server
    const tmp = `temp-rewriteaof-${this.p.pid}.aof`
    try {
      const nowMs = server.clock.nowMs()
      const bytes = server.config.bool('aof-use-rdb-preamble')
        ? rdbSaveToBytes(server, { nowMs, usedMem: memoryOverhead(server).totalAllocated, aofBase: true })
        : aofRewriteToBytes(server, server.config.bool('aof-timestamp-enabled') ? { timestampSec: Math.floor(nowMs / 1000) } : {})
      this.storage.write(tmp, bytes)
    } catch (e) {
      this.log('warning', `Write error writing append only file on disk: ${(e as Error).message}`)
      this.storage.remove(tmp)
      return false
    }
    try {
      this.storage.rename(tmp, target)
    } catch (e) {
      this.log('warning', `Error moving temp append only file on the final destination: ${(e as Error).message}`)
      this.storage.remove(tmp)
      return false
    }
    return true
  }

  /** prepareForShutdown's AOF part. */
  prepareForShutdown(force: boolean): boolean {
    if (this.p.childIs('aof')) {
      if (this.state === 'wait-rewrite') {
        if (force) {
          this.log('warning', 'Writing initial AOF. Exit anyway.')
        } else {
          this.log('warning', "Writing initial AOF, can't exit.")
          return false
        }
      }
      this.log('warning', 'There is a child rewriting the AOF. Killing it!')
      this.killChild()
    }
    if (this.state !== 'off') {
      this.log('notice', 'Calling fsync() on the AOF file.')
      this.flush(true)
      if (this.fd !== null) {
        try {
          this.sync(this.fd)
        } catch (e) {
          this.log('warning', `Fail to fsync the AOF file: ${(e as Error).message}.`)
        }
      }
    }
    return true
  }

  /** loadSingleAppendOnlyFile, for tests and tools. */
  loadSingle(name: string): AofStatus {
    return loadSingleAppendOnlyFile(this.server, this.files, name, this.loadOptions())
  }

  info(): AofInfoFields {
    const now = this.unixtime()
    return {
      enabled: this.state !== 'off',
      rewriteInProgress: this.p.childIs('aof'),
      rewriteScheduled: this.rewriteScheduled,
      lastRewriteTimeSec: this.rewriteTimeLast,
      currentRewriteTimeSec: this.rewriteTimeStart !== -1 ? now - this.rewriteTimeStart : -1,
      lastBgrewriteStatus: this.lastBgrewriteStatus,
      rewrites: this.rewrites,
      rewritesConsecutiveFailures: this.consecutiveFailures,
      lastWriteStatus: this.lastWriteStatus,
      lastCowSize: this.p.lastAofCowSize,
      currentSize: this.currentSize,
      baseSize: this.rewriteBaseSize,
      pendingRewrite: this.rewriteScheduled,
      bufferLength: this.buf.length,
      delayedFsync: this.delayedFsync,
    }
  }
}

const states = new WeakMap<Server, Aof>()

/** The server's AOF state (created, off, on first use). */
export function aof(server: Server): Aof {
  let a = states.get(server)
  if (a === undefined) {
    a = new Aof(server, persistence(server))
    states.set(server, a)
    const a2 = a
    infoState(server).aofInfo = () => a2.info()
  }
  return a
}

/**
 * Start-up for a host: the AOF's part of main() (call after attachPersistence,
 * and instead of the RDB load when appendonly is yes). False: exit(1).
 */
export function aofStartup(server: Server, opts: { exit?: (code: number) => void; loadRdb?: () => boolean } = {}): boolean {
  const a = aof(server)
  if (opts.exit) a.exit = opts.exit
  return a.startup(opts.loadRdb)
}

/**
 * createServer's hook: CONFIG SET appendonly reaches the AOF (which is
 * created on first use). A start-up `appendonly yes` is the host's to act on
 * (aofStartup), as it is main()'s in Redis.
 */
export function installAof(server: Server): void {
  server.config.onChange('appendonly', (v) => aof(server).appendonlyChanged(v))
}
