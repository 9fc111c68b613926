// The static build works from any sub-path of a plain static host (relative
// base), with no server code, and stays usable on a tablet-sized screen.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { Repl, requireChromium } from './support/repl.ts'

requireChromium()

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const PREFIX = '/some/deep/sub-path/'
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
}

let server: Server
let base = ''

test.beforeAll(async () => {
  // The webServer has built dist/ already; serve it under a prefix, files only.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end()
      return
    }
    const rel = url.pathname.slice(PREFIX.length) || 'index.html'
    const file = path.join(dist, path.normalize(rel))
    if (!file.startsWith(dist)) {
      res.writeHead(403).end()
      return
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}${PREFIX}`
})

test.afterAll(async () => {
  await new Promise((r) => server.close(r))
})

test.use({ viewport: { width: 820, height: 1180 }, hasTouch: true })

test('dist/ runs from a sub-path of a static host, on a tablet-sized screen', async ({ page }) => {
  const failed: string[] = []
  page.on('requestfailed', (r) => failed.push(r.url()))
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
  })
  const repl = await Repl.open(page, base)
  await repl.run('PING')
  await repl.expectLastLines(['127.0.0.1:6379> PING', 'PONG', '127.0.0.1:6379>'])
  expect(failed).toEqual([])
  // Readable: the terminal keeps a usable width and the panel does not cover it.
  const cols = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.cols)
  expect(cols).toBeGreaterThanOrEqual(60)
  const pane = await page.locator('.pane').boundingBox()
  expect(pane!.width).toBeGreaterThan(700)
  expect(pane!.height).toBeGreaterThan(400)
})
