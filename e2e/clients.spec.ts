// Several clients side by side, each its own engine client: pub/sub across
// them, a WATCH race, MONITOR, a blocked BLPOP, and a busy engine that leaves
// the page responsive.
import { expect, test } from '@playwright/test'
import { Repl, requireChromium } from './support/repl.ts'

requireChromium()

async function twoClients(page: import('@playwright/test').Page): Promise<Repl> {
  const repl = await Repl.open(page)
  await page.getByRole('button', { name: 'New client' }).click()
  await expect(page.locator('.pane')).toHaveCount(2)
  await repl.waitMode(1, 'prompt')
  return repl
}

test('one client subscribes, another publishes; Ctrl-C leaves subscribed mode', async ({ page }) => {
  const repl = await twoClients(page)
  await repl.run('SELECT 3', 0)
  await repl.submit('SUBSCRIBE news', 0)
  await repl.waitMode(0, 'subscribed')
  await repl.expectLastLines(['127.0.0.1:6379[3]> SUBSCRIBE news', 'Reading messages... (press Ctrl-C to quit)', '1) "subscribe"', '2) "news"', '3) (integer) 1'], 0)
  await repl.run('PUBLISH news "hello there"', 1)
  await repl.expectLastLines(['127.0.0.1:6379> PUBLISH news "hello there"', '(integer) 1', '127.0.0.1:6379>'], 1)
  await repl.expectLastLines(['1) "message"', '2) "news"', '3) "hello there"'], 0)
  // Typing is ignored while subscribed; Ctrl-C gives a fresh client and the prompt back.
  await repl.focus(0)
  await page.keyboard.press('Control+C')
  await repl.waitMode(0, 'prompt')
  await repl.run('PING', 0)
  // Like redis-cli reconnecting: the new client is back in db 3, and nothing else was printed.
  await repl.expectLastLines(['3) "hello there"', '^C', '127.0.0.1:6379[3]> PING', 'PONG', '127.0.0.1:6379[3]>'], 0)
  await repl.run('CLIENT INFO', 0)
  await repl.waitForLine(/ db=3 sub=0 psub=0 /, 0)
  await repl.run('PUBLISH news again', 1)
  await repl.expectLastLines(['127.0.0.1:6379> PUBLISH news again', '(integer) 0', '127.0.0.1:6379>'], 1)
})

test('WATCH race: a write from another client aborts EXEC', async ({ page }) => {
  const repl = await twoClients(page)
  await repl.run('SET balance 10', 0)
  await repl.run('WATCH balance', 0)
  await repl.run('MULTI', 0)
  await repl.run('INCRBY balance 5', 0)
  await repl.run('SET balance 100', 1)
  await repl.run('EXEC', 0)
  await repl.run('GET balance', 0)
  await repl.expectLastLines([
    '127.0.0.1:6379> WATCH balance', 'OK',
    '127.0.0.1:6379> MULTI', 'OK',
    '127.0.0.1:6379(TX)> INCRBY balance 5', 'QUEUED',
    '127.0.0.1:6379(TX)> EXEC', '(nil)',
    '127.0.0.1:6379> GET balance', '"100"',
    '127.0.0.1:6379>',
  ], 0)
})

test('MONITOR shows the other client\'s commands as they run', async ({ page }) => {
  const repl = await twoClients(page)
  await repl.submit('MONITOR', 0)
  await repl.waitMode(0, 'monitor')
  await repl.run('SET watched "some value"', 1)
  await repl.waitForLine(/^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "watched" "some value"$/, 0)
  await repl.focus(0)
  await page.keyboard.press('Control+C')
  await repl.waitMode(0, 'prompt')
})

test('a blocked BLPOP shows its reply when another client pushes', async ({ page }) => {
  const repl = await twoClients(page)
  await page.waitForFunction(() => window.__glassbox?.commands() !== undefined)
  const commands = await page.evaluate(() => window.__glassbox!.commands()!)
  test.skip(!commands.includes('blpop'), 'BLPOP is not implemented by the engine yet')
  await repl.submit('BLPOP jobs 0', 0)
  await repl.waitMode(0, 'blocked')
  await repl.run('RPUSH jobs job-1', 1)
  await repl.waitMode(0, 'prompt')
  await repl.expectLastLines(['127.0.0.1:6379> BLPOP jobs 0', '1) "jobs"', '2) "job-1"', '127.0.0.1:6379>'], 0)
  // Ctrl-C abandons a block (like killing redis-cli): a fresh client, the prompt back.
  await repl.submit('BLPOP never 0', 0)
  await repl.waitMode(0, 'blocked')
  await page.keyboard.press('Control+C')
  await repl.waitMode(0, 'prompt')
  await repl.run('CLIENT LIST', 1)
  await repl.waitForLine(/cmd=client\|list/, 1)
  expect((await repl.lines(1)).some((l) => l.includes('cmd=blpop'))).toBe(false)
})

test('a busy engine (DEBUG SLEEP) does not freeze the page', async ({ page }) => {
  const repl = await twoClients(page)
  // Long enough that a loaded test machine still types and clicks within it.
  await repl.submit('DEBUG SLEEP 4', 0)
  await repl.waitMode(0, 'running')
  const t0 = Date.now()
  // The other pane echoes typing and the toolbar responds while the worker sleeps.
  await repl.type('PING', 1)
  await expect.poll(() => repl.cursorLine(1)).toMatch(/^127\.0\.0\.1:6379> PING/)
  const theme = await page.evaluate(() => document.documentElement.dataset.theme)
  await page.getByRole('button', { name: 'Dark theme' }).click()
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(theme)
  // All of that happened while the engine was still asleep.
  expect((await repl.status(0))!.mode).toBe('running')
  expect(Date.now() - t0).toBeLessThan(4000)
  // The sleeping client answers after ~4 s, with redis-cli's timing line; the other one then.
  await repl.waitMode(0, 'prompt')
  const shown = await repl.lines(0, { timing: true })
  expect(shown.slice(-4, -2)).toEqual(['127.0.0.1:6379> DEBUG SLEEP 4', 'OK'])
  expect(shown.at(-2)).toMatch(/^\([4-9]\.\d\ds\)$/)
  await repl.focus(1)
  await page.keyboard.press('Enter')
  await repl.expectLastLines(['127.0.0.1:6379> PING', 'PONG', '127.0.0.1:6379>'], 1)
})
