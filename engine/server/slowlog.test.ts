import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import { Slowlog, slowlogArgv, slowlogOf } from './slowlog.ts'

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock(1_700_000_000_000)
  const server = createServer({ clock, config: { 'enable-debug-command': 'yes', ...config } })
  return { clock, server, c: server.connect({ addr: '10.0.0.1:5555' }) }
}

describe('slowlogArgv (slowlogCreateEntry)', () => {
  it('keeps up to 32 arguments, the last one counting the rest', () => {
    const argv = Array.from({ length: 40 }, (_, i) => `a${i}`)
    const out = slowlogArgv(argv)
    expect(out).toHaveLength(32)
    expect(out[30]).toBe('a30')
    expect(out[31]).toBe('... (9 more arguments)')
    expect(slowlogArgv(argv.slice(0, 32))).toEqual(argv.slice(0, 32))
    expect(slowlogArgv(argv.slice(0, 33))[31]).toBe('... (2 more arguments)')
  })

  it('cuts strings longer than 128 bytes', () => {
    expect(slowlogArgv(['x'.repeat(128)])).toEqual(['x'.repeat(128)])
    expect(slowlogArgv(['x'.repeat(130)])).toEqual([`${'x'.repeat(128)}... (2 more bytes)`])
  })
})

describe('slow log fed by call()', () => {
  it('logs commands at or above slowlog-log-slower-than, newest first, with client and name', () => {
    const { server, c } = setup({ 'slowlog-log-slower-than': '50000' })
    c.call(['CLIENT', 'SETNAME', 'app'])
    c.call(['DEBUG', 'SLEEP', '0.049'])
    c.call(['DEBUG', 'SLEEP', '0.05'])
    c.call(['SET', 'k', 'v'])
    const log = slowlogOf(server)
    expect(log.entries).toHaveLength(1)
    expect(log.entries[0]).toEqual({
      id: 0,
      time: 1_700_000_000,
      durationUs: 50000,
      argv: ['DEBUG', 'SLEEP', '0.05'],
      peer: '10.0.0.1:5555',
      name: 'app',
    })
  })

  it('0 logs everything, a negative value nothing; skip_slowlog commands (EXEC) never', () => {
    const { server, c } = setup({ 'slowlog-log-slower-than': '0' })
    c.call(['MULTI'])
    c.call(['SET', 'k', 'v'])
    c.call(['EXEC'])
    c.call(['GET'])
    expect(slowlogOf(server).entries.map((e) => e.argv[0])).toEqual(['SET', 'MULTI'])
    c.call(['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'])
    c.call(['SET', 'k', 'v'])
    // The CONFIG SET itself is checked against the value it just set.
    expect(slowlogOf(server).entries.map((e) => e.id)).toEqual([1, 0])
  })

  it('redacts AUTH arguments', () => {
    const { server, c } = setup({ 'slowlog-log-slower-than': '0' })
    c.call(['AUTH', 'user', 'secret'])
    expect(slowlogOf(server).entries[0].argv).toEqual(['AUTH', '(redacted)', '(redacted)'])
  })

  it('trims to slowlog-max-len at the next command', () => {
    const log = new Slowlog()
    const { server, c } = setup({ 'slowlog-log-slower-than': '0', 'slowlog-max-len': '2' })
    for (let i = 0; i < 4; i++) log.pushIfNeeded(server, c, ['PING', String(i)], 0)
    expect(log.entries.map((e) => e.argv[1])).toEqual(['3', '2'])
    server.config.apply('slowlog-max-len', '1')
    server.config.apply('slowlog-log-slower-than', '100')
    log.pushIfNeeded(server, c, ['PING'], 0)
    expect(log.entries.map((e) => e.id)).toEqual([3])
    log.reset()
    expect(log.entries).toEqual([])
    log.pushIfNeeded(server, c, ['PING'], 100)
    expect(log.entries[0].id).toBe(4)
  })
})
