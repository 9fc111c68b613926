// Frame-time benchmark for the encoding views (issue 6), in headless Chromium
// against the built app: the inspector animating
//  - skiplist inserts into a 1,000-member zset (nodes slide along, pointers
//    rewire, the new tower appears) and the search path of ZSCORE/ZRANK drawn
//    step by step;
//  - a hash of 8,000 -> 10,000 fields growing through its 8,192 -> 16,384 bucket
//    rehash (entries glide from table 0 to table 1, the rehash index moves), with
//    single-field HSETs (one bucket moved each) and 100-field ones;
// measured in the page from requestAnimationFrame timestamps (the interval
// between frames: 16.7 ms at 60 Hz; an interval of n frames drops n - 1) and the
// long-animation-frame PerformanceObserver (frames whose work took over 50 ms).
// Commands are typed into the REPL like a person would, ~250 ms apart.
// Prints numbers; no thresholds. Usage:
//   npx tsx bench/frames.ts [--outdir /tmp/gb-frames] [--no-build] [--rounds 20]
import os from 'node:os'
import path from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/env.ts'
import { percentile, ROOT, serveBuiltApp } from './support.ts'

const args = process.argv.slice(2)
const sopt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : dflt
}
const ROUNDS = Number(sopt('rounds', '20'))
const OUTDIR = path.resolve(ROOT, sopt('outdir', 'dist'))
const FRAME = 1000 / 60
const PROFILE = args.includes('--profile')

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[]
  samples: number[]
  timeDeltas: number[]
}

/** Self time per function of a CPU profile, the top `n`. */
function topSelf(p: CpuProfile, n: number): string[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]))
  const self = new Map<string, number>()
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000)
  })
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(0).padStart(7)} ms  ${k}`)
}

interface FrameLog {
  ts: number[]
  /** [from, to] page times of the animation windows: after a command's reply, until the next command is typed. */
  windows: [number, number][]
  /** Long animation frames: their time split into script and rendering (style, layout, paint), and who ran the scripts. */
  loaf: { start: number; duration: number; blocking: number; render: number; scripts: { who: string; ms: number }[] }[]
}

declare global {
  interface Window {
    __frames?: FrameLog & { on: boolean }
  }
}

/** Start recording frames in the page (a rAF loop and a long-animation-frame observer). */
async function record(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log = { ts: [] as number[], windows: [] as [number, number][], loaf: [] as FrameLog['loaf'], on: true }
    window.__frames = log
    const loop = (t: number): void => {
      if (!log.on) return
      log.ts.push(t)
      requestAnimationFrame(loop)
    }
    requestAnimationFrame(loop)
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const f = e as PerformanceEntry & { blockingDuration?: number; renderStart?: number; scripts?: { sourceURL: string; sourceFunctionName: string; invoker: string; duration: number }[] }
          const end = e.startTime + e.duration
          const scripts = (f.scripts ?? []).map((x) => ({ who: `${x.invoker} ${x.sourceURL.split('/').pop()} ${x.sourceFunctionName}`.trim(), ms: x.duration }))
          if (log.on) log.loaf.push({ start: e.startTime, duration: e.duration, blocking: f.blockingDuration ?? 0, render: f.renderStart ? end - f.renderStart : 0, scripts })
        }
      }).observe({ type: 'long-animation-frame', buffered: false })
    } catch {
      // no LoAF in this browser: the rAF intervals alone
    }
  })
}

async function stop(page: Page): Promise<FrameLog> {
  return page.evaluate(() => {
    const log = window.__frames!
    log.on = false
    return { ts: log.ts, windows: log.windows, loaf: log.loaf }
  })
}

/** Animate: wait `ms` after a command, the time counted as an animation window (no typing in it). */
async function watch(page: Page, ms: number): Promise<void> {
  const from = await page.evaluate(() => performance.now())
  await pause(ms)
  await page.evaluate((f) => window.__frames?.windows.push([f, performance.now()]), from)
}

async function run(page: Page, line: string): Promise<void> {
  const before = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.status().done)
  await page.keyboard.insertText(line)
  await page.keyboard.press('Enter')
  await page.waitForFunction((n) => [...window.__glassbox!.panes.values()][0]!.status().done > n, before, { polling: 50 })
}

function report(name: string, log: FrameLog, windowsOnly = false): void {
  const dts: number[] = []
  const inWindow = (a: number, b: number): boolean => log.windows.some(([f, t]) => a >= f && b <= t)
  for (let i = 1; i < log.ts.length; i++) if (!windowsOnly || inWindow(log.ts[i - 1], log.ts[i])) dts.push(log.ts[i] - log.ts[i - 1])
  if (windowsOnly) {
    log = { ...log, loaf: log.loaf.filter((l) => log.windows.some(([f, t]) => l.start >= f && l.start <= t)) }
    const total = log.windows.reduce((n, [f, t]) => n + t - f, 0)
    log.ts = [0, total]
  }
  const sorted = [...dts].sort((a, b) => a - b)
  const dropped = dts.reduce((n, dt) => n + Math.max(0, Math.round(dt / FRAME) - 1), 0)
  const seconds = (log.ts[log.ts.length - 1] - log.ts[0]) / 1000
  const loaf = [...log.loaf].sort((a, b) => a.duration - b.duration)
  console.log(`  ${name}: ${dts.length} frames over ${seconds.toFixed(1)} s (${(dts.length / seconds).toFixed(1)} fps)`)
  console.log(`    frame interval p50 ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted[sorted.length - 1].toFixed(1)} ms`)
  console.log(`    dropped frames ${dropped} (${((100 * dropped) / (dts.length + dropped)).toFixed(1)} %); intervals over 2 frames: ${dts.filter((d) => d > 2.5 * FRAME).length}`)
  if (loaf.length > 0) {
    const render = loaf.reduce((n, l) => n + l.render, 0)
    const byWho = new Map<string, number>()
    for (const l of loaf) for (const x of l.scripts) byWho.set(x.who, (byWho.get(x.who) ?? 0) + x.ms)
    const script = [...byWho.values()].reduce((a, b) => a + b, 0)
    console.log(`    in the long frames: ${script.toFixed(0)} ms scripts, ${render.toFixed(0)} ms rendering (style, layout, paint); scripts by invoker:`)
    for (const [who, t] of [...byWho.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`      ${t.toFixed(0).padStart(6)} ms  ${who}`)
  }
  console.log(`    long animation frames (>50 ms work): ${loaf.length}${loaf.length ? `, longest ${loaf[loaf.length - 1].duration.toFixed(0)} ms (blocking ${loaf[loaf.length - 1].blocking.toFixed(0)} ms), p50 ${percentile(loaf.map((l) => l.duration), 50).toFixed(0)} ms` : ''}`)
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function main(): Promise<void> {
  const app = await serveBuiltApp(OUTDIR, { build: !args.includes('--no-build'), query: '?seed=7' })
  const url = app.url
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
    try {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
      const page = await ctx.newPage()
      // tsx keeps function names with a __name() helper the page does not have.
      await page.addInitScript({ content: 'globalThis.__name = (f) => f' })
      await page.goto(url)
      await page.waitForFunction(() => [...(window.__glassbox?.panes.values() ?? [])][0]?.status().mode === 'prompt')
      await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.focus())
      console.log(`Frame times of the encoding views (headless ${CHROMIUM}, ${new Date().toISOString()})`)
      console.log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)

      // ---- baseline: the same page doing nothing but the REPL prompt, to see what the machine allows
      await run(page, 'PING')
      await record(page)
      await watch(page, 5000)
      report('baseline: idle page (no command, no animation) for 5 s', await stop(page))

      // ---- skiplist: 1,000 members, inserts inside the drawn window, searches
      const members: string[] = []
      for (let i = 0; i < 1000; i++) members.push(String(i * 10), `m${i}`)
      await run(page, `ZADD z ${members.join(' ')}`)
      await page.waitForSelector('[data-testid="view-skiplist"]')
      await pause(1000)
      await record(page)
      const cdp = PROFILE ? await ctx.newCDPSession(page) : null
      if (cdp) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.start')
      }
      for (let i = 0; i < ROUNDS; i++) {
        await run(page, `ZADD z ${i * 25 + 5} new${i}`)
        await watch(page, 450)
        await run(page, `ZSCORE z m${20 + i}`)
        await watch(page, 250 + 280 * 8)
      }
      const skip = await stop(page)
      report(`skiplist of 1,000 members: ${ROUNDS} ZADDs (a node slides in) + ${ROUNDS} ZSCORE paths, animation windows only`, skip, true)
      report('  the same run including typing the commands into the REPL', skip)
      if (cdp) {
        const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }
        console.log('    page thread, self time by function:')
        for (const l of topSelf(profile, 25)) console.log(`      ${l}`)
      }
      const nodes = await page.locator('[data-testid="view-skiplist"] [data-node]').count()
      console.log(`    (${nodes} nodes drawn of ${1000 + ROUNDS}: the view is windowed)`)

      // ---- hashtable: 8,000 fields, then growing past 8,192 (rehash to 16,384 buckets) up to 10,000
      for (let b = 0; b < 8; b++) {
        const f: string[] = []
        for (let i = b * 1000; i < (b + 1) * 1000; i++) f.push(`f${i}`, 'v')
        await run(page, `HSET h ${f.join(' ')}`)
      }
      await run(page, 'HLEN h')
      await page.waitForSelector('[data-testid="view-hashtable"]')
      await pause(1000)
      await record(page)
      let next = 8000
      // 192 more to reach the growth, then single fields (one bucket moves each) and batches.
      const grow: string[] = []
      for (; next < 8193; next++) grow.push(`f${next}`, 'v')
      await run(page, `HSET h ${grow.join(' ')}`)
      await pause(500)
      let steps = 0
      for (let i = 0; i < ROUNDS * 2; i++) {
        await run(page, `HSET h f${next++} v`)
        steps++
        await watch(page, 350)
      }
      for (; next < 10_000;) {
        const f: string[] = []
        for (let i = 0; i < 100 && next < 10_000; i++) f.push(`f${next++}`, 'v')
        await run(page, `HSET h ${f.join(' ')}`)
        await watch(page, 400)
      }
      const rehashing = await page.locator('[data-testid="view-hashtable"]').getAttribute('data-rehashing')
      const hash = await stop(page)
      report(`hash growing 8,000 -> 10,000 fields through its 8,192 -> 16,384 rehash (${steps} one-field HSETs, then 100-field ones), animation windows only`, hash, true)
      report('  the same run including typing the commands into the REPL', hash)
      console.log(`    (still rehashing at the end: ${rehashing}; entries drawn: ${await page.locator('[data-testid="view-hashtable"] [data-entry]').count()})`)
      await ctx.close()
    } finally {
      await browser.close()
    }
  } finally {
    app.stop()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
