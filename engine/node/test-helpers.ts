// Small socket helpers shared by the Node host's tests (engine/node/*.test.ts),
// the interop tests and the fuzz test. Not used by the server itself.

import net from 'node:net'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { frameReply } from '../../test/support/resp-conn.ts'
import { answeringPid, freePort, LOST_PORT_RACE } from '../../test/support/redis-process.ts'

export interface Exchange {
  /** Everything the server sent, as a byte string. */
  data: string
  /** The server closed the connection (FIN or reset) before the idle time ran out. */
  closed: boolean
  /** The connection was reset (ECONNRESET / EPIPE) rather than closed cleanly. */
  reset: boolean
}

export interface ExchangeOptions {
  host?: string
  /** Stop waiting once nothing arrived for this long (ms). */
  idleMs?: number
  /** Stop waiting after this long in total (ms). */
  maxMs?: number
  /** Stop as soon as this many bytes arrived. */
  expectBytes?: number
  /** Stop as soon as this many whole RESP replies arrived. */
  replies?: number
  /** Half-close our side after writing (the server then sees EOF). */
  endAfterWrite?: boolean
}

/**
 * Connects, writes `input` (a byte string or bytes) in one write, and collects
 * the server's bytes until it closes, goes quiet for `idleMs`, `maxMs` passes or
 * `expectBytes` arrived. Never rejects: a refused connection is `closed` with no data.
 */
export function exchange(port: number, input: string | Uint8Array, opts: ExchangeOptions = {}): Promise<Exchange> {
  // Generous by default: under load (vitest runs files in parallel) a reply can take a while.
  const idleMs = opts.idleMs ?? 2000
  const maxMs = opts.maxMs ?? 10_000
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let got = 0
    let closed = false
    let reset = false
    let done = false
    const sock = net.createConnection({ port, host: opts.host ?? '127.0.0.1' })
    let idle: NodeJS.Timeout | undefined
    const finish = (): void => {
      if (done) return
      done = true
      clearTimeout(idle)
      clearTimeout(total)
      sock.destroy()
      resolve({ data: Buffer.concat(chunks).toString('latin1'), closed, reset })
    }
    const arm = (): void => {
      clearTimeout(idle)
      idle = setTimeout(finish, idleMs)
    }
    const total = setTimeout(finish, maxMs)
    sock.on('connect', () => {
      sock.write(typeof input === 'string' ? Buffer.from(input, 'latin1') : input)
      if (opts.endAfterWrite) sock.end()
      arm()
    })
    sock.on('data', (d) => {
      chunks.push(d)
      got += d.length
      if (opts.expectBytes !== undefined && got >= opts.expectBytes) finish()
      else if (opts.replies !== undefined && countReplies(Buffer.concat(chunks)) >= opts.replies) finish()
      else arm()
    })
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') reset = true
      closed = true
      finish()
    })
    sock.on('close', () => {
      closed = true
      finish()
    })
  })
}

/** Whole RESP replies at the start of `buf` (stops at the first incomplete or malformed one). */
export function countReplies(buf: Uint8Array): number {
  let n = 0
  let pos = 0
  try {
    for (;;) {
      const end = frameReply(buf, pos)
      if (end < 0) return n
      n++
      pos = end
    }
  } catch {
    return n
  }
}

/** argv as one RESP multibulk request (byte strings). */
export function resp(...argv: string[]): string {
  let s = `*${argv.length}\r\n`
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`
  return s
}

/**
 * Resolves once `port` accepts a connection and answers PING (+PONG, or the
 * NOAUTH error of a server with a password), or rejects after `timeoutMs`.
 */
export async function waitForPong(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const r = await exchange(port, 'PING\r\n', { idleMs: 300, maxMs: 1000 })
    if (r.data === '+PONG\r\n' || r.data === '-NOAUTH Authentication required.\r\n') return
    if (Date.now() > deadline) throw new Error(`no PONG on port ${port} within ${timeoutMs} ms (got ${JSON.stringify(r.data)})`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

// ---------------------------------------------------------------- glassbox-server as a child process

/** bin/glassbox-server.mjs, found from this file's location. */
export const GLASSBOX_BIN = fileURLToPath(new URL('../../bin/glassbox-server.mjs', import.meta.url))

/** A port nobody listens on right now (the OS picks it). */
export { freePort }

export interface GlassboxProcess {
  readonly port: number
  readonly pid: number
  readonly child: ChildProcess
  /** stdout and stderr so far. */
  output(): string
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** SIGTERM (then SIGKILL after 5 s); resolves with how it exited. Safe to call twice. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const livePids = new Set<number>()
let exitHook = false

export interface StartGlassboxOptions {
  cwd?: string
  /** Written to the child's stdin, which is then closed (for the `-` argument). */
  stdin?: string
  /** Do not add `--port <free port>`: the arguments or the config file choose it. */
  port?: number
  /** Do not wait for PING (for servers expected to fail to start). */
  noWait?: boolean
  /** Extra arguments for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/p']. */
  nodeArgs?: readonly string[]
}

/**
 * Spawns `node bin/glassbox-server.mjs <args> --port <free port> --save ''` and
 * resolves once it answers PING. Arguments after ours override them, as on
 * redis-server's command line.
 */
export async function startGlassbox(args: readonly string[] = [], opts: StartGlassboxOptions = {}): Promise<GlassboxProcess> {
  if (!exitHook) {
    exitHook = true
    process.on('exit', () => {
      for (const pid of livePids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
    })
  }
  let lastError: unknown
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = opts.port ?? (await freePort())
    // A config file must stay the first argument; our options go before the caller's so theirs win.
    const [file, rest] = args.length > 0 && !args[0].startsWith('-') ? [[args[0]], args.slice(1)] : [[], [...args]]
    const fullArgs = opts.port !== undefined ? [...args] : [...file, '--port', String(port), '--save', '', ...rest]
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), GLASSBOX_BIN, ...fullArgs], {
      cwd: opts.cwd,
      stdio: [opts.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString('latin1')).slice(-20_000)))
    child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString('latin1')).slice(-20_000)))
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin)
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('exit', (code, signal) => {
        if (child.pid !== undefined) livePids.delete(child.pid)
        resolve({ code, signal })
      })
    })
    if (child.pid === undefined) throw new Error('could not spawn glassbox-server')
    livePids.add(child.pid)
    let stopping: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined
    const proc: GlassboxProcess = {
      port,
      pid: child.pid,
      child,
      output: () => out,
      exited,
      stop() {
        stopping ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM')
            const t = setTimeout(() => child.kill('SIGKILL'), 5000)
            const r = await exited
            clearTimeout(t)
            return r
          }
          return exited
        })()
        return stopping
      },
    }
    if (opts.noWait) return proc
    const ready = await Promise.race([waitForPong(port, 30_000).then(() => true), exited.then(() => false)]).catch((e) => {
      lastError = e
      return false
    })
    // A PONG may come from another test's server that took the port first (answeringPid says why);
    // undefined: the server wants AUTH first (requirepass) and cannot be asked; accept it.
    const answering = ready ? await answeringPid(port) : undefined
    if (ready && (answering === child.pid || answering === undefined)) return proc
    await proc.stop()
    if (ready) lastError = new Error(`port ${port}: process ${answering} answered, not glassbox-server ${child.pid}; ${LOST_PORT_RACE}`)
    lastError ??= new Error(`glassbox-server exited before answering PING:\n${out}`)
    // Only a lost race for the port is worth another try.
    if (!/EADDRINUSE|address already in use/i.test(out) && !(lastError as Error).message.includes(LOST_PORT_RACE)) break
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError))
}
