// Persistence for the engine in the browser worker (issue 7): start-up (the
// data lock, IndexedDB, loading dump.rdb like engine/node/main.ts does, with
// its log lines), the save when the page is hidden, and the app's import,
// export and reset of the saved files.
//
// Kept free of worker globals (the lock manager, the IndexedDB opener, the
// host factory are injected) so it runs under vitest.

import type { Clock } from '../../engine/server/clock.ts'
import { SeededRandom } from '../../engine/server/random.ts'
import { createServer, type Server } from '../../engine/server/server.ts'
import { memoryOverhead } from '../../engine/server/info.ts'
import { RdbLoadError, rdbLoadBytes, rdbSaveToBytes, REDIS_VERSION } from '../../engine/persistence/rdb.ts'
import { attachPersistence, loadErrorLines, type Persistence } from '../../engine/persistence/snapshot.ts'
import { MemoryStorage, type Storage } from '../../engine/persistence/storage.ts'
import { aofStartup } from '../../engine/persistence/aof.ts'
import type { EngineHost } from './host.ts'
import { acquireDataLock, type HeldLock, type LockManagerLike } from './data-lock.ts'
import type { WriteBehindStorage } from './idb-storage.ts'
import { ServerLog } from './server-log.ts'
import type { BootOptions, BootResult, ExportedFile, ImportResult, MemoryReason, PersistenceApi, PersistenceStatus } from './types.ts'

export interface BootDeps {
  /** Build the engine host (the worker passes its timers); called once. */
  makeHost(seed: number): EngineHost
  clock: Clock
  /** navigator.locks, or undefined where Web Locks do not exist. */
  locks: LockManagerLike | undefined
  /** Open the browser's saved files (IndexedDB). Rejects where IndexedDB is unavailable. */
  openStorage(): Promise<WriteBehindStorage>
  /** How long to wait for a lock another worker still holds (a reload's old page), ms. */
  lockWaitMs?: number
  /** Seed for the engine's Random when the page gives none. */
  randomSeed(): number
}

/**
 * The worker's start-up: every API call waits until boot() has a running
 * server (gate()); boot() takes the data lock, opens IndexedDB and loads.
 */
export class WorkerBoot implements PersistenceApi {
  host: EngineHost | undefined
  seed: number | undefined
  private persist: BrowserPersistence | undefined
  private booting: Promise<BootResult> | undefined
  private lastResult: BootResult | undefined
  /** The start-up lines to show, returned by every boot() once the server runs. */
  private startLog: string[] = []
  private readonly ready: Promise<EngineHost>
  private resolveReady!: (h: EngineHost) => void

  constructor(private readonly deps: BootDeps) {
    this.ready = new Promise((r) => (this.resolveReady = r))
  }

  /**
   * Run fn with the host: at once when the server runs, else once it does (the
   * first call starts a persistent boot if the page has not asked for one).
   */
  gate<T>(fn: (h: EngineHost) => T): T | Promise<T> {
    if (this.host !== undefined) return fn(this.host)
    void this.boot()
    return this.ready.then(fn)
  }

  async boot(opts: BootOptions = {}): Promise<BootResult> {
    for (;;) {
      if (this.persist) return this.runningResult()
      if (!this.booting) break
      // A boot is under way: its answer is this call's too, unless it found the data locked
      // and this call asks for a temporary server.
      const r = await this.booting
      if (r.state === 'locked' && opts.storage !== 'memory') return r
    }
    this.booting = this.tryBoot(opts)
    try {
      this.lastResult = await this.booting
      return this.lastResult
    } finally {
      this.booting = undefined
    }
  }

  private async tryBoot(opts: BootOptions): Promise<BootResult> {
    if (opts.storage === 'memory') {
      return this.start(new MemoryStorage(), undefined, undefined, this.lastResult?.state === 'locked' ? 'other-tab' : 'asked')
    }
    const lock = await acquireDataLock(this.deps.locks, this.deps.lockWaitMs ?? 1500)
    if (lock === null) return { state: 'locked' }
    let files: WriteBehindStorage
    try {
      files = await this.deps.openStorage()
    } catch (e) {
      lock.release()
      return this.start(new MemoryStorage(), undefined, undefined, 'unavailable', `IndexedDB is not available (${(e as Error).message || String(e)}): the data will not be saved.`)
    }
    return this.start(files, files, lock)
  }

  private start(storage: Storage, files: WriteBehindStorage | undefined, lock: HeldLock | undefined, memoryReason?: MemoryReason, warning?: string): BootResult {
    const seed = this.seed ?? this.deps.randomSeed()
    const host = this.deps.makeHost(seed)
    // A pid that looks like one, stable for a seed (temp-<pid>.rdb, "started by pid" lines).
    const pid = 1 + (seed % 32766)
    const log = new ServerLog(pid, () => this.deps.clock.nowMs())
    const p = new BrowserPersistence(host.server, log, this.deps.clock, storage, files, lock, memoryReason)
    this.startLog = p.load(warning)
    this.persist = p
    // Let the boot reply leave before any waiting call's: the page then sees the start-up
    // log before the first client's prompt (comlink posts results in the order they settle).
    setTimeout(() => {
      this.host = host
      this.resolveReady(host)
    }, 0)
    return this.runningResult()
  }

  private runningResult(): BootResult {
    return { state: 'running', log: this.startLog, status: this.p().status() }
  }

  private p(): BrowserPersistence {
    if (!this.persist) throw new Error('the server is not running yet')
    return this.persist
  }

  persistenceStatus(): PersistenceStatus {
    return this.p().status()
  }

  pageHidden(): Promise<boolean> {
    return this.persist ? this.persist.pageHidden() : Promise.resolve(false)
  }

  exportRdb(source: 'current' | 'saved'): ExportedFile | null {
    return this.p().exportRdb(source)
  }

  exportAof(): ExportedFile[] {
    return this.p().exportAof()
  }

  importRdb(bytes: Uint8Array): ImportResult {
    return this.p().importRdb(bytes)
  }

  resetData(): PersistenceStatus {
    return this.p().reset()
  }

  serverLog(from = 0): { lines: string[]; next: number } {
    const log = this.persist?.log
    if (!log) return { lines: [], next: 0 }
    return { lines: log.since(from), next: log.written }
  }
}

/** The persistence side of one running server. */
export class BrowserPersistence {
  readonly p: Persistence

  constructor(
    readonly server: Server,
    readonly log: ServerLog,
    private readonly clock: Clock,
    /** Where the server's files go now. */
    private storage: Storage,
    /** The browser's saved files, when this tab owns them (also while the server runs in memory after a failed load). */
    private readonly files: WriteBehindStorage | undefined,
    /** Held for the worker's life. */
    readonly lock: HeldLock | undefined,
    private memoryReason: MemoryReason | undefined,
  ) {
    this.p = attachPersistence(server, { storage, log: (level, msg) => log.log(level, msg), pid: log.pid })
  }

  /**
   * main.ts's start: the banner, "Server initialized", loadDataFromDisk, "Ready
   * to accept connections". Returns the lines to show, or [] when there was
   * nothing to load (a fresh start prints nothing to the REPL).
   */
  load(warning?: string): string[] {
    const { log, p } = this
    const from = log.written
    log.log('notice', `oO0OoO0OoO0Oo Glassbox (Redis ${REDIS_VERSION} compatible) is starting oO0OoO0OoO0Oo`)
    log.log('notice', `Redis version=${REDIS_VERSION}, bits=64, commit=00000000, modified=0, pid=${log.pid}, just started`)
    log.log('notice', 'Server initialized')
    let show = false
    if (warning !== undefined) {
      log.log('warning', warning)
      show = true
    } else if (this.memoryReason === 'other-tab') {
      log.log('warning', 'Running a temporary in-memory server: another tab owns the saved data, nothing here is saved.')
      show = true
    } else if (this.memoryReason === 'asked') {
      log.log('warning', 'Running an in-memory server: nothing is saved.')
      show = true
    }
    // INFO's rdb_last_save_time is the start time until a save.
    p.syncInfo()
    const loading = log.written
    // loadDataFromDisk as main.ts does it: the AOF manifest, then the AOF files
    // (appendonly yes) or dump.rdb, then the AOF's incr file opened for appending.
    const loadRdb = (): boolean => {
      const t0 = this.clock.nowUs()
      try {
        if (p.loadFromStorage() !== null) log.log('notice', `DB loaded from disk: ${((this.clock.nowUs() - t0) / 1e6).toFixed(3)} seconds`)
      } catch (e) {
        if (!(e instanceof RdbLoadError)) throw e
        for (const line of loadErrorLines(e)) log.log('warning', line)
        return false
      }
      return true
    }
    const exit = (code: number): void => {
      // Where redis-server exits at once (a failed append with appendfsync always), the in-page server stops too.
      log.log('warning', `Exiting with code ${code}: reload the page to start the server again.`)
      this.server.shutdown()
    }
    if (!aofStartup(this.server, { loadRdb, exit })) {
      // redis-server exits here. The page keeps the saved files untouched and runs
      // in memory until the user uploads another RDB or resets.
      log.log('warning', 'The saved data could not be loaded and is kept as it is: this server runs in memory until you upload an RDB or reset.')
      this.server.flushAll()
      this.server.dirty = 0
      this.useMemory('load-failed')
    }
    // Anything logged while loading (a file loaded, an error) is worth showing.
    if (log.written > loading) show = true
    log.log('notice', 'Ready to accept connections')
    return show ? log.since(from) : []
  }

  private useMemory(reason: MemoryReason): void {
    this.memoryReason = reason
    this.storage = new MemoryStorage()
    this.p.storage = this.storage
  }

  /** Back to the browser's files (after a reset or an upload replaced a file that did not load). */
  private useFiles(): void {
    if (!this.files || this.storage === this.files) return
    this.storage = this.files
    this.p.storage = this.files
    this.memoryReason = undefined
  }

  status(): PersistenceStatus {
    const server = this.server
    const p = this.p
    const files = this.files
    return {
      storage: this.storage === files && files !== undefined ? 'indexeddb' : 'memory',
      ...(this.memoryReason ? { memoryReason: this.memoryReason } : {}),
      lastSave: Math.floor(p.lastSaveMs / 1000),
      changesSinceSave: server.dirty,
      savePoints: server.config.str('save'),
      appendonly: server.config.bool('appendonly'),
      bgsaveInProgress: p.child !== null,
      lastBgsaveStatus: p.lastBgsaveStatus,
      files: files ? files.sizes().filter((f) => !f.name.slice(f.name.lastIndexOf('/') + 1).startsWith('temp-')) : [],
      dbfilename: server.config.str('dbfilename'),
      writeError: files?.lastError ?? null,
      writing: files?.busy ?? false,
    }
  }

  /**
   * The page is hidden or closing: what SHUTDOWN does before exiting
   * (prepareForShutdown), when there are changes: a running BGSAVE is killed
   * and the dataset saved, if save points are configured. The server keeps
   * running (the page may come back).
   */
  async pageHidden(): Promise<boolean> {
    const { server, p } = this
    if (this.storage !== this.files) return false
    let saved = false
    if (server.config.str('save') !== '' && (server.dirty > 0 || p.child !== null)) {
      if (p.child) {
        this.log.log('warning', 'There is a child saving an .rdb. Killing it!')
        p.killChild()
      }
      this.log.log('notice', 'Saving the RDB snapshot: the page is being hidden or closed.')
      saved = p.save()
    }
    await this.files?.flushed()
    return saved
  }

  exportRdb(source: 'current' | 'saved'): ExportedFile | null {
    const name = this.server.config.str('dbfilename')
    if (source === 'saved') {
      const bytes = quietRead(this.files ?? this.storage, name)
      return bytes === null ? null : { name, bytes }
    }
    // rdbSave's serialisation of the data as it is now, without writing a file or touching LASTSAVE.
    const bytes = rdbSaveToBytes(this.server, { nowMs: this.clock.nowMs(), usedMem: memoryOverhead(this.server).totalAllocated })
    return { name, bytes }
  }

  exportAof(): ExportedFile[] {
    const dir = `${this.server.config.str('appenddirname')}/`
    const manifest = `${dir}${this.server.config.str('appendfilename')}.manifest`
    const storage = this.storage
    const names = quietList(storage)
      .filter((n) => n.startsWith(dir) && !n.slice(dir.length).startsWith('temp-'))
      .sort((a, b) => (a === manifest ? -1 : b === manifest ? 1 : a < b ? -1 : a > b ? 1 : 0))
    const out: ExportedFile[] = []
    for (const n of names) {
      const bytes = quietRead(storage, n)
      if (bytes !== null) out.push({ name: n, bytes })
    }
    return out
  }

  /**
   * Upload: the file is loaded first into a scratch server with deep
   * sanitisation (every listpack, intset and stream checked, and the CRC), so
   * a corrupt or truncated file is refused with redis-server's log lines and
   * the data stays untouched. Then the dataset is replaced (FLUSHALL through a
   * client, so WATCH, keyspace events and the AOF see it), loaded, and saved.
   */
  importRdb(bytes: Uint8Array): ImportResult {
    const server = this.server
    const scratch = createServer({
      clock: server.clock,
      random: new SeededRandom(1),
      config: [
        ['databases', String(server.dbs.length)],
        ['rdbchecksum', 'yes'],
        ['sanitize-dump-payload', 'yes'],
      ],
    })
    const from = this.log.written
    const p = this.p
    this.log.log('notice', `Checking the uploaded RDB file (${bytes.length} bytes)`)
    try {
      // The lines redis-server would print loading it ("Loading RDB produced by version ...").
      rdbLoadBytes(scratch, bytes, { log: p.log })
    } catch (e) {
      if (!(e instanceof RdbLoadError)) throw e
      for (const line of loadErrorLines(e)) this.log.log('warning', line)
      this.log.log('warning', 'The uploaded file was not loaded: the data is unchanged.')
      return { ok: false, error: e.reason, log: this.log.since(from) }
    }

    if (p.child) {
      this.log.log('warning', 'There is a child saving an .rdb. Killing it!')
      p.killChild()
    }
    this.flushAll()
    const t0 = this.clock.nowUs()
    // Validated above with the same databases count, so this load does not throw; its lines
    // repeat the check's, so they stay out of the log.
    const res = rdbLoadBytes(server, bytes)
    p.lastLoad = res
    this.log.log('notice', `DB loaded from the uploaded file: ${((this.clock.nowUs() - t0) / 1e6).toFixed(3)} seconds`)
    // A saved file that did not load at start is replaced now.
    this.useFiles()
    this.rewriteAofIfOn()
    const saved = p.save()
    p.syncInfo()
    return { ok: true, keysLoaded: res.keysLoaded, keysExpired: res.keysExpired, saved, log: this.log.since(from) }
  }

  /** Reset: FLUSHALL, then delete every saved file; the empty dataset needs no save. */
  reset(): PersistenceStatus {
    const p = this.p
    if (p.child) p.killChild()
    this.flushAll()
    for (const s of new Set([this.storage, this.files])) {
      if (!s) continue
      for (const name of quietList(s)) {
        try {
          s.remove(name)
        } catch {
          // A write that failed earlier surfaces once, here; the removal then goes through.
          s.remove(name)
        }
      }
    }
    this.useFiles()
    this.server.dirty = 0
    this.rewriteAofIfOn()
    this.log.log('notice', 'Data reset: FLUSHALL and every saved file deleted.')
    return this.status()
  }

  /** With appendonly on, the AOF must describe the new dataset: a rewrite starts it afresh. */
  private rewriteAofIfOn(): void {
    if (!this.server.config.bool('appendonly') || this.server.commands.lookup(['BGREWRITEAOF']) === undefined) return
    this.runAsClient(['BGREWRITEAOF'])
  }

  /**
   * FLUSHALL as a command from an internal client, so WATCH, keyspace events and
   * the AOF see it; then directly, in case the command was refused (MISCONF).
   */
  private flushAll(): void {
    this.runAsClient(['FLUSHALL'])
    this.server.flushAll()
  }

  private runAsClient(argv: string[]): void {
    const c = this.server.connect({ local: true })
    try {
      c.call(argv)
    } finally {
      c.close()
    }
  }
}

// Reads for the app's own displays and downloads must not take the pending
// write failure that the next save is meant to meet.
function quietRead(s: Storage, name: string): Uint8Array | null {
  return 'peek' in s ? (s as WriteBehindStorage).peek(name) : s.read(name)
}

function quietList(s: Storage): string[] {
  return 'names' in s ? (s as WriteBehindStorage).names() : s.list()
}
