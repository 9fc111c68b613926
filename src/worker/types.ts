// Plain data that crosses the worker boundary (design.md "Worker boundary").
// No engine objects: RESP bytes, byte strings, numbers.

import type { TraceEvent } from '../../engine/introspect/events.ts'

/**
 * One thing a client receives, numbered per client. Replies and pushes travel on
 * two message channels (send()'s result and the client's callback), which do not
 * promise an order between them; the page puts frames back in `seq` order.
 */
export type Frame =
  /** The reply to a command (also the late reply of a blocked one), RESP-encoded in the client's protocol. */
  | { seq: number; kind: 'reply'; bytes: Uint8Array }
  /** Anything else: pub/sub messages and confirmations, MONITOR lines, RESP3 pushes. */
  | { seq: number; kind: 'push'; bytes: Uint8Array }
  /** The server closed the client (QUIT, CLIENT KILL, RESET does not). */
  | { seq: number; kind: 'closed' }
  /** A blocked command has ended (after its late reply, if it has one): the client takes commands again. */
  | { seq: number; kind: 'unblocked' }

export interface SendResult {
  /** Frames produced while the command ran, reply last. */
  frames: Frame[]
  /** The command returned no reply and left the client blocked: its reply comes later as a frame. */
  blocked: boolean
}

export interface OpenedClient {
  id: number
  /** The number of the first frame this client will receive. */
  firstSeq: number
}

export interface EngineInfo {
  version: string
  /** Seed of the engine's Random (for reproducible lessons). */
  seed: number
}

export type FrameSink = (frames: Frame[]) => void
export type TraceSink = (events: TraceEvent[]) => void

export interface EngineOptions {
  seed?: number
}

/** The API the worker exposes with comlink (every method is async on the page side). */
import type { InspectWindow, KeySnapshot } from '../../engine/introspect/inspect.ts'
import type { KeyInfo, KeyMeta, KeyScanOptions, KeyScanResult } from './key-listing.ts'

export interface EngineApi {
  /** A snapshot of one key's structure (engine/introspect/inspect.ts), or null when it does not exist. */
  inspect(db: number, key: string, window?: InspectWindow): KeySnapshot | null
  /** The keys a command line names (COMMAND GETKEYS), [] when none or not a command. */
  commandKeys(argv: string[]): string[]
  /** Key browser: one SCAN step of a db (no stats, no LRU touch, no lazy expiry; expired keys left out). */
  scanKeys(db: number, cursor: number, opts?: KeyScanOptions): KeyScanResult
  /** Key browser: type, encoding, TTL and MEMORY USAGE of a key without touching it; null when missing. */
  keyMeta(db: number, key: string): KeyMeta | null
  /** Key browser: type, encoding and TTL of several keys (live updates); null for missing ones. */
  keysInfo(db: number, keys: string[]): (KeyInfo | null)[]
  /** DBSIZE of a db, not run as a command. */
  dbSize(db: number): number
  /** CONFIG GET of the encoding thresholds the views draw against. */
  thresholds(): Record<string, number>
  info(): EngineInfo
  /** Restart the engine's random sequence from `seed` (skiplist levels, random picks): same seed, same levels. */
  setSeed(seed: number): void
  openClient(sink: FrameSink): OpenedClient
  closeClient(id: number): void
  send(id: number, argv: string[]): SendResult
  /** COMMAND DOCS for every implemented command, RESP2-encoded (the REPL's help table). */
  commandDocs(): Uint8Array
  subscribeTrace(sink: TraceSink): number
  unsubscribeTrace(token: number): void
}

// ---- persistence (issue 7): saved data, the multi-tab lock, import/export ----

export interface BootOptions {
  /**
   * 'persistent' (the default): own the data saved in this browser, unless another
   * tab does; 'memory': a temporary server whose files live in memory only.
   */
  storage?: 'persistent' | 'memory'
}

/** Why the running server keeps its files in memory. */
export type MemoryReason = 'asked' | 'other-tab' | 'unavailable' | 'load-failed'

export interface PersistenceStatus {
  /** 'indexeddb': the files are kept in this browser; 'memory': nothing outlives the page. */
  storage: 'indexeddb' | 'memory'
  memoryReason?: MemoryReason
  /** LASTSAVE: unix time (s) of the last successful save (the start time before any). */
  lastSave: number
  /** rdb_changes_since_last_save. */
  changesSinceSave: number
  /** CONFIG GET save ('' = no save points). */
  savePoints: string
  appendonly: boolean
  bgsaveInProgress: boolean
  lastBgsaveStatus: 'ok' | 'err'
  /** The saved files (IndexedDB's, also while the server runs in memory after a failed load). */
  files: { name: string; size: number }[]
  dbfilename: string
  /** The last IndexedDB write that failed ("No space left on device"), until one succeeds. */
  writeError: string | null
  /** Changes still being written to IndexedDB. */
  writing: boolean
}

export type BootResult =
  /** Another tab owns the saved data; boot({ storage: 'memory' }) runs a temporary server. */
  | { state: 'locked' }
  /** The server runs. `log` holds the start-up lines redis-server would print (empty when nothing was loaded). */
  | { state: 'running'; log: string[]; status: PersistenceStatus }

/** A file to hand to the user (transferred). */
export interface ExportedFile {
  name: string
  bytes: Uint8Array
}

export type ImportResult =
  | { ok: true; keysLoaded: number; keysExpired: number; saved: boolean; log: string[] }
  /** The file was refused and nothing changed; `log` holds the lines redis-server would print. */
  | { ok: false; error: string; log: string[] }

export interface PersistenceApi {
  /** Start the server (once; later calls return how it runs). Every EngineApi call waits for it. */
  boot(opts?: BootOptions): Promise<BootResult>
  persistenceStatus(): PersistenceStatus
  /** The page is being hidden or closed: SHUTDOWN's final save when there are changes. Resolves once written. */
  pageHidden(): Promise<boolean>
  /** dump.rdb of the data as it is now ('current', serialised like SAVE without writing), or the saved file. */
  exportRdb(source: 'current' | 'saved'): ExportedFile | null
  /** The AOF directory's files, manifest first ([] when there is no AOF). */
  exportAof(): ExportedFile[]
  /** Check an RDB file completely; when it loads, replace the dataset with it and save. */
  importRdb(bytes: Uint8Array): ImportResult
  /** FLUSHALL and delete every saved file. */
  resetData(): PersistenceStatus
  /** The server log (redis-server's format), the lines after `from` (a `next` from before), and the next position. */
  serverLog(from?: number): { lines: string[]; next: number }
}
