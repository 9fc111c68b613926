// SCAN's cursor parsing (strtoul semantics) and cursor arithmetic: the
// reverse-binary bucket order, the COUNT*10 bucket cap, and the filters.
import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import { parseScanCursor } from './scan.ts'

function setup(seed = 11) {
  const clock = new VirtualClock()
  const server = createServer({ clock, hashSeed: seed, config: { activerehashing: 'no' } })
  return { clock, server, c: server.connect() }
}

function scan(c: Client, ...args: string[]): { cursor: string; keys: string[] } {
  const r = c.call(['SCAN', ...args]) as Reply
  if (r.kind !== 'array') throw new Error(JSON.stringify(r))
  const [cur, keys] = r.value as [Reply & { kind: 'bulk' }, Reply & { kind: 'array' }]
  return { cursor: cur.value, keys: keys.value.map((k) => (k as Reply & { kind: 'bulk' }).value) }
}

// Reverse-binary successor for a table of `size` buckets (the facts §3 rule).
function nextCursor(v: number, size: number): number {
  const bits = Math.log2(size)
  let r = 0
  for (let i = 0; i < bits; i++) if (v & (1 << i)) r |= 1 << (bits - 1 - i)
  r = (r + 1) & (size - 1)
  let out = 0
  for (let i = 0; i < bits; i++) if (r & (1 << i)) out |= 1 << (bits - 1 - i)
  return out
}

describe('parseScanCursor (strtoul, base 10)', () => {
  const U64 = (1n << 64n) - 1n
  it.each([
    ['0', 0n],
    ['17', 17n],
    ['0017', 17n],
    ['+5', 5n],
    ['', 0n], // no digits and nothing left over: strtoul gives 0, end at NUL
    ['18446744073709551615', U64],
    ['-1', U64], // negated in unsigned arithmetic
    ['-18446744073709551615', 1n],
    ['-0', 0n],
    ['5\x00junk', 5n], // strtoul stops at the NUL, which is where C sees the end
    ['\x00', 0n],
  ])('accepts %j as %s', (s, v) => {
    expect(parseScanCursor(s)).toBe(v)
  })

  it.each([' 0', '\t1', '0 ', '1a', 'a', '+', '-', '+-1', '0x10', '1.0', '18446744073709551616', '-18446744073709551616', '99999999999999999999999'])(
    'rejects %j',
    (s) => {
      expect(parseScanCursor(s)).toBeUndefined()
    },
  )
})

describe('SCAN cursor arithmetic', () => {
  // Four keys, one per bucket of the initial 4-bucket table.
  function fourBuckets(): { c: Client; bucketOf: Map<string, number> } {
    for (let seed = 1; seed < 1000; seed++) {
      const { server, c } = setup(seed)
      for (const k of ['a', 'b', 'c', 'd']) c.call(['SET', k, '1'])
      const d = server.dbs[0].dict
      if (d.tableSize(0) !== 4 || d.isRehashing) continue
      const bucketOf = new Map<string, number>()
      for (let i = 0; i < 4; i++) for (const e of d.bucket(0, i)) bucketOf.set(e.key, i)
      if (new Set(bucketOf.values()).size === 4) return { c, bucketOf }
    }
    throw new Error('no seed spreads a..d over 4 buckets')
  }

  it('walks a 4-bucket table in the order 0, 2, 1, 3', () => {
    const { c, bucketOf } = fourBuckets()
    const order: string[] = []
    const buckets: number[] = []
    let cursor = '0'
    do {
      const r = scan(c, cursor, 'COUNT', '1')
      order.push(r.cursor)
      expect(r.keys.length).toBe(1)
      buckets.push(bucketOf.get(r.keys[0])!)
      cursor = r.cursor
    } while (cursor !== '0')
    expect(order).toEqual(['2', '1', '3', '0'])
    expect(buckets).toEqual([0, 2, 1, 3])
  })

  it('uses only the cursor bits under the table mask', () => {
    const { c } = fourBuckets()
    const at3 = scan(c, '3', 'COUNT', '1')
    // 2^64-1 and 2^32+3 both land in bucket 3; the next cursor drops the high bits.
    expect(scan(c, '-1', 'COUNT', '1')).toEqual(at3)
    expect(scan(c, '18446744073709551615', 'COUNT', '1')).toEqual(at3)
    expect(scan(c, String(2 ** 32 + 3), 'COUNT', '1')).toEqual(at3)
    expect(scan(c, String(2 ** 40 + 2), 'COUNT', '1')).toEqual(scan(c, '2', 'COUNT', '1'))
  })

  it('visits at most COUNT*10 more buckets per call in a sparse table', () => {
    const { server, c } = setup(3)
    for (let i = 0; i < 1000; i++) c.call(['SET', `k${i}`, '1'])
    // Leave two keys in a 1024-bucket table (no cron, so it does not shrink).
    for (let i = 2; i < 1000; i++) c.call(['DEL', `k${i}`])
    const d = server.dbs[0].dict
    while (d.isRehashing) d.rehash(100)
    const size = d.tableSize(0)
    expect(size).toBe(1024)
    for (const count of [1, 2, 5]) {
      // Expected: dictScan calls stop after a key was found or 1 + COUNT*10 calls.
      let v = 0
      let found = 0
      let calls = 0
      do {
        found += d.bucket(0, v).length
        v = nextCursor(v, size)
        calls++
      } while (v !== 0 && calls <= count * 10 && found < count)
      const r = scan(c, '0', 'COUNT', String(count))
      expect(r.cursor).toBe(String(v))
      expect(r.keys.length).toBe(found)
    }
  })

  it('COUNT is a hint: a call may return more (whole buckets)', () => {
    const { c } = setup(4)
    for (let i = 0; i < 100; i++) c.call(['SET', `k${i}`, '1'])
    const seen: string[] = []
    let cursor = '0'
    do {
      const r = scan(c, cursor, 'COUNT', '1')
      seen.push(...r.keys)
      cursor = r.cursor
    } while (cursor !== '0')
    expect(new Set(seen).size).toBe(100)
  })
})

describe('SCAN filters', () => {
  it('MATCH, TYPE and expired keys', () => {
    const { clock, server, c } = setup()
    for (let i = 0; i < 30; i++) c.call(['SET', `user:${i}`, 'x'])
    for (let i = 0; i < 10; i++) c.call(['SET', `other:${i}`, 'x'])
    c.call(['SET', 'user:dying', 'x'])
    c.call(['PEXPIRE', 'user:dying', '10'])
    clock.advance(11)
    const all = (...opts: string[]): string[] => {
      const out: string[] = []
      let cursor = '0'
      do {
        const r = scan(c, cursor, ...opts)
        out.push(...r.keys)
        cursor = r.cursor
      } while (cursor !== '0')
      return out.sort()
    }
    expect(all('MATCH', 'other:*')).toEqual(Array.from({ length: 10 }, (_, i) => `other:${i}`).sort())
    expect(all('MATCH', 'user:*', 'COUNT', '1000').length).toBe(30)
    expect(server.stats.expiredKeys).toBe(1)
    expect(all('TYPE', 'STRING').length).toBe(40)
    expect(all('TYPE', 'string\x00ignored').length).toBe(40)
    expect(all('TYPE', 'list')).toEqual([])
  })

  it('TYPE none lets a key through that expired during the scan (7.0 quirk)', () => {
    const { clock, c } = setup()
    c.call(['SET', 'k', 'v'])
    c.call(['PEXPIRE', 'k', '10'])
    clock.advance(11)
    // The type lookup deletes it and reads "none"; the expiry check then finds nothing to expire.
    expect(scan(c, '0', 'TYPE', 'none')).toEqual({ cursor: '0', keys: ['k'] })
    expect(scan(c, '0', 'TYPE', 'none')).toEqual({ cursor: '0', keys: [] })
  })

  it('option errors', () => {
    const { c } = setup()
    expect(c.call(['SCAN', 'x'])).toEqual({ kind: 'error', value: 'ERR invalid cursor' })
    expect(c.call(['SCAN', '0', 'COUNT', '0'])).toEqual({ kind: 'error', value: 'ERR syntax error' })
    expect(c.call(['SCAN', '0', 'COUNT', 'x'])).toEqual({ kind: 'error', value: 'ERR value is not an integer or out of range' })
    expect(c.call(['SCAN', '0', 'MATCH'])).toEqual({ kind: 'error', value: 'ERR syntax error' })
    expect(c.call(['SCAN', '0', 'FOO', 'bar'])).toEqual({ kind: 'error', value: 'ERR syntax error' })
    expect(scan(c, '0', 'count\x00x', '5')).toEqual({ cursor: '0', keys: [] })
  })
})
