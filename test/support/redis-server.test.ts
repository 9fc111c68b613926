import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { connectRaw } from './resp-conn.ts'
import { EXPECTED_VERSION, MISSING_MESSAGE, answeringPid, describeOracle, oracleGate, redisVersion, startRedis, startRedisOn } from './redis-server.ts'

// Running, not a zombie (a killed orphan may wait for a reaper that this container lacks).
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

describeOracle('startRedis', () => {
  it('is the expected version, so oracle suites run', () => {
    expect(redisVersion()).toBe(EXPECTED_VERSION)
    expect(oracleGate()).toEqual({ mode: 'run' })
  })

  it('does not take another server that answers on its port for its own (CI failed once on that race)', async () => {
    const first = await startRedis()
    try {
      expect(await answeringPid(first.port)).toBe(first.pid)
      // Our child cannot bind; whether it exits before or after first's PONG, the start must fail as retryable.
      await expect(startRedisOn(first.port)).rejects.toThrow(/Address already in use|lost the race for the port/)
    } finally {
      await first.stop()
    }
  })

  it('starts a private server that answers, with no persistence, and stops it by PID', async () => {
    const r = await startRedis()
    expect(r.port).not.toBe(6379)
    expect(alive(r.pid)).toBe(true)
    const c = await connectRaw(r.port)
    expect(await c.call(['PING'])).toBe('+PONG\r\n')
    expect(await c.call(['CONFIG', 'GET', 'save'])).toBe('*2\r\n$4\r\nsave\r\n$0\r\n\r\n')
    expect(await c.call(['CONFIG', 'GET', 'appendonly'])).toBe('*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n')
    expect(await c.call(['CONFIG', 'GET', 'bind'])).toBe('*2\r\n$4\r\nbind\r\n$9\r\n127.0.0.1\r\n')
    const dirReply = await c.call(['CONFIG', 'GET', 'dir'])
    const dir = dirReply.split('\r\n')[4]
    expect(dir).toContain('glassbox-redis-')
    expect(existsSync(dir)).toBe(true)
    await c.close()
    await r.stop()
    expect(alive(r.pid)).toBe(false)
    expect(existsSync(dir)).toBe(false)
    await r.stop() // twice is fine
  })

  it('passes extra arguments and gives each server its own port', async () => {
    const [a, b] = await Promise.all([startRedis(['--enable-debug-command', 'yes']), startRedis()])
    try {
      expect(a.port).not.toBe(b.port)
      const ca = await connectRaw(a.port)
      const cb = await connectRaw(b.port)
      expect(await ca.call(['DEBUG', 'PROTOCOL', 'integer'])).toBe(':12345\r\n')
      expect(await cb.call(['DEBUG', 'PROTOCOL', 'integer'])).toMatch(/^-ERR DEBUG command not allowed/)
      await Promise.all([ca.close(), cb.close()])
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })

  it('reports a server that cannot start, with its log', async () => {
    await expect(startRedis(['--no-such-option', 'x'])).rejects.toThrow(/exited .*before answering PING[\s\S]*no-such-option/)
  })

  it('kills servers left running when the test process exits', () => {
    // A child process starts a server and exits without stopping it.
    const script = `
      import { startRedis } from ${JSON.stringify(path.resolve('test/support/redis-server.ts'))}
      const r = await startRedis()
      console.log(r.pid)
      process.exit(0)
    `
    const out = execFileSync(path.resolve('node_modules/.bin/tsx'), ['--input-type=module', '-e', script], { encoding: 'utf8' })
    const pid = Number(out.trim().split('\n').pop())
    expect(pid).toBeGreaterThan(0)
    // SIGKILL is delivered asynchronously; give it a moment.
    for (let i = 0; i < 50 && alive(pid); i++) execFileSync('sleep', ['0.02'])
    expect(alive(pid)).toBe(false)
  })
})

describe('describeOracle without redis-server', () => {
  const gateWith = async (env: Record<string, string>) => {
    vi.resetModules()
    vi.stubEnv('GLASSBOX_REDIS_SERVER', '/nonexistent/redis-server')
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v)
    try {
      const mod = await import('./redis-server.ts')
      expect(mod.redisAvailable()).toBe(false)
      await expect(mod.startRedis()).rejects.toThrow(MISSING_MESSAGE)
      return mod.oracleGate()
    } finally {
      vi.unstubAllEnvs()
      vi.resetModules()
    }
  }

  it('skips with an install hint', async () => {
    expect(await gateWith({ CI: '' })).toEqual({ mode: 'skip', message: MISSING_MESSAGE })
    expect(await gateWith({ CI: 'false' })).toEqual({ mode: 'skip', message: MISSING_MESSAGE })
  })

  it('fails instead under CI', async () => {
    const gate = await gateWith({ CI: 'true' })
    expect(gate.mode).toBe('fail')
    expect(gate).toHaveProperty('message', expect.stringContaining(MISSING_MESSAGE))
    expect(gate).toHaveProperty('message', expect.stringContaining('CI is set'))
  })
})
