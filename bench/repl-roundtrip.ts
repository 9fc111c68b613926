// REPL benchmark (issue 4): in headless Chromium against the built app,
//  - round trip from Enter to the reply painted, p50/p99 over 1,000 commands
//    (measured in the page: from the Enter key's input event to the animation
//    frame after xterm has parsed the reply, i.e. when it is drawn);
//  - cold load to a usable prompt (navigation start to the first prompt drawn,
//    fresh browser context each time);
//  - gzip size of the initial JS (what index.html loads before the app runs;
//    the engine worker chunk is listed apart: it loads in parallel, off the page's thread).
// Prints numbers; no thresholds. Usage:
//   npx tsx bench/repl-roundtrip.ts [--commands 1000] [--loads 5] [--no-build]
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/env.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const COMMANDS = opt('commands', 1000)
const LOADS = opt('loads', 5)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address()
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`
const ms = (n: number): string => `${n.toFixed(2)} ms`

function initialJsSizes(): { initial: { file: string; raw: number; gz: number }[]; worker: { file: string; raw: number; gz: number }[] } {
  const dist = path.join(root, 'dist')
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
  if (!args.includes('--no-build')) {
    const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
    if (b.status !== 0) throw new Error('vite build failed')
  }
  const sizes = initialJsSizes()
  const port = await freePort()
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--strictPort', '--port', String(port)], {
    cwd: root,
    stdio: 'ignore',
    detached: true,
  })
  const url = `http://127.0.0.1:${port}/`
  try {
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(url)
        if (r.ok) break
      } catch {
        // not up yet
      }
      if (i > 300) throw new Error('vite preview did not start')
      await new Promise((r) => setTimeout(r, 100))
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
    try {
      // ---- cold loads
      const loads: number[] = []
      for (let i = 0; i < LOADS; i++) {
        const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
        const page = await ctx.newPage()
        await page.goto(url)
        await page.waitForFunction(() => window.__glassbox?.firstPromptAt !== undefined, undefined, { timeout: 30_000 })
        loads.push(await page.evaluate(() => window.__glassbox!.firstPromptAt!))
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
        const done = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.status().done)
        await page.keyboard.insertText(line)
        await page.keyboard.press('Enter')
        await page.waitForFunction((n) => [...window.__glassbox!.panes.values()][0]!.status().done > n, done)
        if (i === warmup - 1) await page.evaluate(() => {
          window.__glassbox!.roundTrips.length = 0
          window.__glassbox!.bufferedTrips.length = 0
          window.__glassbox!.engineTrips.length = 0
        })
      }
      const pings = await page.evaluate(async () => {
        const out: number[] = []
        for (let i = 0; i < 200; i++) out.push(await window.__glassbox!.workerPing!())
        return out.sort((a, b) => a - b)
      })
      const rt = (await page.evaluate(() => window.__glassbox!.roundTrips)).slice(0, COMMANDS).sort((a, b) => a - b)
      const bt = (await page.evaluate(() => window.__glassbox!.bufferedTrips)).slice(0, COMMANDS).sort((a, b) => a - b)
      const et = (await page.evaluate(() => window.__glassbox!.engineTrips)).slice(0, COMMANDS).sort((a, b) => a - b)
      await ctx.close()

      const sortedLoads = [...loads].sort((a, b) => a - b)
      const initialGz = sizes.initial.reduce((s, f) => s + f.gz, 0)
      console.log(`REPL benchmark (headless ${CHROMIUM}, ${new Date().toISOString()})`)
      console.log(`  machine load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`)
      console.log(`  round trip Enter -> reply painted, ${rt.length} commands after ${warmup} warm-up:`)
      console.log(`    p50 ${ms(percentile(rt, 50))}  p90 ${ms(percentile(rt, 90))}  p99 ${ms(percentile(rt, 99))}  max ${ms(rt[rt.length - 1])}`)
      console.log(`  of which Enter -> reply in xterm's buffer (before waiting for the frame):`)
      console.log(`    p50 ${ms(percentile(bt, 50))}  p90 ${ms(percentile(bt, 90))}  p99 ${ms(percentile(bt, 99))}  max ${ms(bt[bt.length - 1])}`)
      console.log(`  of which the trip to the engine worker and back (comlink, engine, encoding):`)
      console.log(`    p50 ${ms(percentile(et, 50))}  p90 ${ms(percentile(et, 90))}  p99 ${ms(percentile(et, 99))}  max ${ms(et[et.length - 1])}`)
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
    if (server.pid) process.kill(-server.pid, 'SIGTERM')
  }
}

await main()
