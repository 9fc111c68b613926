import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '../../engine/introspect/events.ts'
import { conversionText, extendWalk, formatTtl, keyEvents, thresholdsFor, viewFor } from './inspector-model.ts'

describe('inspector model', () => {
  it('picks a view per encoding', () => {
    expect(['int', 'embstr', 'raw', 'listpack', 'intset', 'quicklist', 'hashtable', 'skiplist', 'stream'].map(viewFor)).toEqual([
      'string', 'string', 'string', 'listpack', 'intset', 'quicklist', 'hashtable', 'skiplist', null,
    ])
  })

  it('takes thresholds from config, Redis 7.0 defaults otherwise', () => {
    expect(thresholdsFor('hash')).toMatchObject({ maxEntries: 512, maxValueBytes: 64, itemsPerElement: 2, noun: 'field' })
    expect(thresholdsFor('zset', { 'zset-max-listpack-entries': 4 })).toMatchObject({ maxEntries: 4, maxValueBytes: 64, noun: 'member' })
    expect(thresholdsFor('list')).toBeNull()
  })

  it('keeps the latest event of each kind for one key, and forgets on delete', () => {
    const events: TraceEvent[] = [
      { type: 'encoding-converted', db: 0, key: 'h', valueType: 'hash', from: 'listpack', to: 'hashtable', reason: '513th field: hash-max-listpack-entries is 512' },
      { type: 'intset-upgrade', db: 0, key: 'other', from: 2, to: 4 },
      { type: 'intset-upgrade', db: 1, key: 'h', from: 2, to: 8 },
      { type: 'skiplist-search', db: 0, key: 'h', op: 'zscore', path: [{ level: 0, rank: 0, member: null, score: null }] },
      { type: 'skiplist-search', db: 0, key: 'h', op: 'zrank', path: [] },
    ]
    const ev = keyEvents(events, 0, 'h')
    expect(conversionText(ev.conversion!)).toBe('hash: listpack → hashtable. 513th field: hash-max-listpack-entries is 512')
    expect(ev.upgrade).toBeNull()
    expect(ev.search?.op).toBe('zrank')
    const after = keyEvents([...events, { type: 'key-deleted', db: 0, key: 'h' }], 0, 'h')
    expect(after).toMatchObject({ conversion: null, search: null, deleted: true })
    expect(keyEvents([...events, { type: 'db-flushed', db: 'all' }], 0, 'h').conversion).toBeNull()
  })

  it('chains scan calls into one walk by their cursors; cursor 0 starts afresh', () => {
    const step = (cursor: number, next: number, bucket: number): TraceEvent => ({ type: 'scan-step', db: 0, key: 'h', op: 'hscan', cursor, next, visits: [{ table: 0, bucket }] })
    let w = extendWalk(null, step(0, 4, 0) as never)
    w = extendWalk(w, step(4, 2, 4) as never)
    expect(w.steps.map((s) => s.cursor)).toEqual([0, 4])
    expect(w.done).toBe(false)
    // A cursor that does not follow on (another client's walk) starts a new walk.
    expect(extendWalk(w, step(6, 1, 6) as never).steps).toHaveLength(1)
    w = extendWalk(w, step(2, 0, 2) as never)
    expect(w).toMatchObject({ op: 'hscan', done: true })
    expect(w.steps).toHaveLength(3)
    // Through keyEvents, for one key only, forgotten on delete.
    const evs = [step(0, 4, 0), step(4, 2, 4), { ...step(0, 1, 0), key: 'other' } as TraceEvent]
    expect(keyEvents(evs, 0, 'h').scan?.steps.map((s) => s.next)).toEqual([4, 2])
    expect(keyEvents([...evs, { type: 'key-deleted', db: 0, key: 'h' }], 0, 'h').scan).toBeNull()
  })

  it('formats TTLs', () => {
    expect(formatTtl(-1)).toBe('no TTL (persistent)')
    expect(formatTtl(4321)).toBe('4.3 s')
    expect(formatTtl(3_723_000)).toBe('1 h 2 min 3 s')
  })
})
