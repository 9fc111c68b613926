// A real redis-server 7.0.15 for the transcript test, on a free loopback port,
// and the real redis-cli to talk to it. (test/support/redis-server.ts does the
// same for vitest but imports vitest, which Playwright must not load.)
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { REDIS_CLI, REDIS_SERVER } from './env.ts'

export interface RedisProcess {
  port: number
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ port, host: '127.0.0.1' })
    let got = ''
    const done = (ok: boolean): void => {
      s.destroy()
      resolve(ok)
    }
    s.setTimeout(1000, () => done(false))
    s.on('error', () => done(false))
    s.on('connect', () => s.write('PING\r\n'))
    s.on('data', (d) => {
      got += d.toString('latin1')
      if (got.includes('\r\n')) done(got.startsWith('+PONG'))
    })
  })
}

export function redisVersion(): string {
  const out = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'latin1' }).stdout ?? ''
  return /\bv=(\S+)/.exec(out)?.[1] ?? 'unknown'
}

/** Start redis-server like the app's engine is configured: no persistence, DEBUG allowed. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-redis-'))
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--dir', dir, '--enable-debug-command', 'yes'], { stdio: 'ignore' })
  let exited = false
  const exit = new Promise<void>((r) => child.on('exit', () => {
    exited = true
    r()
  }))
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM')
      await Promise.race([exit, new Promise((r) => setTimeout(r, 3000))])
      if (!exited) child.kill('SIGKILL')
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 10_000
  while (!(await ping(port))) {
    if (exited || Date.now() > deadline) {
      await stop()
      throw new Error(`redis-server did not start on port ${port}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return { port, stop }
}

/**
 * Run lines through one interactive-mode redis-cli (`--no-raw`, lines on stdin: its
 * repl() reads them one by one without a prompt) and return what it printed.
 */
export function redisCliTranscript(port: number, lines: readonly string[]): string {
  const r = spawnSync(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), '--no-raw'], {
    input: Buffer.from(lines.join('\n') + '\n', 'utf8'),
    encoding: 'latin1',
    timeout: 60_000,
  })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`redis-cli exited with ${r.status}: ${r.stderr}`)
  // redis-cli writes bytes; the REPL decodes them as UTF-8 for the screen: do the same.
  return Buffer.from(r.stdout, 'latin1').toString('utf8')
}
