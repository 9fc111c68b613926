import { describe, expect, it } from 'vitest'
import { KeyListModel, scrollToRow, windowRange, type KeySource } from './model.ts'
import { displayKey, groupThousands, shortTtl, utf8Bytes, utf8Name } from './format.ts'
import { EngineHost, TRACE_BATCH_MAX } from '../worker/host.ts'
import { VirtualClock } from '../../engine/server/clock.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'

/** A real engine behind the model, with trace batches flushed by hand (as the worker does per frame). */
function setup(opts: { chunk?: number; reloadAbove?: number } = {}) {
  const clock = new VirtualClock()
  const frames: (() => void)[] = []
  const host = new EngineHost({ clock, seed: 1, setTimer: () => {}, nextFrame: (fn) => frames.push(fn), cron: false })
  const { id } = host.openClient(() => {})
  const calls: string[] = []
  const source: KeySource = {
    scanKeys: async (db, cursor, o) => (calls.push('scan'), host.scanKeys(db, cursor, o)),
    keysInfo: async (db, keys) => (calls.push(`info:${keys.length}`), host.keysInfo(db, keys)),
    dbSize: async (db) => host.dbSize(db),
  }
  const model = new KeyListModel(source, opts)
  const batches: TraceEvent[][] = []
  host.subscribeTrace((b) => batches.push(b))
  const run = (...argv: string[]): void => void host.send(id, argv)
  /** Deliver the pending trace batch to the model and let its fetches finish. */
  const sync = async (): Promise<void> => {
    frames.splice(0).forEach((f) => f())
    for (const b of batches.splice(0)) model.applyEvents(b)
    for (let i = 0; i < 20; i++) await Promise.resolve()
  }
  return { host, model, run, sync, calls, clock }
}

describe('KeyListModel', () => {
  it('loads every key of a db by SCAN steps, sorted by bytes', async () => {
    const { model, run, calls } = setup({ chunk: 50 })
    run('DEBUG', 'POPULATE', '1000', 'key')
    run('SET', 'Zebra', '1')
    run('SET', '\xff', '1')
    run('SET', '', 'empty')
    await model.setDb(0)
    expect(model.loading).toBe(false)
    expect(model.size).toBe(1003)
    expect(model.dbSize).toBe(1003)
    expect(calls.filter((c) => c === 'scan').length).toBeGreaterThan(10)
    const v = model.view()
    expect(v.length).toBe(1003)
    expect(v[0]).toBe('')
    expect(v[1]).toBe('Zebra')
    expect(v[2]).toBe('key:0')
    expect(v[3]).toBe('key:1')
    expect(v[4]).toBe('key:10')
    expect(v.at(-1)).toBe('\xff')
    expect([...v].sort()).toEqual(v)
    expect(model.indexOf('key:10')).toBe(4)
    expect(model.indexOf('nope')).toBe(-1)
  })

  it('filters by glob pattern (MATCH semantics) and by type', async () => {
    const { model, run } = setup()
    run('SET', 'user:1', 'a')
    run('HSET', 'user:2', 'f', 'v')
    run('RPUSH', 'queue', 'x')
    run('SET', 'user:10', 'b')
    run('SET', 'a*b', 'lit')
    await model.setDb(0)
    model.setFilter({ pattern: 'user:?', type: '' })
    expect(model.view()).toEqual(['user:1', 'user:2'])
    model.setFilter({ pattern: 'user:*', type: 'string' })
    expect(model.view()).toEqual(['user:1', 'user:10'])
    model.setFilter({ pattern: '', type: 'list' })
    expect(model.view()).toEqual(['queue'])
    model.setFilter({ pattern: 'a\\*b', type: '' })
    expect(model.view()).toEqual(['a*b'])
    model.setFilter({ pattern: '[q-u]*', type: 'hash' })
    expect(model.view()).toEqual(['user:2'])
    model.setFilter({ pattern: '*', type: '' })
    expect(model.view().length).toBe(5)
    expect(model.row('user:2')).toEqual({ name: 'user:2', type: 'hash', encoding: 'listpack', expiresAt: -1 })
  })

  it('follows writes, deletes, TTLs, expiry, renames and conversions live', async () => {
    const { model, run, sync, clock, host } = setup()
    await model.setDb(0)
    expect(model.view()).toEqual([])
    run('SET', 'b', '1')
    run('HSET', 'a', 'f', 'v')
    run('SET', 'other', 'x')
    await sync()
    expect(model.view()).toEqual(['a', 'b', 'other'])
    expect(model.row('b')).toMatchObject({ type: 'string', encoding: 'int' })
    run('APPEND', 'b', 'xyz')
    run('EXPIRE', 'a', '100')
    await sync()
    expect(model.row('b')).toMatchObject({ encoding: 'raw' })
    expect(model.row('a')!.expiresAt).toBe(clock.nowMs() + 100_000)
    run('PERSIST', 'a')
    await sync()
    expect(model.row('a')!.expiresAt).toBe(-1)
    run('CONFIG', 'SET', 'hash-max-listpack-entries', '1')
    run('HSET', 'a', 'g', 'w')
    await sync()
    expect(model.row('a')).toMatchObject({ type: 'hash', encoding: 'hashtable' })
    run('RENAME', 'other', 'c')
    run('DEL', 'b')
    await sync()
    expect(model.view()).toEqual(['a', 'c'])
    // A key deleted and written again in one batch is there, with its new type.
    run('DEL', 'c')
    run('RPUSH', 'c', 'x')
    await sync()
    expect(model.row('c')).toMatchObject({ type: 'list' })
    // Expiry: the key goes when the server expires it (here a read finds it expired).
    run('PEXPIRE', 'c', '10')
    await sync()
    clock.advance(20)
    run('GET', 'c')
    await sync()
    expect(model.view()).toEqual(['a'])
    // Another db's keys do not show.
    run('SELECT', '3')
    run('SET', 'in3', 'x')
    await sync()
    expect(model.view()).toEqual(['a'])
    expect(model.dbSize).toBe(host.dbSize(0))
    run('SELECT', '0')
    run('FLUSHDB')
    await sync()
    expect(model.view()).toEqual([])
    expect(model.dbSize).toBe(0)
  })

  it('keeps the list in byte order through a burst, and reloads for bursts too big to ask key by key', async () => {
    const { model, run, sync, calls } = setup({ reloadAbove: 500 })
    run('DEBUG', 'POPULATE', '300', 'old')
    await sync()
    await model.setDb(0)
    const before = calls.length
    const argv = ['MSET']
    for (let i = 0; i < 200; i++) argv.push(`new:${i}`, 'v')
    run(...argv)
    await sync()
    expect(calls.slice(before)).toEqual(['info:200'])
    expect(model.view().length).toBe(500)
    expect([...model.view()].sort()).toEqual(model.view())
    run('DEBUG', 'POPULATE', '1000', 'more')
    await sync()
    expect(calls.slice(before + 1)).toContain('scan')
    expect(calls.slice(before + 1).some((c) => c.startsWith('info'))).toBe(false)
    expect(model.view().length).toBe(1500)
  })

  it('walks again when the host dropped part of a burst (events-dropped)', async () => {
    // reloadAbove is out of the way: only the dropped events can make it walk again.
    const { model, run, sync, calls } = setup({ reloadAbove: 1_000_000 })
    await model.setDb(0)
    const before = calls.length
    run('DEBUG', 'POPULATE', String(TRACE_BATCH_MAX + 500), 'bulk')
    await sync()
    expect(calls.slice(before)).toContain('scan')
    expect(model.view().length).toBe(TRACE_BATCH_MAX + 500)
  })

  it('reloads after SWAPDB of its db and on a db change', async () => {
    const { model, run, sync } = setup()
    run('SET', 'zero', '0')
    run('SELECT', '1')
    run('SET', 'one', '1')
    await model.setDb(0)
    expect(model.view()).toEqual(['zero'])
    run('SWAPDB', '0', '1')
    await sync()
    expect(model.view()).toEqual(['one'])
    await model.setDb(1)
    expect(model.view()).toEqual(['zero'])
    run('FLUSHALL')
    await sync()
    expect(model.view()).toEqual([])
  })

  it('walks again after a flush (a reload fills the db without key events), and when keys appear silently', async () => {
    const { model, run, sync, host } = setup()
    run('SET', 'a', '1')
    await model.setDb(0)
    run('DEBUG', 'RELOAD')
    run('SET', 'b', '2')
    await sync()
    expect(model.view()).toEqual(['a', 'b'])
    // Keys added behind the list's back (as a start-up load does): checkSize notices an empty list.
    run('FLUSHALL')
    await sync()
    expect(model.view()).toEqual([])
    host.server.dbs[0].dict.set('silent', { type: 'string', encoding: 'embstr', value: 'x', lru: 0 })
    await model.checkSize()
    expect(model.view()).toEqual(['silent'])
  })

  it('abandons an older walk when the db changes mid-way', async () => {
    const { model, run } = setup({ chunk: 10 })
    run('DEBUG', 'POPULATE', '200', 'a')
    run('SELECT', '2')
    run('SET', 'only', '1')
    const first = model.setDb(0)
    await model.setDb(2)
    await first
    expect(model.view()).toEqual(['only'])
    expect(model.db).toBe(2)
  })

  it('notifies subscribers on changes', async () => {
    const { model, run } = setup()
    run('SET', 'k', 'v')
    let n = 0
    const off = model.subscribe(() => n++)
    await model.setDb(0)
    expect(n).toBeGreaterThan(0)
    off()
    const seen = n
    model.setFilter({ pattern: 'x', type: '' })
    expect(n).toBe(seen)
  })
})

describe('windowing', () => {
  it('renders only the rows in view, plus overscan', () => {
    expect(windowRange(100_000, 24, 0, 240, 5)).toEqual({ first: 0, last: 15 })
    expect(windowRange(100_000, 24, 24 * 50_000, 240, 5)).toEqual({ first: 49_995, last: 50_015 })
    expect(windowRange(100_000, 24, 24 * 99_990, 240, 5)).toEqual({ first: 99_985, last: 100_000 })
    expect(windowRange(0, 24, 0, 240)).toEqual({ first: 0, last: 0 })
    expect(windowRange(3, 24, 0, 240)).toEqual({ first: 0, last: 3 })
  })

  it('scrolls a row into view only when needed', () => {
    expect(scrollToRow(0, 24, 100, 240)).toBe(0)
    expect(scrollToRow(10, 24, 0, 240)).toBe(24)
    expect(scrollToRow(5, 24, 0, 240)).toBe(0)
  })
})

describe('row text', () => {
  it('escapes key names like redis-cli', () => {
    expect(displayKey('user:1')).toBe('user:1')
    expect(displayKey('a b')).toBe('a b')
    expect(displayKey('\x00\n\t"\\\xe4')).toBe('\\x00\\n\\t\\"\\\\\\xe4')
    expect(displayKey('caf\xc3\xa9')).toBe('caf\\xc3\\xa9')
    expect(utf8Name('caf\xc3\xa9')).toBe('café')
    expect(utf8Name('plain')).toBeNull()
    expect(utf8Name('\xff\xfe')).toBeNull()
    expect(utf8Bytes('café')).toBe('caf\xc3\xa9')
  })

  it('groups thousands as toLocaleString("en-US") does, without loading ICU', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 123_456_789, -1234, 2 ** 53 - 1]) {
      expect(groupThousands(n)).toBe(n.toLocaleString('en-US'))
    }
  })

  it('shortens TTLs', () => {
    expect(shortTtl(-1, 0)).toBe('')
    expect(shortTtl(1000, 1000)).toBe('expired')
    expect(shortTtl(9_490, 0)).toBe('9.4 s')
    expect(shortTtl(42_000, 0)).toBe('42 s')
    expect(shortTtl(600_000, 0)).toBe('10 min')
    expect(shortTtl(5 * 3600_000, 0)).toBe('5 h')
    expect(shortTtl(12 * 86400_000, 0)).toBe('12 d')
  })
})
