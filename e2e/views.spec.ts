// The encoding views against the engine: commands typed into the REPL, the view
// compared with inspect() (through the app's test hook) and with what the REPL
// answers; each threshold crossed plays its conversion with the reason in words;
// the skiplist search path matches the engine's trace; SCAN paths, quicklist
// node changes, the seed control. Screenshots of every view, light and dark, are
// attached to the report.
import { expect, test, type Page, type TestInfo } from '@playwright/test'
import type { KeySnapshot } from '../engine/introspect/inspect.ts'
import type { TraceEvent } from '../engine/introspect/events.ts'
import { Repl, requireChromium } from './support/repl.ts'

requireChromium()

test.describe.configure({ mode: 'serial' })

function snap(page: Page, key: string, win?: { start?: number; count?: number }): Promise<KeySnapshot | null> {
  return page.evaluate(([k, w]) => window.__glassbox!.inspect!(0, k as string, w as { start?: number; count?: number } | undefined), [key, win] as const)
}

async function lastEvent<T extends TraceEvent['type']>(page: Page, type: T, key: string): Promise<Extract<TraceEvent, { type: T }> | undefined> {
  return page.evaluate(
    ([t, k]) => [...(window.__glassbox!.trace ?? [])].reverse().find((e) => e.type === t && 'key' in e && e.key === k),
    [type, key] as const,
  ) as Promise<Extract<TraceEvent, { type: T }> | undefined>
}

/** Wait until the inspector shows `key` with `encoding`. */
async function showing(page: Page, key: string, encoding: string): Promise<void> {
  const insp = page.getByTestId('inspector')
  await expect(insp).toHaveAttribute('aria-label', `Key inspector: ${key}`)
  await expect(page.getByTestId('inspector-encoding')).toHaveText(encoding)
}

/** Screenshots of the inspector in both themes, attached to the report (and kept in the output dir). */
async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Dark theme' })
  // A tall window, so the whole inspector fits on screen (the picture is of the inspector only).
  const size = page.viewportSize()!
  await page.setViewportSize({ width: size.width, height: 2400 })
  for (const theme of ['light', 'dark'] as const) {
    const pressed = (await toggle.getAttribute('aria-pressed')) === 'true'
    if (pressed !== (theme === 'dark')) await toggle.click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    // Let transitions settle: the picture is of the end state.
    await page.waitForTimeout(theme === 'light' ? 1600 : 400)
    const path = info.outputPath(`${name}-${theme}.png`)
    await page.getByTestId('inspector').screenshot({ path })
    await info.attach(`${name} (${theme})`, { path, contentType: 'image/png' })
  }
  await toggle.click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.setViewportSize(size)
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ')

test.beforeEach(async ({ page }) => {
  // A light start whatever the system says; the screenshots switch themes themselves.
  await page.addInitScript(() => localStorage.setItem('glassbox.theme', 'light'))
})

test('strings: int, embstr and raw, the sds class, the 44-byte boundary', async ({ page }, info) => {
  const repl = await Repl.open(page)
  await repl.run('SET n 12345')
  await showing(page, 'n', 'int')
  await expect(page.getByTestId('view-string')).toHaveAttribute('data-encoding', 'int')
  await repl.run('OBJECT ENCODING n')
  await repl.expectLastLines(['127.0.0.1:6379> OBJECT ENCODING n', '"int"', '127.0.0.1:6379>'])

  await repl.run(`SET e ${'x'.repeat(44)}`)
  await showing(page, 'e', 'embstr')
  const view = page.getByTestId('view-string')
  await expect(view.locator('[data-entry]')).toHaveCount(44)
  await expect(view).toContainText('44 bytes ≤ 44: embstr')
  await expect(view.locator('[data-part="sds-header"]')).toContainText('sdshdr8')
  expect((await snap(page, 'e'))!.value).toMatchObject({ encoding: 'embstr', sdsType: 8, length: 44 })
  await shoot(page, info, 'string-embstr')

  await repl.run(`SET r ${'y'.repeat(45)}`)
  await showing(page, 'r', 'raw')
  await expect(view).toContainText('45 bytes > 44: raw')
  await expect(view).toContainText('robj allocation → sds allocation')
  await repl.run('OBJECT ENCODING r')
  await repl.expectLastLines(['127.0.0.1:6379> OBJECT ENCODING r', '"raw"', '127.0.0.1:6379>'])
  const mem = (await snap(page, 'r'))!.memoryUsage
  await expect(page.getByTestId('inspector-memory')).toHaveText(`${mem} bytes`)
  await repl.run('MEMORY USAGE r')
  await repl.expectLastLines(['127.0.0.1:6379> MEMORY USAGE r', `(integer) ${mem}`, '127.0.0.1:6379>'])
  await shoot(page, info, 'string-raw')
})

test('hash: listpack byte map and gauges, then 513 fields convert to a hashtable with the reason', async ({ page }, info) => {
  const repl = await Repl.open(page)
  await repl.run('HSET h name glassbox visits 42')
  await showing(page, 'h', 'listpack')
  const lp = page.getByTestId('view-listpack')
  const s = (await snap(page, 'h'))!
  if (s.value.encoding !== 'listpack') throw new Error('listpack expected')
  await expect(lp.locator('[data-entry]')).toHaveCount(s.value.entries.length)
  for (const [i, e] of s.value.entries.entries()) await expect(lp.locator(`[data-entry="${i}"]`)).toHaveAttribute('data-offset', String(e.offset))
  await expect(lp.locator('[data-part="header"]')).toContainText(String(s.value.totalBytes))
  await expect(lp).toContainText('2 fields of hash-max-listpack-entries 512')
  // Hovering an entry decodes its bytes.
  await lp.locator('[data-entry="3"]').hover()
  await expect(lp.locator('.viz-decode')).toContainText('42')
  await shoot(page, info, 'listpack-hash')

  // 512 fields in one command, then the 513th.
  await repl.run(`HSET big ${range(512, (i) => `f${i} v`)}`)
  await showing(page, 'big', 'listpack')
  await expect(lp).toContainText('512 fields of hash-max-listpack-entries 512')
  await repl.run('HSET big f512 v')
  await showing(page, 'big', 'hashtable')
  const conv = page.getByTestId('conversion')
  await expect(conv).toBeVisible()
  await expect(page.getByTestId('conversion-reason')).toHaveText('513th field: hash-max-listpack-entries is 512')
  await expect(conv).toContainText('hash: listpack → hashtable')
  // The animation plays: elements start at their listpack place, then move to their buckets.
  await expect(conv).toHaveAttribute('data-phase', 'to')
  await expect(conv.locator('.viz-glide').first()).toBeVisible()
  const ev = await lastEvent(page, 'encoding-converted', 'big')
  expect(ev).toMatchObject({ from: 'listpack', to: 'hashtable', reason: '513th field: hash-max-listpack-entries is 512' })
  await shoot(page, info, 'conversion-hash-entries')

  // The hashtable view holds what the engine holds: the non-empty buckets of the window.
  const ht = page.getByTestId('view-hashtable')
  const hs = (await snap(page, 'big', { start: 0, count: 64 }))!.value
  if (hs.encoding !== 'hashtable') throw new Error('hashtable expected')
  await expect(ht.locator('[data-bucket]')).toHaveCount(hs.tables.reduce((n, t) => n + t.buckets.length, 0))
  await expect(ht.locator('[data-entry]')).toHaveCount(hs.tables.reduce((n, t) => n + t.buckets.reduce((m, b) => m + Math.min(5, b.entries.length), 0), 0))
  await expect(ht).toContainText(`table 0: ${hs.tables[0].size} buckets, 513 used`)

  // A value longer than hash-max-listpack-value converts too.
  await repl.run(`HSET hv short 1 long ${'z'.repeat(65)}`)
  await showing(page, 'hv', 'hashtable')
  await expect(page.getByTestId('conversion-banner').or(page.getByTestId('conversion-reason'))).toContainText('value of 65 bytes: hash-max-listpack-value is 64')
  await repl.run('OBJECT ENCODING hv')
  await repl.expectLastLines(['127.0.0.1:6379> OBJECT ENCODING hv', '"hashtable"', '127.0.0.1:6379>'])
})

test('hashtable: both tables while rehashing, the rehash index, and a SCAN cursor path', async ({ page }, info) => {
  const repl = await Repl.open(page)
  // No active rehashing, so the dict stays mid-rehash between commands.
  await repl.run('CONFIG SET activerehashing no')
  await repl.run(`SADD s ${range(16, (i) => `m${i}`)}`)
  await showing(page, 's', 'hashtable')
  // The 17th member grows 16 -> 32 buckets; every later command moves one bucket.
  await repl.run('SADD s m16')
  await repl.run('SISMEMBER s m1')
  const ht = page.getByTestId('view-hashtable')
  await expect(ht).toHaveAttribute('data-rehashing', 'true')
  const v = (await snap(page, 's', { start: 0, count: 64 }))!.value
  if (v.encoding !== 'hashtable') throw new Error('hashtable expected')
  expect(v.rehashIndex).toBeGreaterThan(0)
  await expect(ht.locator('[data-rehash-index]')).toHaveAttribute('data-rehash-index', String(v.rehashIndex))
  await expect(ht.locator('g[data-table="1"][data-bucket]')).toHaveCount(v.tables[1].buckets.length)
  await expect(ht.locator('g[data-table="0"][data-bucket]')).toHaveCount(v.tables[0].buckets.length)
  await expect(ht.locator('[data-entry]')).toHaveCount(17)
  await repl.run('DEBUG HTSTATS-KEY s')
  await repl.waitForLine(/Rehashing target:|rehashing target/i)
  await shoot(page, info, 'hashtable-rehashing')

  // SSCAN (mid-rehash: it reads both tables): the buckets each call read are highlighted,
  // numbered by call, and match the trace.
  await repl.run('SSCAN s 0 COUNT 3')
  const first = (await lastEvent(page, 'scan-step', 's'))!
  expect(first).toMatchObject({ op: 'sscan', cursor: 0 })
  await repl.waitForLine(new RegExp(`^1\\) "${first.next}"$`))
  await repl.run(`SSCAN s ${first.next} COUNT 3`)
  const second = (await lastEvent(page, 'scan-step', 's'))!
  expect(second.cursor).toBe(first.next)
  await expect(ht.locator('[data-scan-latest]')).toHaveCount(second.visits.length)
  for (const vis of second.visits) await expect(ht.locator(`g[data-table="${vis.table}"][data-bucket="${vis.bucket}"]`)).toHaveAttribute('data-scan-call', '2')
  for (const vis of first.visits) await expect(ht.locator(`g[data-table="${vis.table}"][data-bucket="${vis.bucket}"]`)).toHaveAttribute('data-scan-call', '1')
  await expect(page.getByTestId('scan-path')).toContainText(`SSCAN walk: cursor 0 → ${first.next} → ${second.next}`)
  await expect(page.getByTestId('scan-path')).toContainText('reverse-binary')
  await shoot(page, info, 'hashtable-scan')
})

test('set: intset, its upgrade, and both ways to a hashtable', async ({ page }, info) => {
  const repl = await Repl.open(page)
  await repl.run('SADD is 3 1 2')
  await showing(page, 'is', 'intset')
  const view = page.getByTestId('view-intset')
  await expect(view.locator('[data-entry]')).toHaveCount(3)
  await repl.run('SADD is 100000')
  await expect(view.locator('[data-value="100000"]')).toBeVisible()
  await expect(view).toContainText('(was 2 bytes)')
  const is = (await snap(page, 'is'))!.value
  expect(is).toMatchObject({ encoding: 'intset', width: 4, values: ['1', '2', '3', '100000'] })
  expect(await lastEvent(page, 'intset-upgrade', 'is')).toMatchObject({ from: 2, to: 4 })
  await shoot(page, info, 'intset-upgrade')

  await repl.run('SADD is hello')
  await showing(page, 'is', 'hashtable')
  await expect(page.getByTestId('conversion-reason')).toHaveText('member "hello" is not an integer')
  await expect(page.getByTestId('conversion').locator('[data-chip]')).toHaveCount(5)
  await expect(page.getByTestId('conversion').locator('[data-new]')).toHaveCount(1)
  await shoot(page, info, 'conversion-intset-hashtable')

  await repl.run(`SADD ints ${range(512, (i) => String(i * 7))}`)
  await showing(page, 'ints', 'intset')
  await repl.run('SADD ints -1')
  await showing(page, 'ints', 'hashtable')
  await expect(page.getByTestId('conversion-reason')).toHaveText('513th member: set-max-intset-entries is 512')
  await repl.run('OBJECT ENCODING ints')
  await repl.expectLastLines(['127.0.0.1:6379> OBJECT ENCODING ints', '"hashtable"', '127.0.0.1:6379>'])
})

test('list: quicklist nodes, a push that creates a node and an insert that splits one', async ({ page }, info) => {
  const repl = await Repl.open(page)
  await repl.run('CONFIG SET list-max-listpack-size 4')
  await repl.run('RPUSH l a b c d')
  await showing(page, 'l', 'quicklist')
  const view = page.getByTestId('view-quicklist')
  await expect(view.locator('[data-node]')).toHaveCount(1)
  await repl.run('RPUSH l e')
  await expect(view.locator('[data-node]')).toHaveCount(2)
  await expect(view.locator('[data-node="1"]')).toHaveAttribute('data-change', 'created')
  await expect(page.getByTestId('quicklist-change')).toHaveText('node #1 created: node #0 was full (4/4 entries)')
  await repl.run('RPUSH l f g h')
  await repl.run('LINSERT l BEFORE b x')
  await expect(view.locator('[data-change="split"]')).toHaveCount(1)
  await expect(page.getByTestId('quicklist-change')).toContainText('split it')
  const q = (await snap(page, 'l'))!.value
  if (q.encoding !== 'quicklist') throw new Error('quicklist expected')
  await expect(view.locator('[data-node]')).toHaveCount(q.nodeCount)
  for (const n of q.nodes) await expect(view.locator(`[data-node="${n.index}"]`)).toHaveAttribute('data-count', String(n.count))
  await shoot(page, info, 'quicklist-split')
  await repl.run('OBJECT ENCODING l')
  await repl.expectLastLines(['127.0.0.1:6379> OBJECT ENCODING l', '"quicklist"', '127.0.0.1:6379>'])
})

test('zset: listpack, 129 members convert to a skiplist; levels, spans and search paths match the engine', async ({ page }, info) => {
  const repl = await Repl.open(page)
  await repl.run(`ZADD z ${range(128, (i) => `${i} m${i}`)}`)
  await showing(page, 'z', 'listpack')
  await expect(page.getByTestId('view-listpack')).toContainText('128 members of zset-max-listpack-entries 128')
  await repl.run('ZADD z 128 m128')
  await showing(page, 'z', 'skiplist')
  await expect(page.getByTestId('conversion-reason')).toHaveText('129th member: zset-max-listpack-entries is 128')
  await shoot(page, info, 'conversion-zset-skiplist')

  const view = page.getByTestId('view-skiplist')
  const sl = (await snap(page, 'z', { start: 0, count: 64 }))!.value
  if (sl.encoding !== 'skiplist') throw new Error('skiplist expected')
  await expect(view.locator('[data-node]')).toHaveCount(sl.skiplist.nodes.length)
  for (const n of sl.skiplist.nodes.slice(0, 20)) await expect(view.locator(`[data-node="${n.rank}"]`)).toHaveAttribute('data-level', String(n.height))
  const spans = await view.locator('[data-link^="m:m0:"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-span'))))
  expect(spans).toEqual(sl.skiplist.nodes[0].links.map((l) => l.span))

  for (const cmd of ['ZSCORE z m13', 'ZRANK z m40', 'ZRANGEBYSCORE z 20 22']) {
    await repl.run(cmd)
    const op = cmd.split(' ')[0].toLowerCase()
    await expect.poll(async () => (await lastEvent(page, 'skiplist-search', 'z'))?.op).toBe(op)
    const ev = (await lastEvent(page, 'skiplist-search', 'z'))!
    // The drawn path is the engine's: one line per step, and the boxes it stood on.
    const steps = page.getByRole('list', { name: 'Search path' }).locator('li')
    await expect(steps).toHaveCount(ev.path.length)
    await expect(steps.first()).toHaveText(`level ${sl.skiplist.level}: header`)
    const last = ev.path[ev.path.length - 1]
    await expect(steps.last()).toContainText(`level ${last.level + 1}: ${last.rank === 0 ? 'header' : `rank ${last.rank}`}`)
    const perLevel = new Set(ev.path.map((p) => `${p.rank}:${p.level}`))
    await expect(view.locator('rect.viz-visited')).toHaveCount(perLevel.size)
    await expect(view).toContainText(`${op} walked ${ev.path.length} steps`)
    if (op === 'zrank') await shoot(page, info, 'skiplist-search')
  }
})

test('skiplist seed control: the same seed gives the same levels', async ({ page }) => {
  const repl = await Repl.open(page)
  await repl.run('CONFIG SET zset-max-listpack-entries 0')
  await repl.run('ZADD zs 0 a')
  await showing(page, 'zs', 'skiplist')
  const view = page.getByTestId('view-skiplist')
  await expect(view).toContainText('same seed, same levels')
  const levelsWithSeed = async (seed: string): Promise<string[]> => {
    // The control sets the engine's seed; the next inserts draw their levels from it.
    await view.getByLabel('Random seed').fill(seed)
    await view.getByRole('button', { name: 'Fix seed' }).click()
    await expect(view.getByLabel('Random seed')).toHaveValue(seed)
    await repl.run('DEL zs')
    await repl.run(`ZADD zs ${range(30, (i) => `${i} s${i}`)}`)
    await expect(view.locator('[data-node]')).toHaveCount(30)
    return view.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-level') ?? ''))
  }
  const a = await levelsWithSeed('1234')
  await repl.run('ZADD other 1 x 2 y 3 z')
  await showing(page, 'other', 'skiplist')
  await repl.run('ZADD zs 100 later')
  await showing(page, 'zs', 'skiplist')
  const b = await levelsWithSeed('1234')
  expect(b).toEqual(a)
  const c = await levelsWithSeed('99')
  expect(c).not.toEqual(a)
  expect(new Set(a).size).toBeGreaterThan(1)
})

test('reduced motion: views draw the end state with no transitions', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' })
  const repl = await Repl.open(page)
  await repl.run('CONFIG SET hash-max-listpack-entries 2')
  await repl.run('HSET rm a 1 b 2')
  await repl.run('HSET rm c 3')
  await showing(page, 'rm', 'hashtable')
  const conv = page.getByTestId('conversion')
  await expect(conv).toHaveAttribute('data-reduced-motion', 'true')
  await expect(conv).toHaveAttribute('data-phase', 'to')
  await expect(conv.locator('.viz-glide')).toHaveCount(0)
  await expect(page.getByTestId('view-hashtable')).toHaveAttribute('data-reduced-motion', 'true')
})

test('layout: the inspector gets room at 1400x900 and 1024x768, the split can be dragged', async ({ page }, info) => {
  for (const size of [{ width: 1400, height: 900 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(size)
    const repl = await Repl.open(page)
    // The page keeps its data across the reload (IndexedDB): a fresh key per size.
    const key = `lay${size.width}`
    await repl.run('CONFIG SET zset-max-listpack-entries 0')
    await repl.run(`ZADD ${key} ${range(12, (i) => `${i} m${i}`)}`)
    await showing(page, key, 'skiplist')
    const aside = await page.locator('aside.inspector').boundingBox()
    const panes = await page.locator('.panes').boundingBox()
    expect(aside!.width).toBeGreaterThanOrEqual(size.width * 0.4)
    expect(panes!.width).toBeGreaterThanOrEqual(350)
    const path = info.outputPath(`layout-${size.width}.png`)
    await page.screenshot({ path })
    await info.attach(`layout ${size.width}x${size.height}`, { path, contentType: 'image/png' })
    await repl.run('CONFIG SET zset-max-listpack-entries 128')
  }
  // Drag the separator 200 px to the left: the inspector grows by about that.
  const handle = page.getByRole('separator', { name: 'Resize the inspector' })
  const before = (await page.locator('aside.inspector').boundingBox())!.width
  const hb = (await handle.boundingBox())!
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2)
  await page.mouse.down()
  await page.mouse.move(hb.x + hb.width / 2 - 200, hb.y + hb.height / 2, { steps: 5 })
  await page.mouse.up()
  const after = (await page.locator('aside.inspector').boundingBox())!.width
  expect(after).toBeGreaterThan(before + 100)
  // The keyboard moves it too, and Home restores the default.
  await handle.focus()
  await page.keyboard.press('Home')
  await expect.poll(async () => Math.round((await page.locator('aside.inspector').boundingBox())!.width)).toBe(Math.round(before))
})
