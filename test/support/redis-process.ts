// Starts and stops real redis-server processes: one per caller, on a free
// loopback port, with no persistence and a throwaway dir. No vitest here, so
// Playwright's e2e suite and the benchmarks use it too (redis-server.ts adds
// the vitest gate, describeOracle).
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, accessSync, constants } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const REDIS_SERVER = process.env.GLASSBOX_REDIS_SERVER ?? '/usr/bin/redis-server'
export const EXPECTED_VERSION = '7.0.15'
export const MISSING_MESSAGE = `redis-server ${EXPECTED_VERSION} not found: apt-get install -y redis-server redis-tools`

export interface RedisProcess {
  readonly port: number
  readonly pid: number
  /** SIGTERM, then SIGKILL if it has not exited within 3 s. Safe to call twice. */
  stop(): Promise<void>
}

/** True when the redis-server binary exists and is executable. */
export function redisAvailable(): boolean {
  try {
    accessSync(REDIS_SERVER, constants.X_OK)
    return true
  } catch {
    return false
  }
}

let versionChecked: string | undefined

/** The binary's version (`v=` field of --version); warns loudly once if it is not 7.0.15. */
export function redisVersion(): string {
  if (versionChecked !== undefined) return versionChecked
  const out = execFileSync(REDIS_SERVER, ['--version'], { encoding: 'latin1' })
  versionChecked = /\bv=(\S+)/.exec(out)?.[1] ?? `unknown (${out.trim()})`
  if (versionChecked !== EXPECTED_VERSION) {
    const bar = '!'.repeat(78)
    console.warn(
      `\n${bar}\n!! ${REDIS_SERVER} is version ${versionChecked}, not ${EXPECTED_VERSION}.\n` +
        `!! Oracle tests compare the engine with Redis ${EXPECTED_VERSION}; differences may be the server's.\n${bar}\n`,
    )
  }
  return versionChecked
}

// Live servers, killed synchronously if the test process exits without stopping them.
const live = new Map<number, { dir: string }>()
let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const [pid, { dir }] of live) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true })
    }
  })
}

/** A port nobody listens on right now (the OS picks it; a race with other processes is retried by startRedis). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))))
    })
  })
}

/**
 * Sends `request` over a fresh socket; `read` looks at the bytes received so far and
 * returns the answer, or 'more' to wait for more. `failed` on an error or a timeout.
 */
function askOnce<T>(port: number, request: string, read: (got: string) => T | 'more', failed: T, timeoutMs: number): Promise<T> {
  return new Promise((resolve) => {
    const sock = net.createConnection({ port, host: '127.0.0.1' })
    let got = ''
    const done = (v: T): void => {
      sock.destroy()
      resolve(v)
    }
    sock.setTimeout(timeoutMs, () => done(failed))
    sock.on('error', () => done(failed))
    sock.on('connect', () => sock.write(request))
    sock.on('data', (d) => {
      got += d.toString('latin1')
      const v = read(got)
      if (v !== 'more') done(v)
    })
  })
}

// One PING over a fresh socket; true on +PONG (false on -LOADING while a file loads).
function pingOnce(port: number): Promise<boolean> {
  return askOnce(port, '*1\r\n$4\r\nPING\r\n', (got) => (got.includes('\r\n') ? got === '+PONG\r\n' : 'more'), false, 1000)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * The process_id that INFO server reports on `port`, or undefined when nothing
 * answers. A PONG alone does not say whose server answered: another test file
 * can be handed the same free port a moment later, bind it first, and then our
 * server exits with "Address already in use" while PING still succeeds.
 */
export function answeringPid(port: number): Promise<number | undefined> {
  return askOnce<number | undefined>(port, '*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n', (got) => {
    if (got.startsWith('-')) return undefined
    const header = /^\$(\d+)\r\n/.exec(got)
    if (!header || got.length < header[0].length + Number(header[1])) return 'more'
    const m = /\r\nprocess_id:(\d+)\r\n/.exec(got)
    return m ? Number(m[1]) : undefined
  }, undefined, 2000)
}

/** Message of the error thrown when another process answers on the port we picked: worth another port. */
export const LOST_PORT_RACE = 'lost the race for the port'

/**
 * Spawns redis-server on a free 127.0.0.1 port with no persistence
 * (`--save '' --appendonly no`) in a temporary --dir, resolves once it
 * answers PING. `extraArgs` are appended, e.g. ['--enable-debug-command', 'yes'].
 */
export async function startRedis(extraArgs: readonly string[] = []): Promise<RedisProcess> {
  if (!redisAvailable()) throw new Error(MISSING_MESSAGE)
  redisVersion()
  installExitHook()
  let lastError: Error | undefined
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    try {
      return await startRedisOn(port, extraArgs)
    } catch (e) {
      lastError = e as Error
      // Only a lost race for the port is worth another try.
      if (!/Address already in use|bind/i.test(lastError.message) && !lastError.message.includes(LOST_PORT_RACE)) throw lastError
    }
  }
  throw lastError ?? new Error('could not start redis-server')
}

/** startRedis on a given port, once: rejects (never resolves with someone else's server) when the port is taken. */
export async function startRedisOn(port: number, extraArgs: readonly string[] = []): Promise<RedisProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-redis-'))
  const args = ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1',
    '--daemonize', 'no', '--dir', dir, ...extraArgs]
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const keep = (d: Buffer): void => {
    log = (log + d.toString('latin1')).slice(-4000)
  }
  // Keep draining its output (also after start) so a chatty server never blocks on a full pipe.
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited: { code: number | null; signal: string | null } | undefined
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal }
      resolve()
    })
  })
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve))
  const pid = child.pid
  if (pid === undefined) throw await spawnError
  live.set(pid, { dir })

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM')
        const t = setTimeout(() => {
          if (!exited) child.kill('SIGKILL')
        }, 3000)
        await exit
        clearTimeout(t)
      }
      live.delete(pid)
      rmSync(dir, { recursive: true, force: true })
    })()
    return stopped
  }

  const deadline = Date.now() + 10_000
  while (true) {
    if (exited) {
      await stop()
      throw new Error(`redis-server on port ${port} exited (code ${exited.code}, signal ${exited.signal}) before answering PING:\n${log}`)
    }
    if (await pingOnce(port)) {
      const answering = await answeringPid(port)
      if (answering === pid) break
      await stop()
      throw new Error(`redis-server on port ${port}: process ${answering} answered, not ours (${pid}); ${LOST_PORT_RACE}:\n${log}`)
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${log}`)
    }
    await sleep(20)
  }
  return { port, pid, stop }
}
