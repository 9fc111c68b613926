// The glassbox-server command: configuration like redis-server (checked against
// the real binary's fatal errors), and the process lifecycle (signals,
// SHUTDOWN, pid file, Unix socket, stdin config, daemonize) through real child
// processes.

import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { describeOracle, REDIS_SERVER } from '../../test/support/redis-server.ts'
import { Exit, loadConfig } from './main.ts'
import { Logger } from './log.ts'
import { exchange, freePort, GLASSBOX_BIN, resp, startGlassbox, waitForPong, type GlassboxProcess } from './test-helpers.ts'

const run = promisify(execFile)

let tmp: string
const originalCwd = process.cwd()
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'glassbox-main-'))
})
afterAll(() => {
  process.chdir(originalCwd)
  rmSync(tmp, { recursive: true, force: true })
})
afterEach(() => {
  process.chdir(originalCwd)
  vi.restoreAllMocks()
})

const quietLog = (): Logger => new Logger({ write: () => {} })

/** loadConfig's outcome: the directives, or the text it printed on stderr before exiting. */
function load(args: string[], stdin = ''): { directives?: Array<[string, string]>; stderr: string; code?: number } {
  let stderr = ''
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s)
    return true
  })
  try {
    const { directives } = loadConfig(args, () => stdin, quietLog())
    return { directives, stderr }
  } catch (e) {
    if (e instanceof Exit) return { stderr, code: e.code }
    throw e
  } finally {
    vi.restoreAllMocks()
  }
}

describe('loadConfig', () => {
  it('binds 127.0.0.1 unless told otherwise, and takes the working directory as dir', () => {
    const r = load(['--port', '7000'])
    expect(r.directives).toEqual([
      ['bind', '127.0.0.1'],
      ['dir', process.cwd()],
      ['port', '7000'],
    ])
    expect(load(['--bind', '0.0.0.0', '::']).directives).toContainEqual(['bind', '0.0.0.0 ::'])
  })

  it('adds up save lines from a file; the first replaces the default and save "" clears', () => {
    const conf = path.join(tmp, 'save.conf')
    writeFileSync(conf, 'save 900 1\nsave 300 10\n')
    expect(load([conf]).directives!.filter(([n]) => n === 'save').at(-1)).toEqual(['save', '900 1 300 10'])
    expect(load([conf, '--save', '60', '5']).directives!.filter(([n]) => n === 'save').at(-1)).toEqual(['save', '900 1 300 10 60 5'])
    expect(load([conf, '--save', '']).directives!.filter(([n]) => n === 'save').at(-1)).toEqual(['save', ''])
    expect(load([conf, '--save', '', '--save', '7', '1']).directives!.filter(([n]) => n === 'save').at(-1)).toEqual(['save', '7 1'])
  })

  it('canonicalises values (memory units, enums) like CONFIG GET prints them', () => {
    const d = load(['--maxmemory', '1mb', '--appendonly', 'YES', '--maxmemory-policy', 'ALLKEYS-LRU']).directives!
    expect(d).toContainEqual(['maxmemory', '1048576'])
    expect(d).toContainEqual(['appendonly', 'yes'])
    expect(d).toContainEqual(['maxmemory-policy', 'allkeys-lru'])
  })

  it('dir changes the working directory, as Redis chdir()s', () => {
    const d = load(['--dir', tmp]).directives!
    expect(process.cwd()).toBe(tmp)
    expect(d).toContainEqual(['dir', tmp])
  })

  it('reads `-` from stdin between the file and the options', () => {
    const d = load(['--port', '7001', '-'], 'maxclients 77\nport 7002\n').directives!
    expect(d.filter(([n]) => n === 'port' || n === 'maxclients')).toEqual([
      ['maxclients', '77'],
      ['port', '7002'],
      ['port', '7001'],
    ])
  })

  it('refuses directives Glassbox does not support instead of ignoring them', () => {
    const r = load(['--rename-command', 'FLUSHALL', '""'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("'rename-command' is not supported by Glassbox")
  })
})

// The same bad start-up arguments given to redis-server 7.0.15 and to loadConfig: identical FATAL blocks on stderr.
describeOracle('loadConfig: fatal errors identical to redis-server', () => {
  const cases: string[][] = [
    ['--port', 'abc'],
    ['--port', '70000'],
    ['--foo', 'bar'],
    ['--port', '1', '2'],
    ['--requirepass'],
    ['--maxmemory', '12zb'],
    ['--save', '10'],
    ['--appendonly', 'maybe'],
    ['--loglevel', 'loud'],
    ['--maxmemory-policy', 'lru'],
    ['--dir', '/nonexistent/glassbox'],
    ['--dbfilename', 'a/b.rdb'],
    ['--bind', ...Array.from({ length: 17 }, (_, i) => `127.0.0.${i + 1}`)],
    ['--port', '7000', '--hz', 'fast'],
    ['--client-output-buffer-limit', 'normal', '1', '2'],
    ['--notify-keyspace-events', 'Q'],
  ]
  for (const args of cases) {
    it(args.join(' ').slice(0, 60), async () => {
      const ours = load(args)
      const theirs = await run(REDIS_SERVER, args, { encoding: 'latin1' }).then(
        (r) => ({ stderr: r.stderr, code: 0 }),
        (e: { stderr: string; code: number }) => ({ stderr: e.stderr, code: e.code }),
      )
      expect(theirs.code).toBe(1)
      expect(ours.code).toBe(1)
      expect(ours.stderr).toBe(theirs.stderr)
    })
  }

  it('a config file: errors quote the file line, and option lines come after it', async () => {
    const conf = path.join(tmp, 'bad.conf')
    writeFileSync(conf, '# test\nport 7000\ntimeout abc\n')
    for (const args of [[conf], [path.join(tmp, 'ok.conf'), '--timeout', 'x']]) {
      writeFileSync(path.join(tmp, 'ok.conf'), 'port 7000\n')
      const ours = load(args)
      const theirs = await run(REDIS_SERVER, args, { encoding: 'latin1' }).catch((e: { stderr: string }) => ({ stderr: e.stderr }))
      expect(ours.stderr).toBe(theirs.stderr)
    }
  })
})

// ---------------------------------------------------------------- the process

async function ask(port: number, ...argv: string[]): Promise<string> {
  return (await exchange(port, resp(...argv), { replies: 1 })).data
}

describe('glassbox-server process', () => {
  const procs: GlassboxProcess[] = []
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop()
  })

  it('starts from a config file plus overriding options, and stops on SIGTERM with exit code 0', async () => {
    const conf = path.join(tmp, 'server.conf')
    const pidfile = path.join(tmp, 'server.pid')
    writeFileSync(conf, `maxclients 123\nrequirepass fromfile\npidfile ${pidfile}\nloglevel verbose\n`)
    const p = await startGlassbox([conf, '--requirepass', 'fromargs'])
    procs.push(p)
    expect(readFileSync(pidfile, 'latin1')).toBe(`${p.pid}\n`)
    const hello = resp('HELLO', '2', 'AUTH', 'default', 'fromargs')
    const r = await exchange(p.port, hello + resp('CONFIG', 'GET', 'maxclients') + resp('CONFIG', 'GET', 'bind'), { replies: 3 })
    expect(r.data.endsWith('*2\r\n$10\r\nmaxclients\r\n$3\r\n123\r\n*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n')).toBe(true)
    const exit = await p.stop()
    expect(exit).toEqual({ code: 0, signal: null })
    expect(p.output()).toContain('Received SIGTERM scheduling shutdown...')
    expect(p.output()).toContain('Redis is now ready to exit, bye bye...')
    expect(existsSync(pidfile)).toBe(false)
  })

  it('stops on SIGINT', async () => {
    const p = await startGlassbox()
    procs.push(p)
    p.child.kill('SIGINT')
    expect(await p.exited).toEqual({ code: 0, signal: null })
    expect(p.output()).toContain('Received SIGINT scheduling shutdown...')
  })

  it('stops on SHUTDOWN: the caller gets no reply, every other client is disconnected', async () => {
    const p = await startGlassbox()
    procs.push(p)
    const other = net.createConnection({ port: p.port, host: '127.0.0.1' })
    const otherClosed = new Promise<void>((r) => other.on('close', () => r()))
    other.on('error', () => {})
    await new Promise((r) => other.once('connect', r))
    const r = await exchange(p.port, resp('SHUTDOWN'), { idleMs: 5000 })
    expect(r.data).toBe('')
    expect(r.closed).toBe(true)
    await otherClosed
    expect(await p.exited).toEqual({ code: 0, signal: null })
    expect(p.output()).toContain('User requested shutdown...')
  })

  it('binds 127.0.0.1 only by default', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address
    const p = await startGlassbox()
    procs.push(p)
    expect(await ask(p.port, 'PING')).toBe('+PONG\r\n')
    if (external) {
      const r = await exchange(p.port, 'PING\r\n', { host: external })
      expect(r.data).toBe('')
      expect(r.closed).toBe(true)
    }
  })

  it('reads config from stdin with `-` and listens on a Unix socket', async () => {
    const sock = path.join(tmp, 'gb.sock')
    const port = await freePort()
    const p = await startGlassbox(['-'], { stdin: `port ${port}\nsave ""\nunixsocket ${sock}\nunixsocketperm 700\n`, port })
    procs.push(p)
    const got = await new Promise<string>((resolve) => {
      const s = net.createConnection({ path: sock })
      s.on('connect', () => s.write('PING\r\n'))
      s.on('data', (d) => {
        s.destroy()
        resolve(d.toString('latin1'))
      })
    })
    expect(got).toBe('+PONG\r\n')
    await p.stop()
    expect(existsSync(sock)).toBe(false)
  })

  it('exits 1 with the FATAL block on a bad option, and with a message when the port is taken', async () => {
    const bad = await startGlassbox(['--port', 'abc'], { port: 0, noWait: true })
    expect((await bad.exited).code).toBe(1)
    expect(bad.output()).toContain("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'")
    const first = await startGlassbox()
    procs.push(first)
    const second = await startGlassbox(['--port', String(first.port)], { port: first.port, noWait: true })
    expect((await second.exited).code).toBe(1)
    expect(second.output()).toMatch(/Could not create server TCP listening socket 127\.0\.0\.1:\d+: .*EADDRINUSE/)
  })

  it('-v and --help print and exit 0', async () => {
    const v = await run(process.execPath, [GLASSBOX_BIN, '-v'])
    expect(v.stdout).toMatch(/^Redis server v=7\.0\.15 /)
    const h = await run(process.execPath, [GLASSBOX_BIN, '--help'])
    expect(h.stdout).toContain('Usage: ./glassbox-server [/path/to/redis.conf] [options] [-]')
  })

  it('daemonize yes: the command returns and the server keeps running in the background', async () => {
    const port = await freePort()
    const pidfile = path.join(tmp, 'daemon.pid')
    const logfile = path.join(tmp, 'daemon.log')
    await run(process.execPath, [GLASSBOX_BIN, '--port', String(port), '--save', '', '--daemonize', 'yes', '--pidfile', pidfile, '--logfile', logfile])
    await waitForPong(port)
    const pid = Number(readFileSync(pidfile, 'latin1'))
    expect(pid).toBeGreaterThan(0)
    expect(await ask(port, 'CONFIG', 'GET', 'daemonize')).toBe('*2\r\n$9\r\ndaemonize\r\n$3\r\nyes\r\n')
    await exchange(port, resp('SHUTDOWN'), { idleMs: 1000 })
    const end = Date.now() + 10_000
    while (existsSync(pidfile) && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    expect(existsSync(pidfile)).toBe(false)
    expect(readFileSync(logfile, 'latin1')).toContain('Ready to accept connections')
  })
})
