// Render tests without a DOM: react-dom/server renders each view to markup (no
// jsdom or happy-dom here), and the markup is checked for the test hooks, the
// accessible names and the text alternative, against snapshots from the real engine.
import { describe, expect, it } from 'vitest'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { createServer } from '../../engine/server/server.ts'
import { VirtualClock } from '../../engine/server/clock.ts'
import { SeededRandom } from '../../engine/server/random.ts'
import { inspect, type HashtableSnapshot, type IntsetSnapshot, type KeySnapshot, type ListpackSnapshot, type QuicklistSnapshot, type StringSnapshot, type ZsetSkiplistSnapshot } from '../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'
import { Inspector } from './Inspector.tsx'
import { StringView } from './string/StringView.tsx'
import { ListpackView } from './listpack/ListpackView.tsx'
import { IntsetView } from './intset/IntsetView.tsx'
import { QuicklistView } from './quicklist/QuicklistView.tsx'
import { HashtableView } from './hashtable/HashtableView.tsx'
import { SkiplistView } from './skiplist/SkiplistView.tsx'
import { keyEvents, thresholdsFor } from './inspector-model.ts'

function engine(config: Record<string, string> = {}) {
  const clock = new VirtualClock()
  const server = createServer({ clock, random: new SeededRandom(42), hashSeed: 7, config: { activerehashing: 'no', ...config } })
  const c = server.connect()
  const events: TraceEvent[] = []
  server.traceBus.subscribe((e) => events.push(e))
  return {
    events,
    run: (...args: string[]) => c.call(args),
    snap: (key: string, w?: { start?: number; count?: number }) => inspect(server, 0, key, w) as KeySnapshot,
  }
}

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length

/** Hooks every view must carry: root test id, an accessible name, a table, no literal colours. */
function common(html: string, testId: string) {
  expect(html).toContain(`data-testid="${testId}"`)
  expect(html).toMatch(/^<section[^>]* aria-label="[^"]+"/)
  expect(html).toContain('<table')
  expect(html).toContain('<caption>')
  expect(html).not.toMatch(/(fill|stroke)="#/)
}

describe('views render from engine snapshots', () => {
  it('string', () => {
    const e = engine()
    e.run('SET', 's', 'x'.repeat(45))
    const html = renderToStaticMarkup(createElement(StringView, { snapshot: e.snap('s').value as StringSnapshot }))
    common(html, 'view-string')
    expect(html).toContain('data-encoding="raw"')
    expect(count(html, /data-entry="/g)).toBe(45)
    expect(html).toContain('45 bytes &gt; 44: raw')
  })

  it('listpack', () => {
    const e = engine()
    e.run('HSET', 'h', 'a', '1', 'b', 'hello')
    const v = e.snap('h').value as ListpackSnapshot
    const html = renderToStaticMarkup(createElement(ListpackView, { snapshot: v, thresholds: thresholdsFor('hash') }))
    common(html, 'view-listpack')
    expect(count(html, /data-entry="/g)).toBe(v.entries.length)
    expect(html).toContain(`data-offset="${v.entries[1].offset}"`)
    expect(html).toContain('2 fields of hash-max-listpack-entries 512')
    expect(count(html, /<tr>/g)).toBe(1 + v.entries.length + 2)
  })

  it('intset, with the upgrade event', () => {
    const e = engine()
    e.run('SADD', 's', '1', '2')
    e.run('SADD', 's', '100000')
    const html = renderToStaticMarkup(createElement(IntsetView, { snapshot: e.snap('s').value as IntsetSnapshot, upgrade: keyEvents(e.events, 0, 's').upgrade }))
    common(html, 'view-intset')
    expect(count(html, /data-entry="/g)).toBe(3)
    expect(html).toContain('data-value="100000"')
    expect(html).toContain('upgraded from 2 bytes')
    // Server rendering counts as reduced motion: no transition classes.
    expect(html).not.toContain('viz-anim')
  })

  it('quicklist', () => {
    const e = engine({ 'list-max-listpack-size': '4', 'list-compress-depth': '1' })
    for (let i = 0; i < 12; i++) e.run('RPUSH', 'q', `v${i}-${'a'.repeat(60)}`)
    const html = renderToStaticMarkup(createElement(QuicklistView, { snapshot: e.snap('q').value as QuicklistSnapshot }))
    common(html, 'view-quicklist')
    expect(count(html, /data-node="/g)).toBe(3)
    expect(count(html, /data-compressed="true"/g)).toBe(1)
  })

  it('hashtable while rehashing', () => {
    const e = engine({ 'hash-max-listpack-entries': '4' })
    for (let i = 0; i < 9; i++) e.run('HSET', 'h', `f${i}`, 'v')
    e.run('HGET', 'h', 'f0')
    const v = e.snap('h').value as HashtableSnapshot
    const html = renderToStaticMarkup(createElement(HashtableView, { snapshot: v }))
    common(html, 'view-hashtable')
    expect(html).toContain('data-rehashing="true"')
    expect(count(html, /data-bucket="/g)).toBe(v.tables[0].buckets.length + v.tables[1].buckets.length)
    expect(count(html, /data-entry="/g)).toBe(9)
    expect(html).toContain(`data-rehash-index="${v.rehashIndex}"`)
  })

  it('skiplist with a search path and an insert', () => {
    const e = engine({ 'zset-max-listpack-entries': '0' })
    for (let i = 1; i <= 12; i++) e.run('ZADD', 'z', String(i), `m${i}`)
    e.events.length = 0
    e.run('ZADD', 'z', '6.5', 'new')
    e.run('ZRANK', 'z', 'm9')
    const ev = keyEvents(e.events, 0, 'z')
    const v = e.snap('z').value as ZsetSkiplistSnapshot
    const html = renderToStaticMarkup(createElement(SkiplistView, { snapshot: v, searchPath: ev.search?.path, searchOp: ev.search?.op, inserted: ev.insert }))
    common(html, 'view-skiplist')
    expect(count(html, /data-node="/g)).toBe(13)
    for (const n of v.skiplist.nodes) expect(html).toContain(`data-node="${n.rank}" data-level="${n.height}" data-member="${n.member}"`)
    expect(count(html, /data-step="/g)).toBeGreaterThan(0)
    expect(html).toContain(`level ${ev.insert?.level} drawn`)
    expect(html).toContain('zrank walked')
  })
})

describe('Inspector', () => {
  it('shows type, encoding, TTL, memory and the conversion banner, and picks the view', () => {
    const e = engine({ 'hash-max-listpack-entries': '2' })
    e.run('HSET', 'h', 'a', '1', 'b', '2')
    e.run('HSET', 'h', 'c', '3')
    e.run('EXPIRE', 'h', '100')
    const snap = e.snap('h')
    const html = renderToStaticMarkup(createElement(Inspector, { snapshot: snap, events: e.events }))
    expect(html).toContain('data-testid="view-hashtable"')
    expect(html).toContain('data-testid="conversion-banner"')
    expect(html).toContain('hash: listpack → hashtable. 3rd field: hash-max-listpack-entries is 2')
    expect(html).toMatch(/data-testid="inspector-type">hash</)
    expect(html).toMatch(/data-testid="inspector-encoding">hashtable</)
    expect(html).toMatch(/data-testid="inspector-ttl">1 min 40 s</)
    expect(html).toContain(`data-testid="inspector-memory">${snap.memoryUsage} bytes<`)
  })

  it('says so when the key is gone', () => {
    expect(renderToStaticMarkup(createElement(Inspector, { snapshot: null }))).toContain('No such key.')
  })
})
