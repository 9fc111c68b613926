// Persistence in the browser (issue 7): data of every type, with TTLs, survives
// a reload (saved when the page goes away, kept in IndexedDB, loaded back with
// redis-server's log lines); a second tab is told the data is in use and can
// run a temporary server; a damaged upload is refused and changes nothing;
// RDB files move both ways between the app and a real redis-server 7.0.15.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Redis from 'ioredis'
import { expect, test, type Page } from '@playwright/test'
import { Repl, requireChromium } from './support/repl.ts'
import { executable, isCI, REDIS_MISSING, REDIS_SERVER } from './support/env.ts'
import { redisVersion } from './support/redis.ts'
import { startRedis as startRedisProcess } from '../test/support/redis-process.ts'

requireChromium()
if (!executable(REDIS_SERVER)) {
  if (isCI()) test.beforeAll(() => { throw new Error(`${REDIS_MISSING} (CI is set: may not skip)`) })
  else test.skip(true, REDIS_MISSING)
}

// Typing the dataset into the REPL takes a while on a loaded machine.
test.describe.configure({ timeout: 300_000 })

const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?>/

/** One command line: its reply lines as the REPL shows them. */
async function reply(repl: Repl, line: string): Promise<string[]> {
  await repl.run(line)
  const lines = await repl.lines()
  let start = lines.length - 1
  while (start > 0 && !(PROMPT.test(lines[start]) && lines[start].endsWith(`> ${line}`))) start--
  return lines.slice(start + 1, lines.length - 1)
}

// Expire times are absolute (PXAT, PEXPIREAT, EXPIREAT), so the app and a reference
// redis-server given the same lines at different moments hold the same times.
const NOW = Date.now()
const AT_1H = NOW + 3_600_000
const AT_2H = NOW + 7_200_000
const AT_5000S = Math.floor(NOW / 1000) + 5000

/** Every type and encoding, TTLs in ms and in s, two databases: the same lines for the REPL and for redis-server. */
function dataset(): string[][] {
  const cmds: string[][] = []
  const add = (...argv: string[]): void => void cmds.push(argv)
  add('SET', 'str:int', '12345')
  add('SET', 'str:embstr', 'hello world')
  add('SET', 'str:raw', 'r'.repeat(120))
  add('SET', 'str:ttl', 'soon', 'PXAT', String(AT_1H))
  add('RPUSH', 'list:small', 'a', '1', '-7', '300000')
  add('RPUSH', 'list:big', ...Array.from({ length: 150 }, (_, i) => `element-${i}`))
  add('HSET', 'hash:lp', 'f1', 'v1', 'f2', '2')
  add('PEXPIREAT', 'hash:lp', String(AT_2H))
  // A value over hash-max-listpack-value (64) makes it a hashtable.
  add('HSET', 'hash:ht', ...Array.from({ length: 140 }, (_, i) => [`f${i}`, `v${i}`]).flat(), 'long', 'L'.repeat(80))
  add('SADD', 'set:int', '1', '2', '-3', '70000')
  add('SADD', 'set:ht', 'a', 'b', 'c')
  add('ZADD', 'zset:lp', '1.5', 'm1', '-2', 'm2')
  add('ZADD', 'zset:sl', ...Array.from({ length: 140 }, (_, i) => [String(i / 4), `member${i}`]).flat())
  add('EXPIREAT', 'zset:sl', String(AT_5000S))
  add('SETBIT', 'bits', '100', '1')
  add('SELECT', '3')
  add('SET', 'db3', 'three')
  add('SELECT', '0')
  return cmds
}

const KEYS0 = ['bits', 'hash:ht', 'hash:lp', 'list:big', 'list:small', 'set:ht', 'set:int', 'str:embstr', 'str:int', 'str:raw', 'str:ttl', 'zset:lp', 'zset:sl']

async function populate(repl: Repl): Promise<void> {
  await repl.runMany(dataset().map((argv) => argv.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')))
}

// ---- a real redis-server with its own directory ---------------------------

interface RealRedis {
  port: number
  dir: string
  client: Redis
  stop(): Promise<void>
}

/** redis-server 7.0.15 on a free port, --dir a temp dir (holding `rdb` as dump.rdb, when given). */
async function startRedis(rdb?: Uint8Array): Promise<RealRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-persist-'))
  if (rdb) writeFileSync(path.join(dir, 'dump.rdb'), rdb)
  // Ready once it answers PONG, so after it has loaded dump.rdb (it answers LOADING until then).
  const proc = await startRedisProcess(['--dir', dir, '--dbfilename', 'dump.rdb', '--enable-debug-command', 'yes'])
  const client = new Redis({ port: proc.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => {})
  const stop = async (): Promise<void> => {
    client.disconnect()
    await proc.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return { port: proc.port, dir, client, stop }
}

/** Every key of every db of a real server: type, encoding, value (order-free where Redis's is), expire time. */
async function realSnapshot(r: Redis): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (let db = 0; db < 16; db++) {
    await r.select(db)
    for (const key of (await r.keys('*')).sort()) {
      const type = await r.type(key)
      const enc = await r.object('ENCODING', key)
      let v: unknown
      if (type === 'string') v = (await r.getBuffer(key))?.toString('hex')
      else if (type === 'list') v = await r.lrange(key, 0, -1)
      else if (type === 'hash') v = Object.entries(await r.hgetall(key)).sort()
      else if (type === 'set') v = (await r.smembers(key)).sort()
      else if (type === 'zset') v = await r.call('ZRANGE', key, '0', '-1', 'WITHSCORES')
      out[`${db}:${key}`] = [type, enc, v, await r.call('PEXPIRETIME', key)]
    }
  }
  await r.select(0)
  return out
}

async function openPanel(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Saved data/ })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await expect(page.getByRole('region', { name: 'Saved data' })).toBeVisible()
}

async function upload(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await openPanel(page)
  await page.getByLabel('RDB file to upload').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
}

async function downloadCurrent(page: Page): Promise<Uint8Array> {
  await openPanel(page)
  const dl = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download dump.rdb (the data now)' }).click()
  const d = await dl
  expect(d.suggestedFilename()).toBe('dump.rdb')
  return new Uint8Array(readFileSync((await d.path())!))
}

test('every type, with TTLs, survives a reload; the TTL kept counting; the REPL shows the load lines', async ({ page }) => {
  let repl = await Repl.open(page)
  // A fresh start prints no server log.
  expect(await repl.lines()).toEqual(['127.0.0.1:6379>'])
  await populate(repl)
  const before = Number((await reply(repl, 'PTTL str:ttl'))[0].replace('(integer) ', ''))
  const t0 = Date.now()
  expect(before).toBeGreaterThan(3_000_000)
  await page.waitForTimeout(1500)

  await page.reload()
  repl = await Repl.open(page)
  const elapsed = Date.now() - t0
  const top = await repl.lines()
  const log = top.slice(0, top.indexOf(''))
  expect(log.join('\n')).toMatch(/^\d+:M \d\d \w{3} \d{4} [\d:.]+ \* Server initialized$/m)
  expect(log.join('\n')).toMatch(/\* Loading RDB produced by version 7\.0\.15$/m)
  expect(log.join('\n')).toMatch(/\* Done loading RDB, keys loaded: 14, keys expired: 0\.$/m)
  expect(log.join('\n')).toMatch(/\* DB loaded from disk: \d+\.\d{3} seconds$/m)
  expect(log[log.length - 1]).toMatch(/\* Ready to accept connections$/)
  expect(top[top.length - 1]).toBe('127.0.0.1:6379>')

  expect(await reply(repl, 'DBSIZE')).toEqual(['(integer) 13'])
  expect(await reply(repl, 'KEYS *').then((l) => l.map((x) => x.replace(/^\s*\d+\) /, '')).sort())).toEqual(KEYS0.map((k) => `"${k}"`))
  expect(await reply(repl, 'GET str:int')).toEqual(['"12345"'])
  expect(await reply(repl, 'OBJECT ENCODING str:int')).toEqual(['"int"'])
  expect(await reply(repl, 'GET str:embstr')).toEqual(['"hello world"'])
  expect(await reply(repl, 'STRLEN str:raw')).toEqual(['(integer) 120'])
  expect(await reply(repl, 'LRANGE list:small 0 -1')).toEqual(['1) "a"', '2) "1"', '3) "-7"', '4) "300000"'])
  expect(await reply(repl, 'LINDEX list:big 149')).toEqual(['"element-149"'])
  expect(await reply(repl, 'HGETALL hash:lp')).toEqual(['1) "f1"', '2) "v1"', '3) "f2"', '4) "2"'])
  expect(await reply(repl, 'OBJECT ENCODING hash:ht')).toEqual(['"hashtable"'])
  expect(await reply(repl, 'HGET hash:ht f139')).toEqual(['"v139"'])
  expect(await reply(repl, 'HSTRLEN hash:ht long')).toEqual(['(integer) 80'])
  expect(await reply(repl, 'SMEMBERS set:int')).toEqual(['1) "-3"', '2) "1"', '3) "2"', '4) "70000"'])
  expect(await reply(repl, 'SCARD set:ht')).toEqual(['(integer) 3'])
  expect(await reply(repl, 'ZRANGE zset:lp 0 -1 WITHSCORES')).toEqual(['1) "m2"', '2) "-2"', '3) "m1"', '4) "1.5"'])
  expect(await reply(repl, 'OBJECT ENCODING zset:sl')).toEqual(['"skiplist"'])
  expect(await reply(repl, 'ZSCORE zset:sl member139')).toEqual(['"34.75"'])
  expect(await reply(repl, 'GETBIT bits 100')).toEqual(['(integer) 1'])
  expect(await reply(repl, 'SELECT 3')).toEqual(['OK'])
  expect(await reply(repl, 'GET db3')).toEqual(['"three"'])
  await repl.run('SELECT 0')

  // The TTLs were kept as absolute times: they went on counting down across the reload.
  const after = Number((await reply(repl, 'PTTL str:ttl'))[0].replace('(integer) ', ''))
  expect(after).toBeLessThanOrEqual(before - (elapsed - 1000))
  expect(after).toBeGreaterThan(before - elapsed - 60_000)
  expect(await reply(repl, 'PEXPIRETIME hash:lp')).toEqual([`(integer) ${AT_2H}`])
  expect(await reply(repl, 'EXPIRETIME zset:sl')).toEqual([`(integer) ${AT_5000S}`])
  expect(await reply(repl, 'TTL list:small')).toEqual(['(integer) -1'])

  // LASTSAVE moved when the page went away, and the menu says where the data is.
  await openPanel(page)
  await expect(page.getByTestId('persist-storage')).toHaveText('Saved in this browser')
  await expect(page.getByRole('region', { name: 'Saved data' })).toContainText('dump.rdb')
})

test('a second tab is told the data is in use and can run a temporary server', async ({ page, context }) => {
  const repl = await Repl.open(page)
  await repl.run('SET owner first-tab')

  const second = await context.newPage()
  await second.goto('./')
  const dialog = second.getByRole('dialog', { name: 'Glassbox is open in another tab' })
  await expect(dialog).toBeVisible({ timeout: 15_000 })
  await expect(dialog).toContainText('Glassbox is open in another tab, which owns the saved data.')
  // Keyboard: the offer has the focus.
  await expect(second.getByRole('button', { name: 'Run a temporary in-memory server here' })).toBeFocused()
  await second.keyboard.press('Enter')
  await expect(dialog).toBeHidden()

  const temp = new Repl(second)
  await temp.waitMode(0, 'prompt')
  // Its start-up log says so.
  expect((await temp.lines()).join('\n')).toMatch(/# Running a temporary in-memory server: another tab owns the saved data/)
  expect(await reply(temp, 'GET owner')).toEqual(['(nil)'])
  expect(await reply(temp, 'SET temp 1')).toEqual(['OK'])
  expect(await reply(temp, 'DBSIZE')).toEqual(['(integer) 1'])
  await openPanel(second)
  await expect(second.getByTestId('persist-storage')).toContainText('Temporary server')
  await second.close()

  // The owner is untouched.
  expect(await reply(repl, 'GET temp')).toEqual(['(nil)'])
  expect(await reply(repl, 'GET owner')).toEqual(['"first-tab"'])
})

test('a truncated or bit-flipped upload is refused with redis-server\'s error and changes nothing', async ({ page }) => {
  const repl = await Repl.open(page)
  await populate(repl)
  const good = await downloadCurrent(page)
  expect(new TextDecoder().decode(good.slice(0, 9))).toBe('REDIS0010')

  await upload(page, 'truncated.rdb', good.slice(0, good.length - 100))
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('truncated.rdb was not loaded: Unexpected EOF reading RDB file. Your data is unchanged.')
  await expect(alert).toContainText('Short read or OOM loading DB. Unrecoverable error, aborting now.')
  await expect(alert).toContainText('Internal error in RDB reading offset')

  const flipped = good.slice()
  // A bit in the middle of a value: only the checksum can tell.
  flipped[Math.floor(good.length * 0.6)] ^= 0x04
  await upload(page, 'flipped.rdb', flipped)
  await expect(alert).toContainText('flipped.rdb was not loaded')
  await expect(alert).toContainText(/Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.|Internal error in RDB reading/)

  expect(await reply(repl, 'DBSIZE')).toEqual(['(integer) 13'])
  expect(await reply(repl, 'GET str:embstr')).toEqual(['"hello world"'])
  expect(await reply(repl, 'HGET hash:ht f139')).toEqual(['"v139"'])
  expect(await reply(repl, 'ZCARD zset:sl')).toEqual(['(integer) 140'])
  // And the saved file is still the one from before (nothing was written).
  expect(await downloadCurrent(page)).toHaveLength(good.length)
})

test('dump.rdb downloaded from the app loads into redis-server 7.0.15 with the same data, key by key', async ({ page }) => {
  expect(redisVersion()).toBe('7.0.15')
  const repl = await Repl.open(page)
  await populate(repl)
  const file = await downloadCurrent(page)

  // The same commands on a real server give the expected data.
  const reference = await startRedis()
  const loaded = await startRedis(file)
  try {
    for (const argv of dataset()) await reference.client.call(argv[0], ...argv.slice(1))
    // Encodings as a load gives them (a SETBIT string is raw until saved and loaded, then embstr).
    await reference.client.call('DEBUG', 'RELOAD')
    const want = await realSnapshot(reference.client)
    expect(Object.keys(want)).toHaveLength(14)
    expect(await realSnapshot(loaded.client)).toEqual(want)
  } finally {
    await reference.stop()
    await loaded.stop()
  }
})

test('an RDB written by redis-server, uploaded into the app, shows its keys (and is saved)', async ({ page }) => {
  const real = await startRedis()
  let rdb: Uint8Array
  try {
    for (const argv of dataset()) await real.client.call(argv[0], ...argv.slice(1))
    await real.client.save()
    rdb = new Uint8Array(readFileSync(path.join(real.dir, 'dump.rdb')))
  } finally {
    await real.stop()
  }
  const repl = await Repl.open(page)
  await repl.run('SET to-be-replaced 1')
  await upload(page, 'from-redis.rdb', rdb)
  await expect(page.getByRole('status').filter({ hasText: 'Loaded from-redis.rdb' })).toContainText('Loaded from-redis.rdb: 14 keys, saved.')

  expect(await reply(repl, 'DBSIZE')).toEqual(['(integer) 13'])
  expect(await reply(repl, 'EXISTS to-be-replaced')).toEqual(['(integer) 0'])
  expect(await reply(repl, 'GET str:raw')).toEqual([`"${'r'.repeat(120)}"`])
  expect(await reply(repl, 'LRANGE list:small 0 -1')).toEqual(['1) "a"', '2) "1"', '3) "-7"', '4) "300000"'])
  expect(await reply(repl, 'HGET hash:ht f77')).toEqual(['"v77"'])
  expect(await reply(repl, 'OBJECT ENCODING set:int')).toEqual(['"intset"'])
  expect(await reply(repl, 'ZRANGE zset:lp 0 -1 WITHSCORES')).toEqual(['1) "m2"', '2) "-2"', '3) "m1"', '4) "1.5"'])
  expect(await reply(repl, 'PEXPIRETIME str:ttl')).toEqual([`(integer) ${AT_1H}`])
  expect(await reply(repl, 'SELECT 3')).toEqual(['OK'])
  expect(await reply(repl, 'GET db3')).toEqual(['"three"'])
  await repl.run('SELECT 0')

  // It was saved: after a reload it is loaded from IndexedDB.
  await page.reload()
  const again = await Repl.open(page)
  expect((await again.lines()).join('\n')).toMatch(/Done loading RDB, keys loaded: 14, keys expired: 0\./)
  expect(await reply(again, 'HGET hash:ht f77')).toEqual(['"v77"'])
})

test('Reset asks first, then empties the data and the saved files', async ({ page }) => {
  const repl = await Repl.open(page)
  await repl.run('SET a 1')
  await repl.run('SAVE')
  await openPanel(page)
  await expect(page.getByRole('region', { name: 'Saved data' })).toContainText('dump.rdb')
  await page.getByRole('button', { name: 'Reset…' }).click()
  const confirm = page.getByRole('alertdialog', { name: 'Reset all data?' })
  await expect(confirm).toBeVisible()
  // Cancel has the focus; Escape cancels and nothing changes.
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(confirm).toBeHidden()
  expect(await reply(repl, 'DBSIZE')).toEqual(['(integer) 1'])
  await openPanel(page)
  await page.getByRole('button', { name: 'Reset…' }).click()
  await page.getByRole('button', { name: 'Delete everything' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'All data and saved files were deleted.' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Saved data' })).toContainText('none yet')
  expect(await reply(repl, 'DBSIZE')).toEqual(['(integer) 0'])
  await page.reload()
  const again = await Repl.open(page)
  expect(await again.lines()).toEqual(['127.0.0.1:6379>'])
  expect(await reply(again, 'DBSIZE')).toEqual(['(integer) 0'])
})
