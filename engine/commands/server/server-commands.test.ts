import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock()
  const server = createServer({ clock, config: { save: '', ...config } })
  const c = server.connect()
  return { clock, server, c, call: (...argv: string[]) => c.call(argv) }
}

const text = (r: Reply | undefined): string => {
  if (!r) return '(none)'
  if (r.kind === 'status' || r.kind === 'error' || r.kind === 'bulk' || r.kind === 'verbatim') return r.value
  if (r.kind === 'integer') return String(r.value)
  return r.kind
}

describe('CONFIG', () => {
  it('sets several directives atomically and reports Redis errors', () => {
    const { call } = setup()
    expect(text(call('CONFIG', 'SET', 'maxmemory', '1mb', 'hz', 'x'))).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer",
    )
    expect(text(call('CONFIG', 'SET', 'foo', '1'))).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
    expect(text(call('CONFIG', 'SET', 'Databases', '1'))).toBe("ERR CONFIG SET failed (possibly related to argument 'Databases') - can't set immutable config")
    expect(text(call('CONFIG', 'SET', 'dir', '/x'))).toBe("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config")
    expect(text(call('CONFIG', 'SET', 'hz', '1', 'HZ', '2'))).toBe("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter")
    expect(text(call('CONFIG', 'SET', 'hz', '1', 'x'))).toBe('ERR syntax error')
    expect(text(call('CONFIG', 'SET', 'maxmemory', '1mb', 'hz', '20'))).toBe('OK')
    const r = call('CONFIG', 'GET', 'hz', 'maxmemory')
    expect(r).toEqual({ kind: 'map', value: [{ kind: 'bulk', value: 'hz' }, { kind: 'bulk', value: '20' }, { kind: 'bulk', value: 'maxmemory' }, { kind: 'bulk', value: '1048576' }] })
  })

  it('allows protected directives when enable-protected-configs says so', () => {
    const { call } = setup({ 'enable-protected-configs': 'yes' })
    expect(text(call('CONFIG', 'SET', 'dir', '/data'))).toBe('OK')
    expect(text(call('CONFIG', 'SET', 'dbfilename', 'a/b'))).toBe("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename")
  })

  it('RESETSTAT clears server, command and error stats', () => {
    const { server, call } = setup()
    call('GET', 'missing')
    call('NOSUCH')
    expect(server.stats.keyspaceMisses).toBe(1)
    expect(server.errorStats.size).toBe(1)
    call('CONFIG', 'RESETSTAT')
    expect(server.stats.keyspaceMisses).toBe(0)
    expect(server.stats.totalErrorReplies).toBe(0)
    expect(server.errorStats.size).toBe(0)
    expect(server.commands.byName('get')!.stats.calls).toBe(0)
    // RESETSTAT itself is counted after the reset, as in Redis.
    expect(server.commands.byName('config|resetstat')!.stats.calls).toBe(1)
  })
})

describe('DEBUG', () => {
  it('is refused unless enabled', () => {
    const { call } = setup()
    expect(text(call('DEBUG', 'SLEEP', '0'))).toMatch(/^ERR DEBUG command not allowed/)
  })

  it('SLEEP blocks on the clock; SET-ACTIVE-EXPIRE flips active expiry', () => {
    const { clock, server, call } = setup({ 'enable-debug-command': 'yes' })
    const t0 = clock.nowMs()
    expect(text(call('DEBUG', 'SLEEP', '1.5'))).toBe('OK')
    expect(clock.nowMs() - t0).toBe(1500)
    call('DEBUG', 'SLEEP', 'nan')
    call('DEBUG', 'SLEEP', '-3')
    expect(clock.nowMs() - t0).toBe(1500)
    call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')
    expect(server.config.bool('active-expire-enabled')).toBe(false)
    call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')
    expect(server.config.bool('active-expire-enabled')).toBe(true)
    expect(text(call('CONFIG', 'GET', 'active-expire-enabled'))).toBe('map')
    expect(call('CONFIG', 'GET', 'active-expire-enabled')).toEqual({ kind: 'map', value: [] })
  })

  it('OBJECT shows encoding, refcount, serialized length and the LRU clock', () => {
    const { clock, call } = setup({ 'enable-debug-command': 'yes' })
    call('SET', 'k', 'hello')
    clock.advance(5000)
    expect(text(call('DEBUG', 'OBJECT', 'k'))).toMatch(/^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\d+ lru_seconds_idle:5$/)
    call('SET', 'n', '7')
    expect(text(call('DEBUG', 'OBJECT', 'n'))).toMatch(/refcount:2147483647 encoding:int serializedlength:2 /)
    expect(text(call('DEBUG', 'OBJECT', 'nope'))).toBe('ERR no such key')
    expect(text(call('DEBUG', 'NOPE'))).toBe("ERR unknown subcommand or wrong number of arguments for 'NOPE'. Try DEBUG HELP.")
  })
})

describe('COMMAND', () => {
  it('counts and lists only implemented commands', () => {
    const { server, call } = setup()
    const top = [...server.commands.topLevel()].filter((d) => d.run !== undefined || d.subcommands).length
    expect(Number(text(call('COMMAND', 'COUNT')))).toBe(top)
    const list = call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'memory|*') as unknown as { value: { value: string }[] }
    expect(list.value.map((v) => v.value).sort()).toEqual(['memory|doctor', 'memory|help', 'memory|malloc-stats', 'memory|purge', 'memory|stats', 'memory|usage'])
  })
})

describe('SHUTDOWN', () => {
  it('checks its arguments, then shuts the server down without a reply', () => {
    const { server, call } = setup()
    let down = 0
    server.onShutdown = () => down++
    expect(text(call('SHUTDOWN', 'SAVE', 'NOSAVE'))).toBe('ERR syntax error')
    expect(text(call('SHUTDOWN', 'ABORT'))).toBe('ERR No shutdown in progress.')
    expect(down).toBe(0)
    expect(call('SHUTDOWN', 'NOSAVE', 'NOW', 'FORCE')).toBeUndefined()
    expect(down).toBe(1)
    expect(server.clients.size).toBe(0)
  })
})

describe('TIME', () => {
  it('answers [seconds, microseconds] from the injected clock', () => {
    const clock = new VirtualClock(1_700_000_123_456)
    clock.advance(0.789)
    const c = createServer({ clock }).connect()
    expect(c.call(['TIME'])).toEqual({
      kind: 'array',
      value: [
        { kind: 'bulk', value: '1700000123' },
        { kind: 'bulk', value: '456789' },
      ],
    })
    expect(c.call(['TIME', 'x'])).toEqual({ kind: 'error', value: "ERR wrong number of arguments for 'time' command" })
  })
})
