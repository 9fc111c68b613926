import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import { watchersOf } from '../../server/multi.ts'
import { E } from '../../server/errors.ts'
import type { Reply } from '../../protocol/reply.ts'

const OK = { kind: 'status', value: 'OK' }

function setup(config: Record<string, string> = {}) {
  return createServer({ clock: new VirtualClock(), config })
}

describe('AUTH', () => {
  it('without requirepass: the one-argument form is an error, the default user takes any password', () => {
    const c = setup().connect()
    expect(c.call(['AUTH', 'x'])).toEqual(E.authNotConfigured)
    expect(c.call(['AUTH', 'default', 'whatever'])).toEqual(OK)
    expect(c.call(['AUTH', 'other', 'x'])).toEqual(E.wrongPass)
    expect(c.call(['AUTH', 'a', 'b', 'c'])).toEqual(E.syntax)
  })

  it('with requirepass: NOAUTH until a right password, failures leave the state alone', () => {
    const server = setup({ requirepass: 'pw' })
    const c = server.connect()
    expect(c.call(['GET', 'k'])).toEqual(E.noAuth)
    expect(c.call(['AUTH', 'nope'])).toEqual(E.wrongPass)
    expect(c.authenticated).toBe(false)
    expect(c.call(['AUTH', 'Default', 'pw'])).toEqual(E.wrongPass)
    expect(c.call(['AUTH', 'pw'])).toEqual(OK)
    expect(c.call(['GET', 'k'])).toEqual({ kind: 'null' })
    expect(c.call(['AUTH', 'nope'])).toEqual(E.wrongPass)
    expect(c.authenticated).toBe(true)
    const d = server.connect()
    expect(d.call(['AUTH', 'default', 'pw'])).toEqual(OK)
    expect(d.authenticated).toBe(true)
  })
})

describe('QUIT', () => {
  it('answers +OK and asks the host to close after the reply', () => {
    const server = setup({ requirepass: 'pw' })
    const c = server.connect()
    expect(c.call(['QUIT'])).toEqual(OK) // allowed before AUTH
    expect(c.closeAfterReply).toBe(true)
    const d = server.connect()
    d.call(['AUTH', 'pw'])
    d.call(['CLIENT', 'REPLY', 'OFF'])
    expect(d.call(['QUIT'])).toBeUndefined()
    expect(d.closeAfterReply).toBe(true)
  })
})

describe('RESET', () => {
  it('clears the connection state and answers +RESET', () => {
    const server = setup()
    const c = server.connect()
    const pushes: Reply[] = []
    c.onPush = (r) => pushes.push(r)
    c.call(['HELLO', '3'])
    c.call(['SELECT', '4'])
    c.call(['CLIENT', 'SETNAME', 'n'])
    c.call(['CLIENT', 'NO-EVICT', 'ON'])
    c.call(['WATCH', 'w'])
    c.call(['SUBSCRIBE', 'a', 'b'])
    c.call(['PSUBSCRIBE', 'p*'])
    c.call(['SSUBSCRIBE', 's'])
    c.call(['MULTI'])
    c.call(['SET', 'x', '1'])
    const before = pushes.length
    expect(c.call(['RESET'])).toEqual({ kind: 'status', value: 'RESET' })
    expect(pushes.length).toBe(before) // no unsubscribe confirmations
    expect(c.resp).toBe(2)
    expect(c.db.id).toBe(0)
    expect(c.name).toBe('')
    expect(c.multi.inMulti).toBe(false)
    expect(c.multi.queue).toEqual([])
    expect(watchersOf(server.dbs[4], 'w')).toEqual([])
    expect(c.pubsub.flag).toBe(false)
    expect(c.pubsub.total()).toBe(0)
    expect(server.pubsub.channels.size + server.pubsub.patterns.size + server.pubsub.shardChannels.size).toBe(0)
    // NO-EVICT survives RESET in 7.0.15 (observed against redis-server).
    expect(c.noEvict).toBe(true)
    expect(c.call(['GET', 'x'])).toEqual({ kind: 'null' })
  })

  it('turns CLIENT REPLY OFF back on and answers even then; de-authenticates under requirepass', () => {
    const server = setup({ requirepass: 'pw' })
    const c = server.connect()
    expect(c.call(['RESET'])).toEqual({ kind: 'status', value: 'RESET' }) // allowed before AUTH
    c.call(['AUTH', 'pw'])
    c.call(['CLIENT', 'REPLY', 'OFF'])
    expect(c.call(['RESET'])).toEqual({ kind: 'status', value: 'RESET' })
    expect(c.authenticated).toBe(false)
    expect(c.call(['PING'])).toEqual(E.noAuth)
    // A RESET right after CLIENT REPLY SKIP is itself skipped (the skip was already armed).
    c.call(['AUTH', 'pw'])
    c.call(['CLIENT', 'REPLY', 'SKIP'])
    expect(c.call(['RESET'])).toBeUndefined()
    expect(c.call(['AUTH', 'pw'])).toEqual(OK)
  })
})
