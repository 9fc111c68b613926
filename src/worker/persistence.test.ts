// The worker's start-up and the app's persistence operations, with the
// browser parts injected: a fake Web Locks manager and an in-memory async
// backend under WriteBehindStorage.
import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../engine/server/clock.ts'
import { createServer } from '../../engine/server/server.ts'
import { SeededRandom } from '../../engine/server/random.ts'
import { rdbLoadBytes, rdbSaveToBytes } from '../../engine/persistence/rdb.ts'
import { populate, snapshot } from '../../engine/persistence/test-dataset.ts'
import { EngineHost } from './host.ts'
import { WorkerBoot } from './persistence.ts'
import { WriteBehindStorage, type FileBackend } from './idb-storage.ts'
import type { LockManagerLike } from './data-lock.ts'
import { byteString } from '../repl/resp.ts'

class MemBackend implements FileBackend {
  disk = new Map<string, Uint8Array>()
  failures: unknown[] = []
  async loadAll(): Promise<Map<string, Uint8Array>> {
    return new Map([...this.disk].map(([k, v]) => [k, v.slice()]))
  }
  async commit(changes: ReadonlyMap<string, Uint8Array | null>): Promise<void> {
    await Promise.resolve()
    const f = this.failures.shift()
    if (f !== undefined) throw f
    for (const [k, v] of changes) {
      if (v === null) this.disk.delete(k)
      else this.disk.set(k, v.slice())
    }
  }
  describe(): string {
    return 'mem://files'
  }
}

/** Web Locks, enough for one exclusive lock: ifAvailable, signal, release when the callback's promise settles. */
class FakeLocks implements LockManagerLike {
  held = new Set<string>()
  private waiters = new Map<string, (() => void)[]>()
  async request(name: string, options: LockOptions, cb: (lock: Lock | null) => unknown): Promise<unknown> {
    if (this.held.has(name)) {
      if (options.ifAvailable) return cb(null)
      await new Promise<void>((resolve, reject) => {
        const list = this.waiters.get(name) ?? []
        list.push(resolve)
        this.waiters.set(name, list)
        options.signal?.addEventListener('abort', () => {
          this.waiters.set(name, (this.waiters.get(name) ?? []).filter((w) => w !== resolve))
          reject(new DOMException('aborted', 'AbortError'))
        })
      })
    }
    this.held.add(name)
    try {
      return await cb({ name, mode: 'exclusive' } as Lock)
    } finally {
      this.held.delete(name)
      this.waiters.get(name)?.shift()?.()
    }
  }
}

const T0 = 1_700_000_000_000

function makeBoot(backend: MemBackend, locks: LockManagerLike | undefined, clock = new VirtualClock(T0 + 60_000)) {
  const boot = new WorkerBoot({
    makeHost: (seed) => new EngineHost({ clock, seed, setTimer: () => {}, nextFrame: (fn) => fn(), cron: false }),
    clock,
    locks,
    openStorage: () => WriteBehindStorage.open(backend),
    lockWaitMs: 20,
    randomSeed: () => 7,
  })
  return { boot, clock }
}

/** An RDB file of the shared test dataset, written by a server at T0. */
function sampleRdb(): { bytes: Uint8Array; expected: Record<string, string> } {
  const clock = new VirtualClock(T0)
  const server = createServer({ clock, random: new SeededRandom(1) })
  const c = server.connect()
  populate((...argv) => c.call(argv)!)
  return { bytes: rdbSaveToBytes(server, { nowMs: T0, usedMem: 1 }), expected: snapshot(server) }
}

function run(host: EngineHost, id: number, ...argv: string[]): string {
  const r = host.send(id, argv)
  const f = r.frames[r.frames.length - 1]
  return 'bytes' in f ? byteString(f.bytes) : f.kind
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('WorkerBoot', () => {
  it('loads dump.rdb at start with the lines redis-server prints, and every call waits for it', async () => {
    const backend = new MemBackend()
    const { bytes, expected } = sampleRdb()
    backend.disk.set('dump.rdb', bytes)
    const { boot } = makeBoot(backend, new FakeLocks())
    // A call made before the boot finishes waits for it.
    const early = boot.gate((h) => h.server.dbs[0].dict.size)
    const r = await boot.boot()
    expect(r.state).toBe('running')
    if (r.state !== 'running') return
    const msgs = r.log.map((l) => l.replace(/^\d+:M \d\d \w{3} \d{4} [\d:.]+ /, ''))
    expect(msgs).toEqual([
      '* oO0OoO0OoO0Oo Glassbox (Redis 7.0.15 compatible) is starting oO0OoO0OoO0Oo',
      '* Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=8, just started',
      '* Server initialized',
      '* Loading RDB produced by version 7.0.15',
      '* RDB age 60 seconds',
      expect.stringMatching(/^\* RDB memory usage when created 0\.00 Mb$/),
      '* Done loading RDB, keys loaded: 13, keys expired: 0.',
      expect.stringMatching(/^\* DB loaded from disk: 0\.000 seconds$/),
      '* Ready to accept connections',
    ])
    expect(r.status).toMatchObject({ storage: 'indexeddb', dbfilename: 'dump.rdb', savePoints: '3600 1 300 100 60 10000' })
    expect(await early).toBe(12)
    expect(snapshot(boot.host!.server)).toEqual(expected)
    // A later boot() (the page's, after a call started one) gets the same start-up log.
    const again = await boot.boot()
    expect(again.state === 'running' && again.log).toEqual(r.log)
  })

  it('prints nothing to the REPL on a fresh start', async () => {
    const { boot } = makeBoot(new MemBackend(), new FakeLocks())
    const r = await boot.boot()
    expect(r).toMatchObject({ state: 'running', log: [] })
    expect(boot.serverLog().lines.at(-1)).toMatch(/ \* Ready to accept connections$/)
  })

  it('a second tab is told the data is in use, and can run a temporary in-memory server', async () => {
    const locks = new FakeLocks()
    const backend = new MemBackend()
    const first = makeBoot(backend, locks).boot
    await first.boot()
    await tick()
    const second = makeBoot(backend, locks).boot
    expect(await second.boot()).toEqual({ state: 'locked' })
    const r = await second.boot({ storage: 'memory' })
    expect(r.state).toBe('running')
    if (r.state !== 'running') return
    expect(r.status).toMatchObject({ storage: 'memory', memoryReason: 'other-tab', files: [] })
    expect(r.log.some((l) => l.includes('# Running a temporary in-memory server'))).toBe(true)
    await tick()
    const h = second.host!
    const { id } = h.openClient(() => {})
    expect(run(h, id, 'SET', 'k', 'v')).toBe('+OK\r\n')
    expect(await second.pageHidden()).toBe(false)
    expect(backend.disk.size).toBe(0)
  })

  it('takes the lock once the old owner lets go within the wait (a reload)', async () => {
    const locks = new FakeLocks()
    let release!: () => void
    void locks.request('glassbox-data', { mode: 'exclusive' }, () => new Promise<void>((r) => (release = r)))
    await tick()
    const { boot } = makeBoot(new MemBackend(), locks)
    const p = boot.boot()
    setTimeout(() => release(), 5)
    expect((await p).state).toBe('running')
  })

  it('saves when the page is hidden with changes (and not without), like SHUTDOWN', async () => {
    const backend = new MemBackend()
    const { boot } = makeBoot(backend, new FakeLocks())
    await boot.boot()
    await tick()
    const h = boot.host!
    expect(await boot.pageHidden()).toBe(false)
    const { id } = h.openClient(() => {})
    run(h, id, 'SET', 'k', 'v', 'EX', '100')
    run(h, id, 'RPUSH', 'l', 'a', 'b')
    expect(await boot.pageHidden()).toBe(true)
    expect([...backend.disk.keys()]).toEqual(['dump.rdb'])
    expect(boot.persistenceStatus().changesSinceSave).toBe(0)
    // A new worker on the same files gets the keys back.
    const next = makeBoot(backend, new FakeLocks()).boot
    const r = await next.boot()
    expect(r.state === 'running' && r.log.some((l) => l.endsWith('Done loading RDB, keys loaded: 2, keys expired: 0.'))).toBe(true)
    // With save points off (save ""), SHUTDOWN would not save, nor does hiding the page.
    run(h, id, 'CONFIG', 'SET', 'save', '')
    run(h, id, 'SET', 'k2', 'v')
    expect(await boot.pageHidden()).toBe(false)
  })

  it('refuses a truncated or bit-flipped upload with redis-server\'s lines and changes nothing; a good one replaces the data and is saved', async () => {
    const backend = new MemBackend()
    const { boot } = makeBoot(backend, new FakeLocks())
    await boot.boot()
    await tick()
    const h = boot.host!
    const { id } = h.openClient(() => {})
    run(h, id, 'SET', 'mine', '1')
    const { bytes, expected } = sampleRdb()

    const truncated = bytes.slice(0, bytes.length - 20)
    const r1 = boot.importRdb(truncated)
    expect(r1.ok).toBe(false)
    if (r1.ok) return
    expect(r1.error).toBe('Unexpected EOF reading RDB file')
    expect(r1.log.some((l) => l.includes('# Short read or OOM loading DB. Unrecoverable error, aborting now.'))).toBe(true)
    expect(r1.log.some((l) => /# Internal error in RDB reading offset \d+, function at rdb.c:3249 -> Unexpected EOF reading RDB file/.test(l))).toBe(true)

    const flipped = bytes.slice()
    flipped[Math.floor(flipped.length / 2)] ^= 0x10
    const r2 = boot.importRdb(flipped)
    expect(r2.ok).toBe(false)
    if (r2.ok) return
    expect(r2.log.join('\n')).toMatch(/Wrong RDB checksum|Internal error in RDB reading/)

    const r3 = boot.importRdb(new TextEncoder().encode('hello world'))
    expect(r3).toMatchObject({ ok: false, error: 'Wrong signature' })

    expect(run(h, id, 'DBSIZE')).toBe(':1\r\n')
    expect(run(h, id, 'GET', 'mine')).toBe('$1\r\n1\r\n')
    expect(backend.disk.size).toBe(0)

    const ok = boot.importRdb(bytes)
    expect(ok).toMatchObject({ ok: true, keysLoaded: 13, keysExpired: 0, saved: true })
    expect(snapshot(h.server)).toEqual(expected)
    await tick()
    expect(byteString(backend.disk.get('dump.rdb')!).slice(0, 9)).toBe('REDIS0010')
    // The download of the current data is the same dataset, byte-compatible.
    const f = boot.exportRdb('current')!
    expect(f.name).toBe('dump.rdb')
    const other = createServer({ clock: new VirtualClock(T0 + 60_000), random: new SeededRandom(2) })
    rdbLoadBytes(other, f.bytes)
    expect(snapshot(other)).toEqual(expected)
  })

  it('reset empties the data and deletes every saved file', async () => {
    const backend = new MemBackend()
    backend.disk.set('dump.rdb', sampleRdb().bytes)
    backend.disk.set('appendonlydir/appendonly.aof.manifest', new TextEncoder().encode('file appendonly.aof.1.base.rdb seq 1 type b\n'))
    const { boot } = makeBoot(backend, new FakeLocks())
    await boot.boot()
    await tick()
    expect(boot.exportAof().map((f) => f.name)).toEqual(['appendonlydir/appendonly.aof.manifest'])
    const st = boot.resetData()
    expect(st).toMatchObject({ storage: 'indexeddb', files: [], changesSinceSave: 0 })
    expect(boot.host!.server.dbs.every((d) => d.dict.size === 0)).toBe(true)
    await tick()
    await tick()
    expect(backend.disk.size).toBe(0)
  })

  it('a saved file that does not load leaves it untouched and runs in memory until an upload or reset', async () => {
    const backend = new MemBackend()
    const { bytes } = sampleRdb()
    const bad = bytes.slice(0, 40)
    backend.disk.set('dump.rdb', bad)
    const { boot } = makeBoot(backend, new FakeLocks())
    const r = await boot.boot()
    if (r.state !== 'running') throw new Error('not running')
    expect(r.status).toMatchObject({ storage: 'memory', memoryReason: 'load-failed' })
    expect(r.log.some((l) => l.includes('# Short read or OOM loading DB.'))).toBe(true)
    await tick()
    const h = boot.host!
    expect(h.server.dbs[0].dict.size).toBe(0)
    const { id } = h.openClient(() => {})
    run(h, id, 'SET', 'x', '1')
    // Hiding the page does not overwrite the file that did not load.
    expect(await boot.pageHidden()).toBe(false)
    expect(backend.disk.get('dump.rdb')).toEqual(bad)
    expect(boot.exportRdb('saved')!.bytes).toEqual(bad)
    const up = boot.importRdb(bytes)
    expect(up.ok).toBe(true)
    expect(boot.persistenceStatus()).toMatchObject({ storage: 'indexeddb' })
    await tick()
    expect(backend.disk.get('dump.rdb')!.length).toBeGreaterThan(bad.length)
  })

  it('a write IndexedDB could not complete fails the next save like a full disk', async () => {
    const backend = new MemBackend()
    const { boot } = makeBoot(backend, new FakeLocks())
    await boot.boot()
    await tick()
    const h = boot.host!
    const { id } = h.openClient(() => {})
    run(h, id, 'SET', 'k', 'v')
    const q = new Error('quota')
    q.name = 'QuotaExceededError'
    backend.failures.push(q)
    expect(run(h, id, 'SAVE')).toBe('+OK\r\n')
    await tick()
    await tick()
    expect(boot.persistenceStatus().writeError).toBe('No space left on device')
    expect(run(h, id, 'SAVE')).toMatch(/ERR/)
    expect(boot.serverLog().lines.some((l) => l.endsWith('# Write error saving DB on disk: No space left on device'))).toBe(true)
    // The disk has room again: the next save goes through, with the one that failed.
    expect(run(h, id, 'SAVE')).toBe('+OK\r\n')
    await tick()
    await tick()
    expect(backend.disk.has('dump.rdb')).toBe(true)
    expect(boot.persistenceStatus().writeError).toBeNull()
  })

  it('the AOF writes its directory into the same storage; the download lists the manifest first', async () => {
    const backend = new MemBackend()
    const { boot } = makeBoot(backend, new FakeLocks())
    await boot.boot()
    await tick()
    const h = boot.host!
    const { id } = h.openClient(() => {})
    expect(boot.exportAof()).toEqual([])
    expect(run(h, id, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('+OK\r\n')
    // The rewrite that starts the AOF runs as a simulated child from the cron.
    for (let i = 0; i < 50 && h.server.childActive; i++) h.server.cron()
    run(h, id, 'SET', 'k', 'v')
    for (let i = 0; i < 5; i++) h.server.cron()
    h.server.beforeSleep()
    const files = boot.exportAof()
    expect(files[0].name).toBe('appendonlydir/appendonly.aof.manifest')
    expect(files.map((f) => f.name).slice(1).sort()).toEqual(['appendonlydir/appendonly.aof.1.base.rdb', 'appendonlydir/appendonly.aof.1.incr.aof'])
    expect(byteString(files.find((f) => f.name.endsWith('.incr.aof'))!.bytes)).toContain('$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n')
    await tick()
    await tick()
    expect([...backend.disk.keys()].filter((n) => n.startsWith('appendonlydir/')).sort()).toEqual(files.map((f) => f.name).sort())
  })
})
