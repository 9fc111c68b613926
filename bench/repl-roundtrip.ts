// REPL benchmark (issue 4): in headless Chromium against the built app,
//  - round trip from Enter to the reply painted, p50/p99 over 1,000 commands,
//    measured in the page from the Enter keydown event's timeStamp to xterm's
//    onRender event in the animation frame whose rendering puts the reply's rows
//    in the DOM ("painted": that frame's style/layout/paint follow at once and
//    the compositor presents it). Also printed: Enter -> the reply parsed into
//    xterm's buffer (what the page controls; the rest is waiting for the frame),
//    and Enter -> the end of that frame's work on the page's thread (a message
//    posted from the render runs after style, layout, paint and commit);
//    the line is typed first, then Enter goes down after a random pause, by
//    default 80-240 ms, the time between two keys of a fast to an average typist
//    (--enter-after 20-37 gives the old stress pace no person reaches: the frames
//    drawn for the typed line are then still going when Enter arrives); either
//    way key presses fall at random points of the 60 Hz frame clock, and Enter is
//    held 60-120 ms;
//    the bench waits for each measurement with timers, not animation frames
//    (polling on rAF would itself make the page render every frame);
//  - cold load to a usable prompt (navigation start to the first prompt drawn,
//    fresh browser context each time);
//  - gzip size of the initial JS (what index.html loads before the app runs;
//    the engine worker chunk is listed apart: it loads in parallel, off the page's thread).
// Prints numbers; no thresholds. Usage:
//   npx tsx bench/repl-roundtrip.ts [--commands 1000] [--loads 5] [--enter-after 80-240] [--no-build]
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/env.ts'
import { percentile, ROOT, serveBuiltApp } from './support.ts'

const args = process.argv.slice(2)
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const COMMANDS = opt('commands', 1000)
const LOADS = opt('loads', 5)
const sopt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : dflt
}
// The pause between the typed line and Enter, in ms (uniform in [min, max]).
const [ENTER_MIN, ENTER_MAX] = sopt('enter-after', '80-240').split('-').map(Number)
// Its own build dir lets the bench run beside e2e runs and other benchmarks in one checkout.
const OUTDIR = path.resolve(ROOT, sopt('outdir', 'dist'))

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`
const ms = (n: number): string => `${n.toFixed(2)} ms`

function initialJsSizes(): { initial: { file: string; raw: number; gz: number }[]; worker: { file: string; raw: number; gz: number }[] } {
  const dist = OUTDIR
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8')
  const refs = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1])
  const size = (file: string): { file: string; raw: number; gz: number } => {
    const buf = readFileSync(path.join(dist, file))
    return { file, raw: buf.length, gz: gzipSync(buf, { level: 9 }).length }
  }
  const initial = [...new Set(refs)].map(size)
  const worker = readdirSync(path.join(dist, 'assets')).filter((f) => /worker.*\.js$/.test(f)).map((f) => size(`assets/${f}`))
  return { initial, worker }
}

async function main(): Promise<void> {
  const app = await serveBuiltApp(OUTDIR, { build: !args.includes('--no-build') })
  const sizes = initialJsSizes()
  const url = app.url
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
    try {
      // ---- cold loads
      const loads: number[] = []
      for (let i = 0; i < LOADS; i++) {
        const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
        const page = await ctx.newPage()
        await page.goto(url)
        // The page records when its first prompt was drawn; read it afterwards. Waiting with
        // waitForFunction would run Playwright's injected script (~30 ms) on the page's thread
        // in the middle of the load being measured.
        let at: number | undefined
        for (let waited = 0; at === undefined && waited < 30_000; waited += 1000) {
          await new Promise((r) => setTimeout(r, 1000))
          at = await page.evaluate(() => window.__glassbox?.firstPromptAt)
        }
        if (at === undefined) throw new Error('no prompt within 30 s')
        loads.push(at)
        await ctx.close()
      }

      // ---- round trips
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
      const page = await ctx.newPage()
      await page.goto(url)
      await page.waitForFunction(() => [...(window.__glassbox?.panes.values() ?? [])][0]?.status().mode === 'prompt')
      await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.focus())
      const lines = ['SET key:%d value-%d', 'GET key:%d', 'INCR counter', 'EXISTS key:%d', 'PING']
      const warmup = 50
      for (let i = 0; i < COMMANDS + warmup; i++) {
        const line = lines[i % lines.length].replaceAll('%d', String(i))
        const measured = await page.evaluate(() => window.__glassbox!.roundTrips.length)
        await page.keyboard.insertText(line)
        await new Promise((r) => setTimeout(r, ENTER_MIN + Math.random() * (ENTER_MAX - ENTER_MIN)))
        // A key is held ~60-120 ms, as a person's is: press() would send keyup at once, and
        // Chromium dispatches that keyup at the start of the very frame that draws the reply.
        const downAt = Date.now()
        await page.keyboard.down('Enter')
        await page.waitForFunction((n) => window.__glassbox!.roundTrips.length > n, measured, { polling: 2 })
        await new Promise((r) => setTimeout(r, Math.max(0, downAt + 60 + Math.random() * 60 - Date.now())))
        await page.keyboard.up('Enter')
        if (i === warmup - 1) await page.evaluate(() => {
          window.__glassbox!.roundTrips.length = 0
          window.__glassbox!.bufferedTrips.length = 0
          if (window.__glassbox!.frameTrips) window.__glassbox!.frameTrips.length = 0
          window.__glassbox!.engineTrips.length = 0
          window.__glassbox!.inputDelays.length = 0
        })
      }
      const pings = await page.evaluate(async () => {
        const out: number[] = []
        for (let i = 0; i < 200; i++) out.push(await window.__glassbox!.workerPing!())
        return out.sort((a, b) => a - b)
      })
      const rtRaw = (await page.evaluate(() => window.__glassbox!.roundTrips)).slice(0, COMMANDS)
      const btRaw = (await page.evaluate(() => window.__glassbox!.bufferedTrips)).slice(0, COMMANDS)
      // Per command: from the reply being in xterm's buffer to the frame that draws it.
      const wait = rtRaw.map((t, i) => t - btRaw[i]).sort((a, b) => a - b)
      const rt = [...rtRaw].sort((a, b) => a - b)
      const bt = [...btRaw].sort((a, b) => a - b)
      const ft = (await page.evaluate(() => window.__glassbox!.frameTrips ?? [])).slice(0, COMMANDS).sort((a, b) => a - b)
      const et = (await page.evaluate(() => window.__glassbox!.engineTrips)).slice(0, COMMANDS).sort((a, b) => a - b)
      const id = (await page.evaluate(() => window.__glassbox!.inputDelays)).slice(0, COMMANDS).sort((a, b) => a - b)
      await ctx.close()

      const sortedLoads = [...loads].sort((a, b) => a - b)
      const initialGz = sizes.initial.reduce((s, f) => s + f.gz, 0)
      console.log(`REPL benchmark (headless ${CHROMIUM}, ${new Date().toISOString()})`)
      console.log(`  machine load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`)
      const line = (xs: number[]): string =>
        `    p50 ${ms(percentile(xs, 50))}  p90 ${ms(percentile(xs, 90))}  p99 ${ms(percentile(xs, 99))}  max ${ms(xs[xs.length - 1])}`
      console.log(`  round trip Enter keydown -> reply painted (xterm renders it in an animation frame), ${rt.length} commands after ${warmup} warm-up, Enter ${ENTER_MIN}-${ENTER_MAX} ms after the line was typed:`)
      console.log(line(rt))
      if (ft.length > 0) {
        console.log(`  Enter keydown -> that frame's work on the page's thread done (style, layout, paint, commit):`)
        console.log(line(ft))
      }
      console.log(`  of which Enter -> reply in xterm's buffer (before waiting for the frame):`)
      console.log(line(bt))
      console.log(`  of which the browser delivering the key (the keydown's timeStamp -> the terminal's key handler, before any app code):`)
      console.log(line(id))
      console.log(`  of which reply in xterm's buffer -> the frame that draws it (the frame clock: 0-16.7 ms at 60 Hz, then the frame's own work up to the render):`)
      console.log(`${line(wait)}  mean ${ms(wait.reduce((s, x) => s + x, 0) / Math.max(1, wait.length))}`)
      console.log(`  of which the trip to the engine worker and back (comlink, engine, encoding):`)
      console.log(line(et))
      console.log(`  bare comlink round trip to the worker (info(), 200 calls back to back, no typing or drawing):`)
      console.log(`    p50 ${ms(percentile(pings, 50))}  p99 ${ms(percentile(pings, 99))}`)
      console.log(`  cold load to usable prompt (${LOADS} loads, fresh context each): median ${ms(percentile(sortedLoads, 50))}, min ${ms(sortedLoads[0])}, max ${ms(sortedLoads[sortedLoads.length - 1])}`)
      console.log(`  initial JS: ${kb(initialGz)} gzip`)
      for (const f of sizes.initial) console.log(`    ${f.file}: ${kb(f.raw)} raw, ${kb(f.gz)} gzip`)
      for (const f of sizes.worker) console.log(`  engine worker (not initial): ${f.file}: ${kb(f.raw)} raw, ${kb(f.gz)} gzip`)
    } finally {
      await browser.close()
    }
  } finally {
    app.stop()
  }
}

await main()
