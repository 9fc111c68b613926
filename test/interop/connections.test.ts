// glassbox-server as a separate process under load: thousands of clients at
// once, a 100,000-command pipeline in one write while other clients keep
// being answered, and redis-benchmark's own traffic.

import net from 'node:net'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { exchange, resp } from '../../engine/node/test-helpers.ts'
import { describeWithTools, startGlassbox, type GlassboxProcess } from './support.ts'

const run = promisify(execFile)

describeWithTools('glassbox-server under load', ['redis-benchmark'], (tools) => {
  let gb: GlassboxProcess

  beforeAll(async () => {
    gb = await startGlassbox()
  })
  afterAll(async () => {
    await gb?.stop()
  })

  it('2,000 concurrent connections each get their own answer', async () => {
    const n = 2000
    const answers = await Promise.all(
      Array.from(
        { length: n },
        (_, i) =>
          new Promise<string>((resolve, reject) => {
            const s = net.createConnection({ port: gb.port, host: '127.0.0.1' })
            const want = `$${`c${i}`.length}\r\nc${i}\r\n`
            let got = ''
            s.on('connect', () => s.write(resp('ECHO', `c${i}`)))
            s.on('data', (d) => {
              got += d.toString('latin1')
              if (got.length >= want.length) {
                s.destroy()
                resolve(got)
              }
            })
            s.on('error', reject)
          }),
      ),
    )
    answers.forEach((a, i) => expect(a).toBe(`$${`c${i}`.length}\r\nc${i}\r\n`))
  })

  it('2,000 clients connected at once are all listed, then all forgotten', async () => {
    const n = 2000
    const socks = await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const s = net.createConnection({ port: gb.port, host: '127.0.0.1' })
            s.on('connect', () => {
              s.write('PING\r\n')
              s.once('data', () => resolve(s))
            })
            s.on('error', reject)
          }),
      ),
    )
    const info = await exchange(gb.port, resp('INFO', 'clients'), { replies: 1 })
    expect(info.data).toContain(`connected_clients:${n + 1}\r\n`)
    for (const s of socks) s.destroy()
    const deadline = Date.now() + 10_000
    for (;;) {
      const again = await exchange(gb.port, resp('INFO', 'clients'), { replies: 1 })
      if (again.data.includes('connected_clients:1\r\n')) break
      if (Date.now() > deadline) throw new Error(`clients not forgotten: ${again.data}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  })

  it('100,000 commands in one write, while a side connection keeps getting answers', async () => {
    const n = 100_000
    let input = ''
    for (let i = 0; i < n; i++) input += resp('INCR', 'pipelined')
    const side = net.createConnection({ port: gb.port, host: '127.0.0.1' })
    await new Promise((r) => side.once('connect', r))
    let pongs = 0
    let pending = false
    side.on('data', () => {
      pongs++
      pending = false
    })
    const ticker = setInterval(() => {
      if (!pending) {
        pending = true
        side.write('PING\r\n')
      }
    }, 5)
    await exchange(gb.port, resp('DEL', 'pipelined'), { expectBytes: 4 })
    const last = `:${n}\r\n`
    const r = await exchange(gb.port, input, { idleMs: 10_000, maxMs: 60_000, expectBytes: Buffer.byteLength(expected(n)) })
    clearInterval(ticker)
    side.destroy()
    expect(r.data.length).toBe(expected(n).length)
    expect(r.data.endsWith(last)).toBe(true)
    expect(r.data === expected(n)).toBe(true)
    expect(pongs).toBeGreaterThan(0)
  })

  it('redis-benchmark runs SET, GET and INCR without errors', async () => {
    const { stdout } = await run(tools['redis-benchmark'], ['-p', String(gb.port), '-t', 'set,get,incr', '-n', '20000', '-c', '20', '-P', '8', '--csv'])
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^"test","rps"/)
    const tests = lines.slice(1).map((l) => JSON.parse(`[${l}]`)[0])
    expect(tests).toEqual(['SET', 'GET', 'INCR'])
    const counter = await exchange(gb.port, resp('GET', 'counter:__rand_int__'), { replies: 1 })
    expect(counter.data).toBe('$5\r\n20000\r\n')
  })
})

function expected(n: number): string {
  let s = ''
  for (let i = 1; i <= n; i++) s += `:${i}\r\n`
  return s
}
