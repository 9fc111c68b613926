// The Storage interface the persistence code writes through (design.md
// "Persistence"): a flat directory of named files (Redis's `dir`). Node
// implements it on the file system (engine/node/file-storage.ts), the browser
// on IndexedDB, tests on memory (MemoryStorage below).
//
// The interface is synchronous on purpose: SAVE, SHUTDOWN and DEBUG RELOAD are
// synchronous in Redis (the server does nothing else meanwhile) and the
// engine's commands return their reply at once. An asynchronous backend
// (IndexedDB) keeps the directory in memory and writes behind; a write it
// could not complete must make the next call throw, so the save that follows
// fails the way a full disk makes rdbSave fail.

/** A failed storage operation; `message` is the strerror-like reason Redis would log. */
export class StorageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StorageError'
  }
}

export interface Storage {
  /** The whole file, or null when it does not exist. */
  read(name: string): Uint8Array | null
  /** Create or replace a file with these bytes. */
  write(name: string, data: Uint8Array): void
  /** Append to a file, creating it when missing. */
  append(name: string, data: Uint8Array): void
  /** Atomically replace `to` with `from` (rename(2)): readers see the old or the new file, never a mix. */
  rename(from: string, to: string): void
  /** The names of the files in the directory. */
  list(): string[]
  /** Delete a file; false when it did not exist. */
  remove(name: string): boolean
  /** Where the files are, for log lines ("in server root dir ..."). */
  describe(): string
}

/** Storage in memory: for tests and for a server that has no place to keep files. */
export class MemoryStorage implements Storage {
  readonly files = new Map<string, Uint8Array>()
  /** When set, writes and appends beyond this many bytes in total fail (a full disk, for tests). */
  capacity = Infinity

  private used(): number {
    let n = 0
    for (const f of this.files.values()) n += f.length
    return n
  }

  private check(extra: number): void {
    if (this.capacity !== Infinity && this.used() + extra > this.capacity) throw new StorageError('No space left on device')
  }

  read(name: string): Uint8Array | null {
    const f = this.files.get(name)
    return f === undefined ? null : f.slice()
  }

  write(name: string, data: Uint8Array): void {
    this.check(data.length - (this.files.get(name)?.length ?? 0))
    this.files.set(name, data.slice())
  }

  append(name: string, data: Uint8Array): void {
    this.check(data.length)
    const old = this.files.get(name)
    if (old === undefined) {
      this.files.set(name, data.slice())
      return
    }
    const n = new Uint8Array(old.length + data.length)
    n.set(old)
    n.set(data, old.length)
    this.files.set(name, n)
  }

  rename(from: string, to: string): void {
    const f = this.files.get(from)
    if (f === undefined) throw new StorageError('No such file or directory')
    this.files.delete(from)
    this.files.set(to, f)
  }

  list(): string[] {
    return [...this.files.keys()]
  }

  remove(name: string): boolean {
    return this.files.delete(name)
  }

  describe(): string {
    return '(memory)'
  }
}
