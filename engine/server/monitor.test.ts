import { describe, expect, it } from 'vitest'
import { createServer } from './server.ts'
import { VirtualClock } from './clock.ts'
import type { Reply } from '../protocol/reply.ts'
import { catRepr, isMonitor, loggedArgv, monitorCount } from './monitor.ts'

function setup() {
  const clock = new VirtualClock(1_700_000_000_123)
  const server = createServer({ clock })
  const mon = server.connect({ addr: '127.0.0.1:1000' })
  const lines: string[] = []
  mon.onPush = (r: Reply) => {
    if (r.kind !== 'status') throw new Error(`unexpected push ${JSON.stringify(r)}`)
    lines.push(r.value)
  }
  const c = server.connect({ addr: '127.0.0.1:2000' })
  return { clock, server, mon, c, lines }
}

describe('catRepr (sdscatrepr)', () => {
  it('quotes and escapes like Redis', () => {
    expect(catRepr('a b')).toBe('"a b"')
    expect(catRepr('"\\\n\r\t\x07\x08')).toBe('"\\"\\\\\\n\\r\\t\\a\\b"')
    expect(catRepr('\x00\x01\x1f\x7f\x80\xff~ ')).toBe('"\\x00\\x01\\x1f\\x7f\\x80\\xff~ "')
    expect(catRepr('')).toBe('""')
  })
})

describe('loggedArgv (redactClientCommandArgument)', () => {
  const { server } = setup()
  const cmd = (n: string) => server.commands.byName(n)!
  it('redacts AUTH arguments unless the argument count is refused', () => {
    expect(loggedArgv(cmd('auth'), ['AUTH', 'pw'])).toEqual(['AUTH', '(redacted)'])
    expect(loggedArgv(cmd('auth'), ['AUTH', 'u', 'pw'])).toEqual(['AUTH', '(redacted)', '(redacted)'])
    expect(loggedArgv(cmd('auth'), ['AUTH', 'a', 'b', 'c'])).toEqual(['AUTH', 'a', 'b', 'c'])
  })
  it('redacts the AUTH pair of HELLO once the version is valid', () => {
    expect(loggedArgv(cmd('hello'), ['HELLO', '3', 'SETNAME', 'n', 'auth', 'u', 'p'])).toEqual(['HELLO', '3', 'SETNAME', 'n', 'auth', '(redacted)', '(redacted)'])
    expect(loggedArgv(cmd('hello'), ['HELLO', '4', 'AUTH', 'u', 'p'])).toEqual(['HELLO', '4', 'AUTH', 'u', 'p'])
    expect(loggedArgv(cmd('hello'), ['HELLO', '2', 'FOO', 'AUTH', 'u', 'p'])).toEqual(['HELLO', '2', 'FOO', 'AUTH', 'u', 'p'])
    expect(loggedArgv(cmd('get'), ['GET', 'k'])).toEqual(['GET', 'k'])
  })
})

describe('MONITOR', () => {
  it('feeds executed commands with time, db and address, after they ran', () => {
    const { mon, c, lines, clock } = setup()
    expect(mon.call(['MONITOR'])).toEqual({ kind: 'status', value: 'OK' })
    c.call(['SET', 'k', 'a\nb'])
    clock.advance(1.5)
    c.call(['SELECT', '2'])
    c.call(['CONFIG', 'GET', 'maxmemory']) // admin: not shown
    c.call(['GET']) // rejected: not shown
    c.call(['NOSUCH'])
    c.call(['MULTI'])
    c.call(['INCR', 'n'])
    c.call(['EXEC'])
    c.call(['AUTH', 'u', 'p'])
    expect(lines).toEqual([
      '1700000000.123000 [0 127.0.0.1:2000] "SET" "k" "a\\nb"',
      '1700000000.124500 [2 127.0.0.1:2000] "SELECT" "2"',
      '1700000000.124500 [2 127.0.0.1:2000] "MULTI"',
      '1700000000.124500 [2 127.0.0.1:2000] "INCR" "n"',
      '1700000000.124500 [2 127.0.0.1:2000] "EXEC"',
      '1700000000.124500 [2 127.0.0.1:2000] "AUTH" "(redacted)" "(redacted)"',
    ])
  })

  it('answers a second MONITOR with nothing and refuses keyspace commands', () => {
    const { mon, server } = setup()
    mon.call(['MONITOR'])
    expect(mon.call(['MONITOR'])).toBeUndefined()
    expect(mon.call(['GET', 'k'])).toEqual({ kind: 'error', value: "ERR Replica can't interact with the keyspace" })
    expect(server.errorStats.get('ERR')).toBe(1)
    expect(mon.call(['PING'])).toEqual({ kind: 'status', value: 'PONG' })
  })

  it('is refused inside MULTI/EXEC', () => {
    const { c } = setup()
    c.call(['MULTI'])
    c.call(['MONITOR'])
    expect(c.call(['EXEC'])).toEqual({ kind: 'array', value: [{ kind: 'error', value: "ERR MONITOR isn't allowed for DENY BLOCKING client" }] })
    expect(isMonitor(c)).toBe(false)
  })

  it('stops on disconnect', () => {
    const { mon, c, lines, server } = setup()
    mon.call(['MONITOR'])
    expect(monitorCount(server)).toBe(1)
    mon.close()
    expect(monitorCount(server)).toBe(0)
    c.call(['PING'])
    expect(lines).toEqual([])
  })
})
