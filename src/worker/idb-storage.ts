// The engine's Storage (engine/persistence/storage.ts) on IndexedDB, for the
// browser worker (design.md "Persistence").
//
// Storage is synchronous and IndexedDB is not, so the whole directory lives in
// memory: it is read once at start, reads are served from memory, and every
// change is written behind. Changes are queued in order and committed in
// batches, each batch one readwrite transaction; a rename puts the new name
// and deletes the old one in the same transaction, so the files on disk move
// from one consistent state to the next (a reader after a crash sees the old
// file or the new one, never neither). A batch that fails (quota, an aborted
// transaction) makes the next call throw a StorageError with a strerror-like
// message, so the save that follows fails the way a full disk makes rdbSave
// fail; the failed changes stay queued and are tried again with the next ones.
//
// File names are free-form keys ("dump.rdb", "appendonlydir/appendonly.aof.1.incr.aof"):
// a "directory" is only a prefix, as Redis's appenddirname is for the AOF.
//
// Temporary files (a base name starting with "temp-": temp-<pid>.rdb, the AOF
// rewrite's temp files) stay in memory until they are renamed: a BGSAVE that
// appends to its temp file at every cron step would otherwise rewrite the whole
// growing file in IndexedDB each time. Their rename still commits the new name
// (and the removal of any older copy) atomically. On a crash Redis leaves its
// temp files behind; here they vanish, which no loader can tell apart.

import { openDB, type IDBPDatabase } from 'idb'
import { StorageError, type Storage } from '../../engine/persistence/storage.ts'

export const IDB_NAME = 'glassbox-data'
export const IDB_STORE = 'files'

/** Where the files really go: one load at start, then atomic batches of puts (bytes) and deletes (null). */
export interface FileBackend {
  loadAll(): Promise<Map<string, Uint8Array>>
  /** Apply every change in one transaction, all or nothing. Rejects with the DOMException (or Error) that stopped it. */
  commit(changes: ReadonlyMap<string, Uint8Array | null>): Promise<void>
  /** Where the files are, for log lines. */
  describe(): string
}

/** The errno text for a failed IndexedDB write. */
export function strerror(e: unknown): string {
  const name = e instanceof Error || (typeof e === 'object' && e !== null && 'name' in e) ? String((e as { name: unknown }).name) : ''
  if (name === 'QuotaExceededError') return 'No space left on device'
  if (name === 'ReadOnlyError') return 'Read-only file system'
  if (name === 'NotFoundError' || name === 'VersionError') return 'No such file or directory'
  // AbortError, UnknownError, InvalidStateError (the database closed under us), DataCloneError ...
  return 'Input/output error'
}

/** IndexedDB through idb: one database, one object store of files keyed by name. */
export class IdbBackend implements FileBackend {
  private constructor(
    private readonly db: IDBPDatabase,
    private readonly name: string,
  ) {}

  static async open(name = IDB_NAME): Promise<IdbBackend> {
    const db = await openDB(name, 1, {
      upgrade(d) {
        d.createObjectStore(IDB_STORE)
      },
    })
    return new IdbBackend(db, name)
  }

  async loadAll(): Promise<Map<string, Uint8Array>> {
    const tx = this.db.transaction(IDB_STORE, 'readonly')
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()])
    await tx.done
    const files = new Map<string, Uint8Array>()
    keys.forEach((k, i) => {
      const v: unknown = values[i]
      // Only what this module wrote counts as a file; anything else in the store is ignored.
      if (typeof k === 'string' && v instanceof Uint8Array) files.set(k, v)
    })
    return files
  }

  async commit(changes: ReadonlyMap<string, Uint8Array | null>): Promise<void> {
    const tx = this.db.transaction(IDB_STORE, 'readwrite')
    const reqs: Promise<unknown>[] = []
    for (const [name, data] of changes) reqs.push(data === null ? tx.store.delete(name) : tx.store.put(data, name))
    // Commit now rather than when the event loop comes back: the page may be closing.
    tx.commit()
    // A failed request aborts the transaction; tx.done rejects with the reason.
    await Promise.all([...reqs.map((r) => r.catch(() => undefined)), tx.done])
  }

  describe(): string {
    return `indexeddb://${this.name}/${IDB_STORE}`
  }
}

/**
 * A Storage over any FileBackend: the directory in memory, changes written
 * behind in order (see the header comment).
 */
export class WriteBehindStorage implements Storage {
  private readonly files: Map<string, Uint8Array>
  /** Changes not yet handed to the backend: the final state of each file since the last batch. */
  private pending = new Map<string, Uint8Array | null>()
  private inFlight: Promise<void> | null = null
  /** A batch failed: thrown by the next call (once). */
  private failure: StorageError | null = null
  /** The last failure's message, kept for the status display until a batch succeeds. */
  lastError: string | null = null
  /** A failed batch waits for the next change (or retry()) instead of looping on a full disk. */
  private stalled = false
  private idleWaiters: (() => void)[] = []
  /** Batches committed so far (tests). */
  committedBatches = 0

  constructor(
    private readonly backend: FileBackend,
    initial: Map<string, Uint8Array> = new Map(),
  ) {
    this.files = initial
  }

  /** Open a backend and read its whole directory. */
  static async open(backend: FileBackend): Promise<WriteBehindStorage> {
    return new WriteBehindStorage(backend, await backend.loadAll())
  }

  private check(): void {
    const f = this.failure
    if (f === null) return
    this.failure = null
    throw f
  }

  read(name: string): Uint8Array | null {
    this.check()
    const f = this.files.get(name)
    return f === undefined ? null : f.slice()
  }

  write(name: string, data: Uint8Array): void {
    this.check()
    const copy = data.slice()
    this.files.set(name, copy)
    this.queue(name, copy)
  }

  append(name: string, data: Uint8Array): void {
    this.check()
    const old = this.files.get(name)
    let next: Uint8Array
    if (old === undefined) {
      next = data.slice()
    } else {
      // A new array each time: a batch in flight keeps the bytes it was given.
      next = new Uint8Array(old.length + data.length)
      next.set(old)
      next.set(data, old.length)
    }
    this.files.set(name, next)
    this.queue(name, next)
  }

  rename(from: string, to: string): void {
    this.check()
    const f = this.files.get(from)
    if (f === undefined) throw new StorageError('No such file or directory')
    if (from === to) return
    this.files.delete(from)
    this.files.set(to, f)
    // Both halves join the same pending batch, hence the same transaction.
    this.pending.set(to, f)
    this.pending.set(from, null)
    this.kick()
  }

  /**
   * fsync (the AOF's AofStorageExtras.sync): IndexedDB cannot be waited for
   * here, and changes are already on their way; like fsync(2) reporting an
   * earlier write-back error, a failed batch is thrown now.
   */
  sync(name: string): void {
    void name
    this.check()
  }

  /** truncate(2): keep the first `size` bytes (the AOF loader cuts a torn tail this way). */
  truncate(name: string, size: number): void {
    this.check()
    const f = this.files.get(name)
    if (f === undefined) throw new StorageError('No such file or directory')
    if (size >= f.length) return
    const next = f.slice(0, size)
    this.files.set(name, next)
    this.queue(name, next)
  }

  list(): string[] {
    this.check()
    return [...this.files.keys()]
  }

  remove(name: string): boolean {
    this.check()
    if (!this.files.delete(name)) return false
    this.queue(name, null)
    return true
  }

  describe(): string {
    return this.backend.describe()
  }

  /** read() that leaves a pending failure for the next real call (displays, downloads). */
  peek(name: string): Uint8Array | null {
    const f = this.files.get(name)
    return f === undefined ? null : f.slice()
  }

  /** list() that leaves a pending failure for the next real call. */
  names(): string[] {
    return [...this.files.keys()]
  }

  /** The sizes of the files, for the status display (no copies). */
  sizes(): Array<{ name: string; size: number }> {
    return [...this.files].map(([name, f]) => ({ name, size: f.length }))
  }

  /** True while changes wait to be committed. */
  get busy(): boolean {
    return this.inFlight !== null || this.pending.size > 0
  }

  /** Resolves once every change made so far has been committed, or has failed. */
  flushed(): Promise<void> {
    if (this.inFlight === null && (this.pending.size === 0 || this.stalled)) return Promise.resolve()
    return new Promise((r) => this.idleWaiters.push(r))
  }

  private queue(name: string, data: Uint8Array | null): void {
    // A temp file is written when it is renamed (a removal is still queued: an old copy may be on disk).
    if (data !== null && isTempName(name)) return
    // Re-inserting moves the key to the end: the batch applies changes in the order they were last made.
    this.pending.delete(name)
    this.pending.set(name, data)
    this.kick()
  }

  /** Start a batch unless one is running (the running one starts the next when it ends). */
  private kick(): void {
    if (this.inFlight !== null || this.pending.size === 0) return
    this.stalled = false
    const batch = this.pending
    this.pending = new Map()
    this.inFlight = this.backend.commit(batch).then(
      () => {
        this.committedBatches++
        this.lastError = null
        this.done()
      },
      (e: unknown) => {
        const err = new StorageError(strerror(e))
        this.failure = err
        this.lastError = err.message
        // Keep the failed changes, under any newer ones, for the next attempt.
        const merged = new Map(batch)
        for (const [k, v] of this.pending) {
          merged.delete(k)
          merged.set(k, v)
        }
        this.pending = merged
        this.stalled = true
        this.done(false)
      },
    )
  }

  private done(retry = true): void {
    this.inFlight = null
    // After a failure the next change (or an explicit flush) tries again; no retry loop on a full disk.
    if (retry && this.pending.size > 0) {
      this.kick()
      return
    }
    for (const w of this.idleWaiters.splice(0)) w()
  }

  /** Try the queued changes again (after a failure), resolving when done. */
  retry(): Promise<void> {
    this.kick()
    return this.flushed()
  }
}

/** A temporary file by Redis's naming (TEMP_FILE_NAME_PREFIX, temp-<pid>.rdb). */
export function isTempName(name: string): boolean {
  return name.slice(name.lastIndexOf('/') + 1).startsWith('temp-')
}

/** Open the browser's IndexedDB directory as a Storage. */
export async function openIdbStorage(name = IDB_NAME): Promise<WriteBehindStorage> {
  return WriteBehindStorage.open(await IdbBackend.open(name))
}
