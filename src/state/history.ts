// REPL history kept in IndexedDB across reloads (one list shared by every
// client, like redis-cli's ~/.rediscli_history). Lines are stored as typed
// (UTF-16 text, not byte strings: they are what the learner typed).

import { openDB, type IDBPDatabase } from 'idb'

const DB_NAME = 'glassbox-repl'
const STORE = 'history'
/** linenoise keeps 100 lines by default; a learner's session benefits from more. */
export const HISTORY_MAX = 1000

export class HistoryStore {
  /** Oldest first. */
  readonly entries: string[] = []
  private db: Promise<IDBPDatabase | undefined>
  private listeners: (() => void)[] = []
  private added = 0
  /** Resolves once the stored lines are in `entries` (or storage proved unavailable). */
  readonly ready: Promise<void>

  constructor() {
    this.db = openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore(STORE, { autoIncrement: true })
      },
    }).catch(() => undefined) // private mode or blocked storage: history lives for the session only
    this.ready = this.load()
  }

  /** Read the stored lines (once, at start-up). */
  private async load(): Promise<void> {
    const db = await this.db
    if (!db) return
    try {
      const all = (await db.getAll(STORE)) as string[]
      const keep = all.slice(-HISTORY_MAX)
      // Lines added before load finished stay after the stored ones.
      this.entries.unshift(...keep)
      this.trim()
      for (const l of this.listeners) l()
    } catch {
      // unreadable store: start empty
    }
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn)
  }

  /** Add a line unless it repeats the last one (linenoiseHistoryAdd). */
  add(line: string): void {
    if (line === '' || this.entries[this.entries.length - 1] === line) return
    this.entries.push(line)
    this.trim()
    void this.persist(line)
  }

  private trim(): void {
    if (this.entries.length > HISTORY_MAX) this.entries.splice(0, this.entries.length - HISTORY_MAX)
  }

  private async persist(line: string): Promise<void> {
    const db = await this.db
    if (!db) return
    try {
      await db.add(STORE, line)
      // Keep the store bounded: drop the oldest keys past the limit every 50 additions.
      if (++this.added % 50 === 0) {
        const keys = await db.getAllKeys(STORE)
        const extra = keys.length - HISTORY_MAX
        if (extra > 0) await db.delete(STORE, IDBKeyRange.upperBound(keys[extra - 1]))
      }
    } catch {
      // quota or closed database: the in-memory history still works
    }
  }

  async clear(): Promise<void> {
    this.entries.length = 0
    const db = await this.db
    await db?.clear(STORE)
  }
}

let shared: HistoryStore | undefined
export function sharedHistory(): HistoryStore {
  shared ??= new HistoryStore()
  return shared
}
