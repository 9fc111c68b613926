// Engine-side checks of the string commands that a reply comparison cannot see:
// keyspace events, the dirty counter, the propagated command vector, expire
// times under a virtual clock, and in-place updates. (Replies are compared with
// a real redis-server in test/oracle/string.test.ts.)
import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import type { Reply } from '../../protocol/reply.ts'
import { isSharedObject } from '../../types/string.ts'
import { isKeyword, parseExtendedStringArguments } from './options.ts'

const T0 = 1_700_000_000_000

function setup() {
  const clock = new VirtualClock(T0)
  const server = createServer({ clock })
  const c = server.connect()
  const events: string[] = []
  // 'n' (new key) events come from the keyspace itself, not from the commands tested here.
  server.hooks.keyspaceEvent = (flag, event, key, dbid) => {
    if (flag !== 'n') events.push(`${flag}:${event}:${key}@${dbid}`)
  }
  const modified: string[] = []
  server.hooks.modifiedKey = (_db, key) => modified.push(key)
  const run = (...argv: string[]): Reply | undefined => c.call(argv)
  return { clock, server, c, events, modified, run, db: () => c.db }
}

describe('keyspace events and dirty counts', () => {
  it('fire the events Redis fires, and count changes like server.dirty', () => {
    const { server, events, run } = setup()
    const step = (argv: string[], ev: string[], dirty: number): void => {
      events.length = 0
      const before = server.dirty
      run(...argv)
      expect(events, argv.join(' ')).toEqual(ev)
      expect(server.dirty - before, argv.join(' ')).toBe(dirty)
    }
    step(['SET', 'k', 'v'], ['$:set:k@0'], 1)
    step(['SET', 'k', 'v', 'NX'], [], 0)
    step(['SET', 'k', 'v', 'EX', '100'], ['$:set:k@0', 'g:expire:k@0'], 1)
    step(['SET', 'k', 'v', 'XX', 'GET'], ['$:set:k@0'], 1)
    step(['SETNX', 'k', 'v'], [], 0)
    step(['SETEX', 'k', '10', 'v'], ['$:set:k@0', 'g:expire:k@0'], 1)
    step(['GETSET', 'k', 'w'], ['$:set:k@0'], 1)
    step(['MSET', 'a', '1', 'b', '2', 'c', '3'], ['$:set:a@0', '$:set:b@0', '$:set:c@0'], 3)
    step(['MSETNX', 'a', '1', 'z', '2'], [], 0)
    step(['MSETNX', 'y', '1', 'z', '2'], ['$:set:y@0', '$:set:z@0'], 2)
    step(['INCR', 'a'], ['$:incrby:a@0'], 1)
    step(['DECRBY', 'a', '5'], ['$:incrby:a@0'], 1)
    step(['INCR', 'k'], [], 0)
    step(['INCRBYFLOAT', 'a', '1.5'], ['$:incrbyfloat:a@0'], 1)
    step(['APPEND', 'b', 'x'], ['$:append:b@0'], 1)
    step(['APPEND', 'new', 'x'], ['$:append:new@0'], 1)
    step(['SETRANGE', 'b', '0', 'y'], ['$:setrange:b@0'], 1)
    step(['SETRANGE', 'b', '0', ''], [], 0)
    step(['SETRANGE', 'nope', '0', ''], [], 0)
    step(['GETEX', 'b'], [], 0)
    step(['GETEX', 'b', 'PERSIST'], [], 0)
    step(['GETEX', 'b', 'EX', '100'], ['g:expire:b@0'], 1)
    step(['GETEX', 'b', 'PERSIST'], ['g:persist:b@0'], 1)
    step(['GETEX', 'b', 'PXAT', '1'], ['g:del:b@0'], 1)
    step(['GETDEL', 'b'], ['m:keymiss:b@0'], 0)
    step(['GETDEL', 'c'], ['g:del:c@0'], 1)
    step(['GET', 'nothing'], ['m:keymiss:nothing@0'], 0)
    step(['LCS', 'a', 'k'], [], 0)
    step(['STRLEN', 'k'], [], 0)
    step(['MGET', 'k', 'a'], [], 0)
  })

  it('signal modified keys (WATCH, tracking) on every change', () => {
    const { modified, run } = setup()
    run('SET', 'k', '1')
    run('INCR', 'k')
    run('INCR', 'k')
    run('APPEND', 'k', 'x')
    run('SETRANGE', 'k', '0', 'y')
    run('INCRBYFLOAT', 'f', '1')
    run('GETEX', 'k', 'EX', '10')
    run('GETEX', 'k', 'PERSIST')
    run('GETDEL', 'k')
    run('GETDEL', 'k')
    expect(modified).toEqual(['k', 'k', 'k', 'k', 'k', 'f', 'k', 'k', 'k'])
  })
})

describe('expire times', () => {
  it('are absolute ms computed from the clock', () => {
    const { run, db } = setup()
    run('SET', 'a', 'v', 'EX', '100')
    expect(db().getExpire('a')).toBe(T0 + 100_000)
    run('SET', 'b', 'v', 'PX', '1500')
    expect(db().getExpire('b')).toBe(T0 + 1500)
    run('SET', 'c', 'v', 'EXAT', '2000000000')
    expect(db().getExpire('c')).toBe(2_000_000_000_000)
    run('SET', 'd', 'v', 'PXAT', '2000000000123')
    expect(db().getExpire('d')).toBe(2_000_000_000_123)
    run('SETEX', 'e', '7', 'v')
    expect(db().getExpire('e')).toBe(T0 + 7000)
    run('PSETEX', 'f', '7', 'v')
    expect(db().getExpire('f')).toBe(T0 + 7)
    run('GETEX', 'f', 'EX', '9')
    expect(db().getExpire('f')).toBe(T0 + 9000)
    run('SET', 'a', 'w', 'KEEPTTL')
    expect(db().getExpire('a')).toBe(T0 + 100_000)
    run('SET', 'a', 'w')
    expect(db().getExpire('a')).toBe(-1)
  })

  it('reject a relative time whose absolute value overflows int64, at the exact boundary', () => {
    const { run } = setup()
    const max = 9223372036854775807n
    const okPx = (max - BigInt(T0)).toString()
    const badPx = (max - BigInt(T0) + 1n).toString()
    expect(run('SET', 'a', 'v', 'PX', okPx)).toEqual({ kind: 'status', value: 'OK' })
    expect(run('SET', 'a', 'v', 'PX', badPx)).toEqual({ kind: 'error', value: "ERR invalid expire time in 'set' command" })
    expect(run('PSETEX', 'a', badPx, 'v')).toEqual({ kind: 'error', value: "ERR invalid expire time in 'psetex' command" })
    expect(run('GETEX', 'a', 'PX', badPx)).toEqual({ kind: 'error', value: "ERR invalid expire time in 'getex' command" })
    // Absolute times are not offset by the clock: up to LLONG_MAX is fine.
    expect(run('SET', 'a', 'v', 'PXAT', max.toString())).toEqual({ kind: 'status', value: 'OK' })
    // EX: 9223372036854775 s * 1000 fits, + now does not.
    expect(run('SET', 'a', 'v', 'EXAT', '9223372036854775')).toEqual({ kind: 'status', value: 'OK' })
    expect(run('SETEX', 'a', '9223372036854775', 'v')).toEqual({ kind: 'error', value: "ERR invalid expire time in 'setex' command" })
    expect(run('SET', 'a', 'v', 'EXAT', '9223372036854776')).toEqual({ kind: 'error', value: "ERR invalid expire time in 'set' command" })
  })

  it('GETEX with an absolute time in the past deletes the key', () => {
    const { run, clock, db } = setup()
    run('SET', 'k', 'v')
    expect(run('GETEX', 'k', 'PXAT', String(T0))).toEqual({ kind: 'bulk', value: 'v' })
    expect(db().exists('k')).toBe(false)
    run('SET', 'k', 'v')
    expect(run('GETEX', 'k', 'PXAT', String(T0 + 1))).toEqual({ kind: 'bulk', value: 'v' })
    expect(db().exists('k')).toBe(true)
    clock.advance(2)
    expect(run('GET', 'k')).toEqual({ kind: 'null' })
  })
})

describe('propagated command vectors', () => {
  it('are rewritten the way Redis rewrites them', () => {
    const { run, c } = setup()
    run('SET', 'k', 'v', 'EX', '10')
    expect(c.argv).toEqual(['SET', 'k', 'v', 'PXAT', String(T0 + 10_000)])
    run('SET', 'k', 'v', 'get', 'XX', 'GET', 'gEt', 'GET\0')
    expect(c.argv).toEqual(['SET', 'k', 'v', 'XX'])
    run('SETEX', 'k', '5', 'v')
    expect(c.argv).toEqual(['SET', 'k', 'v', 'PXAT', String(T0 + 5000)])
    run('GETSET', 'k', 'w')
    expect(c.argv).toEqual(['SET', 'k', 'w'])
    run('INCRBYFLOAT', 'f', '0.1')
    expect(c.argv).toEqual(['SET', 'f', '0.1', 'KEEPTTL'])
    run('GETEX', 'k', 'EX', '3')
    expect(c.argv).toEqual(['PEXPIREAT', 'k', String(T0 + 3000)])
    run('GETEX', 'k', 'PERSIST')
    expect(c.argv).toEqual(['PERSIST', 'k'])
    run('GETEX', 'k', 'EXAT', '1')
    expect(c.argv).toEqual(['DEL', 'k'])
    run('SET', 'k', 'v')
    run('GETDEL', 'k')
    expect(c.argv).toEqual(['DEL', 'k'])
  })
})

describe('objects', () => {
  it('INCR updates an unshared int in place and swaps shared ones', () => {
    const { run, db } = setup()
    run('SET', 'k', '20000')
    const o = db().dict.get('k')!
    run('INCR', 'k')
    expect(db().dict.get('k')).toBe(o)
    expect(o).toMatchObject({ encoding: 'int', value: '20001' })
    run('DECRBY', 'k', '20000')
    const small = db().dict.get('k')!
    expect(small).not.toBe(o)
    expect(isSharedObject(small)).toBe(true)
    run('INCRBY', 'k', '100000')
    const big = db().dict.get('k')!
    expect(big).not.toBe(small)
    expect(isSharedObject(big)).toBe(false)
    expect(small.value).toBe('1')
    // embstr text that parses is replaced by an int object.
    run('APPEND', 'e', '7')
    run('APPEND', 'e', '7')
    expect(db().dict.get('e')!.encoding).toBe('raw')
    run('INCR', 'e')
    expect(db().dict.get('e')).toMatchObject({ encoding: 'int', value: '78' })
  })

  it('APPEND and SETRANGE copy shared or embedded values before changing them', () => {
    const { run, db } = setup()
    run('SET', 'a', '5')
    run('SET', 'b', '5')
    const shared = db().dict.get('a')!
    expect(db().dict.get('b')).toBe(shared)
    run('APPEND', 'a', 'x')
    expect(shared.value).toBe('5')
    expect(run('GET', 'b')).toEqual({ kind: 'bulk', value: '5' })
    run('SETRANGE', 'b', '3', 'z')
    expect(shared.value).toBe('5')
    expect(run('GET', 'b')).toEqual({ kind: 'bulk', value: '5\0\0z' })
    const raw = db().dict.get('b')!
    run('APPEND', 'b', '!')
    expect(db().dict.get('b')).toBe(raw)
    expect(raw).toMatchObject({ encoding: 'raw', value: '5\0\0z!' })
  })
})

describe('option parsing', () => {
  it('matches keywords case-insensitively, up to a NUL like a C string', () => {
    expect(isKeyword('nx', 'nx')).toBe(true)
    expect(isKeyword('Nx', 'nx')).toBe(true)
    expect(isKeyword('NX\0', 'nx')).toBe(true)
    expect(isKeyword('NX\0zz', 'nx')).toBe(true)
    expect(isKeyword('NXz', 'nx')).toBe(false)
    expect(isKeyword('N', 'nx')).toBe(false)
    expect(isKeyword('\0NX', 'nx')).toBe(false)
    // '|32' must not fold non-letters onto letters.
    expect(isKeyword('\x0ex', 'nx')).toBe(false)
  })

  it('refuses conflicting options in either order and accepts repeats', () => {
    const p = (...opts: string[]) => parseExtendedStringArguments(['SET', 'k', 'v', ...opts], true)
    const g = (...opts: string[]) => parseExtendedStringArguments(['GETEX', 'k', ...opts], false)
    const syntax = { kind: 'error', value: 'ERR syntax error' }
    expect(p('NX', 'XX')).toEqual(syntax)
    expect(p('XX', 'NX')).toEqual(syntax)
    expect(p('EX', '1', 'PX', '1')).toEqual(syntax)
    expect(p('KEEPTTL', 'EXAT', '1')).toEqual(syntax)
    expect(p('PXAT', '1', 'KEEPTTL')).toEqual(syntax)
    expect(p('EX')).toEqual(syntax)
    expect(p('PERSIST')).toEqual(syntax)
    expect(p('EX', '1', 'EX', '2')).toEqual({ flags: 4, expire: '2', unit: 0 })
    expect(p('px', '5', 'nx', 'get')).toEqual({ flags: 8 | 1 | 32, expire: '5', unit: 1 })
    expect(g('PERSIST', 'EX', '1')).toEqual(syntax)
    expect(g('NX')).toEqual(syntax)
    expect(g('KEEPTTL')).toEqual(syntax)
    expect(g('PXAT', '9')).toEqual({ flags: 128, expire: '9', unit: 1 })
  })
})
