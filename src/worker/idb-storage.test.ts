// WriteBehindStorage against an injected async backend (fake-indexeddb is not
// installed): memory first, batches in order, renames atomic, failures thrown
// by the next call, temp files kept until renamed.
import { describe, expect, it } from 'vitest'
import { StorageError } from '../../engine/persistence/storage.ts'
import { isTempName, strerror, WriteBehindStorage, type FileBackend } from './idb-storage.ts'

const b = (s: string): Uint8Array => new TextEncoder().encode(s)
const t = (u: Uint8Array | null | undefined): string | null => (u ? new TextDecoder().decode(u) : null)

class FakeBackend implements FileBackend {
  disk = new Map<string, Uint8Array>()
  commits: Array<Array<[string, string | null]>> = []
  /** Errors thrown by the next commits, in order. */
  failures: unknown[] = []
  /** Commits wait for this when set (to hold a batch in flight). */
  hold: Promise<void> | undefined

  async loadAll(): Promise<Map<string, Uint8Array>> {
    return new Map([...this.disk].map(([k, v]) => [k, v.slice()]))
  }

  async commit(changes: ReadonlyMap<string, Uint8Array | null>): Promise<void> {
    await Promise.resolve()
    if (this.hold) await this.hold
    const f = this.failures.shift()
    if (f !== undefined) throw f
    this.commits.push([...changes].map(([k, v]) => [k, v === null ? null : t(v)]))
    for (const [k, v] of changes) {
      if (v === null) this.disk.delete(k)
      else this.disk.set(k, v.slice())
    }
  }

  describe(): string {
    return 'fake://files'
  }
}

function quota(): Error {
  const e = new Error('The quota has been exceeded.')
  e.name = 'QuotaExceededError'
  return e
}

describe('WriteBehindStorage', () => {
  it('loads the directory at start and serves reads from memory, as copies', async () => {
    const be = new FakeBackend()
    be.disk.set('dump.rdb', b('REDIS0010'))
    be.disk.set('appendonlydir/appendonly.aof.manifest', b('file x'))
    const s = await WriteBehindStorage.open(be)
    expect(s.list().sort()).toEqual(['appendonlydir/appendonly.aof.manifest', 'dump.rdb'])
    const r = s.read('dump.rdb')!
    r[0] = 0
    expect(t(s.read('dump.rdb'))).toBe('REDIS0010')
    expect(s.read('missing')).toBeNull()
    expect(s.describe()).toBe('fake://files')
  })

  it('writes behind: the backend gets every change, in order, with the final state per batch', async () => {
    const be = new FakeBackend()
    const s = new WriteBehindStorage(be)
    let release!: () => void
    be.hold = new Promise((r) => (release = r))
    s.write('a', b('1'))
    // While the first batch is in flight, later changes gather into the next one.
    s.write('b', b('x'))
    s.append('b', b('y'))
    s.write('a', b('2'))
    s.remove('c')
    expect(t(s.read('b'))).toBe('xy')
    expect(s.busy).toBe(true)
    release()
    be.hold = undefined
    await s.flushed()
    expect(s.busy).toBe(false)
    expect(be.commits).toEqual([
      [['a', '1']],
      [
        ['b', 'xy'],
        ['a', '2'],
      ],
    ])
    expect(t(be.disk.get('a'))).toBe('2')
    expect(t(be.disk.get('b'))).toBe('xy')
  })

  it('a rename commits the new name and the removal of the old one in one transaction', async () => {
    const be = new FakeBackend()
    be.disk.set('dump.rdb', b('old'))
    be.disk.set('appendonlydir/temp-x.manifest', b('stale'))
    const s = await WriteBehindStorage.open(be)
    s.write('appendonlydir/m.manifest.new', b('m'))
    await s.flushed()
    be.commits = []
    s.rename('appendonlydir/m.manifest.new', 'appendonlydir/m.manifest')
    await s.flushed()
    expect(be.commits).toEqual([
      [
        ['appendonlydir/m.manifest', 'm'],
        ['appendonlydir/m.manifest.new', null],
      ],
    ])
    expect(() => s.rename('nope', 'x')).toThrow(new StorageError('No such file or directory'))
  })

  it('keeps temp files in memory until their rename writes them under the final name', async () => {
    expect(isTempName('temp-42.rdb')).toBe(true)
    expect(isTempName('appendonlydir/temp-appendonly.aof.manifest')).toBe(true)
    expect(isTempName('dump.rdb')).toBe(false)
    const be = new FakeBackend()
    be.disk.set('dump.rdb', b('old'))
    const s = await WriteBehindStorage.open(be)
    s.write('temp-7.rdb', b('REDIS'))
    s.append('temp-7.rdb', b('0010'))
    await s.flushed()
    expect(be.commits).toEqual([])
    expect(t(s.read('temp-7.rdb'))).toBe('REDIS0010')
    s.rename('temp-7.rdb', 'dump.rdb')
    await s.flushed()
    expect(be.commits).toEqual([
      [
        ['dump.rdb', 'REDIS0010'],
        ['temp-7.rdb', null],
      ],
    ])
    expect([...be.disk.keys()]).toEqual(['dump.rdb'])
  })

  it('a failed batch makes the next call throw "No space left on device" once; the next change retries it', async () => {
    const be = new FakeBackend()
    const s = new WriteBehindStorage(be)
    be.failures.push(quota())
    s.write('dump.rdb', b('v1'))
    await s.flushed()
    expect(s.lastError).toBe('No space left on device')
    expect(be.disk.size).toBe(0)
    expect(() => s.write('temp-1.rdb', b('v2'))).toThrow(new StorageError('No space left on device'))
    // Thrown once: the call after that works, and carries the failed change with it.
    s.write('other', b('o'))
    await s.flushed()
    expect(s.lastError).toBeNull()
    expect(t(be.disk.get('dump.rdb'))).toBe('v1')
    expect(t(be.disk.get('other'))).toBe('o')
    expect(be.commits).toEqual([
      [
        ['dump.rdb', 'v1'],
        ['other', 'o'],
      ],
    ])
  })

  it('does not retry on its own after a failure (a full disk stays full), and peek/names leave the failure pending', async () => {
    const be = new FakeBackend()
    const s = new WriteBehindStorage(be)
    be.failures.push(quota())
    s.write('a', b('1'))
    await s.flushed()
    await new Promise((r) => setTimeout(r, 5))
    expect(be.commits).toEqual([])
    expect(s.names()).toEqual(['a'])
    expect(t(s.peek('a'))).toBe('1')
    expect(() => s.list()).toThrow(StorageError)
    await s.retry()
    expect(t(be.disk.get('a'))).toBe('1')
  })

  it('truncate keeps the head of a file', async () => {
    const be = new FakeBackend()
    const s = new WriteBehindStorage(be)
    s.write('appendonlydir/x.incr.aof', b('*1\r\n$4\r\nPING\r\n*2\r\n$3'))
    s.truncate('appendonlydir/x.incr.aof', 14)
    await s.flushed()
    expect(t(be.disk.get('appendonlydir/x.incr.aof'))).toBe('*1\r\n$4\r\nPING\r\n')
  })

  it('maps IndexedDB errors to strerror texts', () => {
    expect(strerror(quota())).toBe('No space left on device')
    const abort = new Error('aborted')
    abort.name = 'AbortError'
    expect(strerror(abort)).toBe('Input/output error')
    expect(strerror({ name: 'ReadOnlyError' })).toBe('Read-only file system')
    expect(strerror('weird')).toBe('Input/output error')
  })
})
