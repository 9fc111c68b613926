// Key browser benchmark (issue 6), in headless Chromium against the built app:
//  - DEBUG POPULATE 100000 typed in the REPL -> all 100,000 keys listed;
//  - first render of a 100,000-key db (switching to it from an empty db);
//  - a pattern filter and a type filter over 100,000 keys, and clearing them;
//  - scrolling the virtualised list (a jump per frame across the whole list);
//  - choosing a key until the inspector shows it;
//  - a burst of 1,000 new keys from one command -> listed.
// Each is timed in the page (performance.now(), to the animation frame that shows
// the result), with the longest frame gap seen meanwhile (how long the page froze).
// Peer: `redis-cli --scan` (redis-cli 7.0 has no --count: SCAN with COUNT 10) walking the same 100,000 keys of a real redis-server.
// Prints numbers; no thresholds. Usage:
//   npx tsx bench/key-browser.ts [--runs 5] [--keys 100000] [--no-build]
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS, REDIS_CLI, REDIS_SERVER, executable } from '../e2e/support/env.ts'
import { serveBuiltApp } from './support.ts'
import { startRedis } from '../test/support/redis-process.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const RUNS = opt('runs', 5)
const KEYS = opt('keys', 100_000)
const OUTDIR = process.env.GLASSBOX_BENCH_OUTDIR ?? '/tmp/gb-bench-keys'

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (n: number): string => `${n.toFixed(1)} ms`
const KEY_COUNT = (n: number): string => `${n.toLocaleString('en-US')} keys`

// Page-side helpers, as plain JS text: functions passed to page.evaluate would
// carry tsx's __name() wrappers, which do not exist in the page.
const PAGE_HELPERS = `
window.__kbTimed = (doneSrc, arg) => {
  const check = new Function('arg', 'return (' + doneSrc + ')(arg)')
  const start = performance.now()
  window.__kbBench = new Promise((resolve, reject) => {
    let last = start
    let worst = 0
    const step = () => {
      const t = performance.now()
      worst = Math.max(worst, t - last)
      last = t
      if (check(arg)) resolve({ ms: t - start, worstFrame: worst })
      else if (t - start > 180000) reject(new Error('timed out waiting for ' + doneSrc))
      else requestAnimationFrame(step)
    }
    requestAnimationFrame(step)
  })
}
window.__kbScroll = (jumps) => new Promise((resolve) => {
  const list = document.querySelector('.kb-list')
  const max = list.scrollHeight - list.clientHeight
  const frames = []
  const start = performance.now()
  let last = start
  let i = 0
  const step = () => {
    const t = performance.now()
    if (i > 0) frames.push(t - last)
    last = t
    if (i === jumps) {
      resolve({ ms: t - start, worstFrame: Math.max(...frames), frames })
      return
    }
    list.scrollTop = Math.round((max * ((i * 7919) % jumps)) / (jumps - 1))
    i++
    requestAnimationFrame(step)
  }
  requestAnimationFrame(step)
})
`

interface Timing {
  ms: number
  worstFrame: number
}

/**
 * In the page: start watching, run `act`, and resolve when `done(arg)` holds at
 * an animation frame. Returns the time to that frame and the longest gap between frames.
 */
async function timed(page: Page, act: () => Promise<unknown>, done: string, arg: unknown): Promise<Timing> {
  await page.evaluate(`window.__kbTimed(${JSON.stringify(done)}, ${JSON.stringify(arg)})`)
  await act()
  try {
    return (await page.evaluate('window.__kbBench')) as Timing
  } catch (e) {
    const count = await page.getByTestId('key-count').textContent()
    const lines = (await page.evaluate(() => window.__glassbox!.lines(0))).slice(-3).map((l) => l.slice(0, 100))
    throw new Error(`${(e as Error).message}\n  key count shows: ${count}\n  REPL: ${lines.join(' | ')}`, { cause: e })
  }
}

const countIs = `(want) => document.querySelector('[data-testid=key-count]')?.textContent === want`
const firstRowIs = `(want) => document.querySelector('.kb-row .kb-name')?.textContent === want && document.querySelectorAll('.kb-row').length > 0`
const rowsAre = `(n) => document.querySelectorAll('.kb-row').length === n`
const anyRows = `() => document.querySelectorAll('.kb-row').length > 0`

async function runLine(page: Page, line: string): Promise<void> {
  const done = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.status().done)
  await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.focus())
  await page.keyboard.insertText(line)
  await page.keyboard.press('Enter')
  await page.waitForFunction((n) => [...window.__glassbox!.panes.values()][0]!.status().done > n, done, { timeout: 180_000 })
}

async function redisPeer(): Promise<{ ms: number; keys: number } | undefined> {
  if (!executable(REDIS_SERVER) || !executable(REDIS_CLI)) return undefined
  const srv = await startRedis(['--enable-debug-command', 'yes'])
  const port = String(srv.port)
  try {
    spawnSync(REDIS_CLI, ['-p', port, 'DEBUG', 'POPULATE', String(KEYS)])
    const times: number[] = []
    let keys = 0
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      const r = spawnSync(REDIS_CLI, ['-p', port, '--scan'], { maxBuffer: 64 << 20 })
      times.push(performance.now() - t)
      keys = r.stdout.toString().split('\n').filter((l) => l !== '').length
    }
    return { ms: median(times), keys }
  } finally {
    await srv.stop()
  }
}

async function main(): Promise<void> {
  const app = await serveBuiltApp(OUTDIR, { build: !args.includes('--no-build') })
  const url = app.url
  const results: Record<string, Timing[]> = {}
  const calibration: number[] = []
  const note = (name: string, r: Timing): void => {
    ;(results[name] ??= []).push(r)
    if (args.includes('--verbose')) console.log(`    ${name}: ${fmt(r.ms)} (longest frame ${fmt(r.worstFrame)})`)
  }
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
    try {
      for (let run = 0; run < RUNS; run++) {
        const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
        const page = await ctx.newPage()
        await page.goto(url)
        await page.waitForFunction(() => [...(window.__glassbox?.panes.values() ?? [])][0]?.status().mode === 'prompt')
        await page.evaluate(PAGE_HELPERS)
        const kb = page.getByTestId('key-browser')
        const all = KEY_COUNT(KEYS)
        note('DEBUG POPULATE -> all keys listed', await timed(page, () => runLine(page, `DEBUG POPULATE ${KEYS}`), countIs, all))
        // First render: from an empty db to the full one (first rows, then every key).
        const dbSelect = kb.getByRole('combobox', { name: 'Database' })
        for (const what of ['first rows drawn', 'all keys listed']) {
          await dbSelect.selectOption('1')
          await page.waitForFunction(`(${countIs})('0 keys')`)
          const done = what === 'first rows drawn' ? anyRows : countIs
          note(`switch to the db -> ${what}`, await timed(page, () => dbSelect.selectOption('0'), done, all))
          await page.waitForFunction(`(${countIs})(${JSON.stringify(all)})`)
        }
        const pattern = kb.getByRole('searchbox', { name: 'Filter keys by pattern' })
        note('pattern filter key:9999* (11 of 100,000)', await timed(page, () => pattern.fill('key:9999*'), rowsAre, 11))
        note('clear the pattern', await timed(page, () => pattern.fill(''), firstRowIs, 'key:0'))
        note('pattern filter *7* (many matches)', await timed(page, () => pattern.fill('*7*'), firstRowIs, 'key:10007'))
        await pattern.fill('')
        note('type filter: hash (none)', await timed(page, () => kb.getByRole('combobox', { name: 'Filter by type' }).selectOption('hash'), `() => document.querySelector('.kb-empty') !== null`, null))
        await kb.getByRole('combobox', { name: 'Filter by type' }).selectOption('')
        await page.waitForFunction(`(${firstRowIs})('key:0')`)
        // Scrolling: 120 jumps, one per frame, across the whole list.
        const scroll = (await page.evaluate('window.__kbScroll(120)')) as Timing & { frames: number[] }
        note('scroll: 120 jumps (total)', { ms: scroll.ms, worstFrame: scroll.worstFrame })
        note('scroll: median frame', { ms: median(scroll.frames), worstFrame: scroll.worstFrame })
        // Choosing a key (keyboard: Home, Enter) until the inspector shows it.
        await kb.getByRole('listbox').focus()
        await page.keyboard.press('Home')
        note('choose a key -> inspector shows it', await timed(page, () => page.keyboard.press('Enter'), `() => document.querySelector('[data-testid=inspector-type]')?.textContent === 'string'`, null))
        // A burst of 1,000 new keys from one short command (the REPL's typing is not what is measured).
        note('1,000 new keys (DEBUG POPULATE 1000 burst) -> listed', await timed(page, () => runLine(page, 'DEBUG POPULATE 1000 burst'), countIs, KEY_COUNT(KEYS + 1000)))
        // The page's speed on this machine right now, to read the numbers against.
        calibration.push((await page.evaluate('(() => { const t = performance.now(); let s = 0; for (let i = 0; i < 1e7; i++) s += i; return performance.now() - t + (s < 0 ? 1 : 0) })()')) as number)
        await ctx.close()
      }
    } finally {
      await browser.close()
    }
    const peer = await redisPeer()
    console.log(`Key browser benchmark (headless ${CHROMIUM}, ${new Date().toISOString()}, ${KEYS.toLocaleString('en-US')} keys, ${RUNS} runs, median)`)
    console.log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
    console.log(`  calibration: a 10-million-step JS loop in the page took ${fmt(median(calibration))} (about 10 ms on an idle 2020s laptop core)`)
    for (const [name, rs] of Object.entries(results)) {
      console.log(`  ${name.padEnd(44)} ${fmt(median(rs.map((r) => r.ms))).padStart(10)}   longest frame ${fmt(median(rs.map((r) => r.worstFrame)))}`)
    }
    if (peer) {
      const listed = median(results['switch to the db -> all keys listed'].map((r) => r.ms))
      console.log(`  peer: redis-cli --scan (SCAN, default COUNT 10) of a real redis-server (${peer.keys} keys): ${fmt(peer.ms)}`)
      console.log(`  ratio: key browser full listing / redis-cli --scan = ${(listed / peer.ms).toFixed(2)}x`)
    }
  } finally {
    app.stop()
  }
}

await main()
