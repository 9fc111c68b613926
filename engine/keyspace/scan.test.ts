// SCAN's guarantee over the keyspace dict: every key present for the whole
// scan is returned at least once, even when the table grows, shrinks and is
// caught mid-rehash between calls.
import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { Reply } from '../protocol/reply.ts'
import type { Client } from '../server/client.ts'

function scanStep(c: Client, cursor: string, count: number): { cursor: string; keys: string[] } {
  const r = c.call(['SCAN', cursor, 'COUNT', String(count)]) as Reply & { kind: 'array' }
  const [cur, keys] = r.value as [Reply & { kind: 'bulk' }, Reply & { kind: 'array' }]
  return { cursor: cur.value, keys: keys.value.map((k) => (k as Reply & { kind: 'bulk' }).value) }
}

function setup(seed: number) {
  // No cron rehashing: the dict stays mid-rehash between SCAN calls, moved
  // along only by the commands in between (the case the guarantee is about).
  const server = createServer({ clock: new VirtualClock(), hashSeed: seed, config: { activerehashing: 'no' } })
  return { server, c: server.connect() }
}

describe('SCAN across rehashing', () => {
  for (const seed of [1, 2, 3, 99]) {
    it(`returns every stable key while the table grows (seed ${seed})`, () => {
      const { server, c } = setup(seed)
      const stable = new Set<string>()
      for (let i = 0; i < 300; i++) {
        c.call(['SET', `stable:${i}`, 'v'])
        stable.add(`stable:${i}`)
      }
      const seen = new Set<string>()
      let cursor = '0'
      let calls = 0
      let sawRehash = false
      let added = 0
      do {
        const r = scanStep(c, cursor, 5)
        r.keys.forEach((k) => seen.add(k))
        cursor = r.cursor
        // Grow the keyspace between calls (300 -> 3300 keys: several doublings).
        for (let j = 0; j < 40 && added < 3000; j++) c.call(['SET', `extra:${added++}`, 'v'])
        if (server.dbs[0].dict.isRehashing) sawRehash = true
        calls++
      } while (cursor !== '0' && calls < 100_000)
      expect(cursor).toBe('0')
      expect(sawRehash).toBe(true)
      for (const k of stable) expect(seen.has(k), k).toBe(true)
    })

    it(`returns every stable key while the table shrinks (seed ${seed})`, () => {
      const { server, c } = setup(seed)
      for (let i = 0; i < 200; i++) c.call(['SET', `stable:${i}`, 'v'])
      for (let i = 0; i < 4000; i++) c.call(['SET', `doomed:${i}`, 'v'])
      const seen = new Set<string>()
      let cursor = '0'
      let calls = 0
      let sawRehash = false
      let minSize = Infinity
      let next = 0
      do {
        const r = scanStep(c, cursor, 7)
        r.keys.forEach((k) => seen.add(k))
        cursor = r.cursor
        // Delete between calls; the cron shrinks the sparse table, and lookups
        // move the rehash along (one bucket each), so some shrinks finish
        // mid-scan and others are caught half done.
        for (let j = 0; j < 1000 && next < 4000; j++) c.call(['DEL', `doomed:${next++}`])
        server.cron()
        if (server.dbs[0].dict.isRehashing) sawRehash = true
        for (let j = 0; j < 200; j++) c.call(['EXISTS', `stable:${j}`])
        const d = server.dbs[0].dict
        if (!d.isRehashing) minSize = Math.min(minSize, d.tableSize(0))
        calls++
      } while (cursor !== '0' && calls < 100_000)
      expect(cursor).toBe('0')
      expect(sawRehash).toBe(true)
      // It did shrink all the way (8192 buckets -> 256) during the scan.
      expect(minSize).toBe(256)
      for (let i = 0; i < 200; i++) expect(seen.has(`stable:${i}`), `stable:${i}`).toBe(true)
    })
  }

  it('a full scan of a quiet keyspace returns each key exactly once', () => {
    const { c } = setup(5)
    for (let i = 0; i < 1000; i++) c.call(['SET', `k${i}`, 'v'])
    const seen: string[] = []
    let cursor = '0'
    do {
      const r = scanStep(c, cursor, 10)
      seen.push(...r.keys)
      cursor = r.cursor
    } while (cursor !== '0')
    expect(seen.length).toBe(1000)
    expect(new Set(seen).size).toBe(1000)
  })
})
