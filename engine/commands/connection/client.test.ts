import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import { watchersOf } from '../../server/multi.ts'
import type { Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'

function setup(config: Record<string, string> = {}) {
  const clock = new VirtualClock(1_700_000_000_500)
  const server = createServer({ clock, config })
  return { clock, server }
}

const text = (r: Reply | undefined): string => {
  if (r === undefined) throw new Error('no reply')
  if (r.kind === 'verbatim' || r.kind === 'bulk' || r.kind === 'error' || r.kind === 'status') return r.value
  throw new Error(`unexpected ${r.kind}`)
}

function field(line: string, name: string): string {
  const m = new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)
  if (!m) throw new Error(`no ${name} in ${line}`)
  return m[1]
}

function pushesOf(c: Client): Reply[] {
  const out: Reply[] = []
  c.onPush = (r) => out.push(r)
  return out
}

describe('CLIENT INFO / LIST', () => {
  it('formats the 7.0.15 line, fields in order', () => {
    const { server } = setup()
    const c = server.connect({ addr: '10.0.0.1:5555', laddr: '10.0.0.2:6379' })
    expect(text(c.call(['CLIENT', 'INFO']))).toBe(
      `id=${c.id} addr=10.0.0.1:5555 laddr=10.0.0.2:6379 fd=8 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 ` +
        'multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=0 tot-mem=37658 ' +
        'events=r cmd=client|info user=default redir=-1 resp=2\n',
    )
  })

  it('age and idle follow the injected clock in whole seconds', () => {
    const { server, clock } = setup()
    const a = server.connect()
    const b = server.connect()
    clock.advance(2600)
    a.call(['PING'])
    clock.advance(1200)
    const line = text(b.call(['CLIENT', 'LIST', 'ID', String(a.id)]))
    // Created at .5 s, now at 4.3 s: 4 whole seconds apart; last command at 3.1 s.
    expect(field(line, 'age')).toBe('4')
    expect(field(line, 'idle')).toBe('1')
    expect(field(line, 'cmd')).toBe('ping')
    // Only the running client has a request in its query buffer.
    expect(field(line, 'qbuf')).toBe('0')
    expect(field(line, 'argv-mem')).toBe('0')
  })

  it('shows name, db, flags, subscriptions, MULTI queue and its memory, last command', () => {
    const { server } = setup()
    const a = server.connect()
    const b = server.connect()
    a.call(['CLIENT', 'SETNAME', 'worker'])
    a.call(['SELECT', '2'])
    a.call(['CLIENT', 'NO-EVICT', 'ON'])
    a.call(['WATCH', 'k'])
    b.call(['SELECT', '2'])
    b.call(['SET', 'k', '1'])
    a.call(['MULTI'])
    a.call(['SET', 'k', 'v'])
    a.call(['GET', 'k'])
    let line = text(b.call(['CLIENT', 'LIST', 'ID', String(a.id)]))
    expect(field(line, 'name')).toBe('worker')
    expect(field(line, 'db')).toBe('2')
    expect(field(line, 'flags')).toBe('xde')
    expect(field(line, 'multi')).toBe('0') // dirty transactions queue nothing
    expect(field(line, 'cmd')).toBe('get')
    a.call(['DISCARD'])
    a.call(['MULTI'])
    a.call(['SET', 'k', 'v'])
    a.call(['GET', 'k'])
    line = text(b.call(['CLIENT', 'LIST', 'ID', String(a.id)]))
    expect(field(line, 'multi')).toBe('2')
    // 'set k v' + 'get k': 9 bytes of arguments and 5 argv pointers of 8 bytes.
    expect(field(line, 'multi-mem')).toBe('49')
    a.call(['NOSUCH'])
    expect(field(text(b.call(['CLIENT', 'LIST', 'ID', String(a.id)])), 'cmd')).toBe('NULL')
    const s = server.connect()
    pushesOf(s)
    s.call(['SUBSCRIBE', 'x', 'y'])
    s.call(['PSUBSCRIBE', 'p*'])
    line = text(b.call(['CLIENT', 'LIST', 'TYPE', 'pubsub']))
    expect(line.split('\n')).toHaveLength(2)
    expect(field(line, 'flags')).toBe('P')
    expect([field(line, 'sub'), field(line, 'psub'), field(line, 'ssub')]).toEqual(['2', '1', '0'])
  })

  it('LIST filters by type and by ids in argument order', () => {
    const { server } = setup()
    const [a, b, c] = [server.connect(), server.connect(), server.connect()]
    const ids = (r: Reply | undefined) => text(r).split('\n').filter(Boolean).map((l) => Number(field(l, 'id')))
    expect(ids(a.call(['CLIENT', 'LIST']))).toEqual([a.id, b.id, c.id])
    expect(ids(a.call(['CLIENT', 'LIST', 'ID', String(c.id), '999', String(a.id), String(c.id)]))).toEqual([c.id, a.id, c.id])
    expect(ids(a.call(['CLIENT', 'LIST', 'TYPE', 'NORMAL']))).toEqual([a.id, b.id, c.id])
    expect(ids(a.call(['CLIENT', 'LIST', 'TYPE', 'replica']))).toEqual([])
    expect(a.call(['CLIENT', 'LIST', 'TYPE', 'x'])).toEqual({ kind: 'error', value: "ERR Unknown client type 'x'" })
    expect(a.call(['CLIENT', 'LIST', 'ID', '1', 'x'])).toEqual({ kind: 'error', value: 'ERR Invalid client ID' })
    expect(a.call(['CLIENT', 'LIST', 'ID'])).toEqual({ kind: 'error', value: 'ERR syntax error' })
  })
})

describe('MONITOR clients', () => {
  it('are flagged O, typed normal, and RESET takes them out of monitor mode', () => {
    const { server } = setup()
    const a = server.connect()
    const m = server.connect()
    pushesOf(m)
    m.call(['MONITOR'])
    const line = text(a.call(['CLIENT', 'LIST', 'TYPE', 'normal'])).split('\n')[1]
    expect(field(line, 'flags')).toBe('O')
    expect(m.call(['GET', 'k'])).toEqual({ kind: 'error', value: "ERR Replica can't interact with the keyspace" })
    m.call(['RESET'])
    expect(field(text(m.call(['CLIENT', 'INFO'])), 'flags')).toBe('N')
    expect(m.call(['GET', 'k'])).toEqual({ kind: 'null' })
  })
})

describe('CLIENT KILL', () => {
  it('kills another client by id and leaves none of its state behind', () => {
    const { server } = setup()
    const a = server.connect()
    const b = server.connect()
    let closed = 0
    b.onClose = () => closed++
    pushesOf(b)
    b.call(['WATCH', 'k'])
    b.call(['SUBSCRIBE', 'ch'])
    b.call(['PSUBSCRIBE', 'p*'])
    expect(a.call(['CLIENT', 'KILL', 'ID', String(b.id)])).toEqual({ kind: 'integer', value: 1 })
    expect(closed).toBe(1)
    expect(b.closed).toBe(true)
    expect(server.clients.has(b.id)).toBe(false)
    expect(watchersOf(a.db, 'k')).toEqual([])
    expect(server.pubsub.channels.size).toBe(0)
    expect(server.pubsub.patterns.size).toBe(0)
    expect(a.call(['PUBLISH', 'ch', 'x'])).toEqual({ kind: 'integer', value: 0 })
    expect(a.call(['CLIENT', 'KILL', 'ID', String(b.id)])).toEqual({ kind: 'integer', value: 0 })
  })

  it('old form by address may kill the caller, after its reply', () => {
    const { server } = setup()
    const a = server.connect({ addr: '1.1.1.1:1' })
    const b = server.connect({ addr: '2.2.2.2:2' })
    expect(a.call(['CLIENT', 'KILL', '9.9.9.9:9'])).toEqual({ kind: 'error', value: 'ERR No such client' })
    expect(a.call(['CLIENT', 'KILL', '2.2.2.2:2'])).toEqual({ kind: 'status', value: 'OK' })
    expect(b.closed).toBe(true)
    expect(a.call(['CLIENT', 'KILL', '1.1.1.1:1'])).toEqual({ kind: 'status', value: 'OK' })
    expect(a.closeAfterReply).toBe(true)
    expect(a.closed).toBe(false)
  })

  it('filters combine; SKIPME defaults to yes in the new form', () => {
    const { server } = setup()
    const a = server.connect({ laddr: '127.0.0.1:1' })
    const b = server.connect({ laddr: '127.0.0.1:2' })
    const c = server.connect({ laddr: '127.0.0.1:2' })
    pushesOf(c)
    c.call(['SUBSCRIBE', 'x'])
    expect(a.call(['CLIENT', 'KILL', 'LADDR', '127.0.0.1:2', 'TYPE', 'normal'])).toEqual({ kind: 'integer', value: 1 })
    expect([b.closed, c.closed]).toEqual([true, false])
    expect(a.call(['CLIENT', 'KILL', 'USER', 'default'])).toEqual({ kind: 'integer', value: 1 })
    expect(c.closed).toBe(true)
    expect(a.call(['CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'NO'])).toEqual({ kind: 'integer', value: 1 })
    expect(a.closeAfterReply).toBe(true)
  })

  it('errors', () => {
    const { server } = setup()
    const a = server.connect()
    const err = (value: string) => ({ kind: 'error', value })
    expect(a.call(['CLIENT', 'KILL', 'ID', '0'])).toEqual(err('ERR client-id should be greater than 0'))
    expect(a.call(['CLIENT', 'KILL', 'ID', 'x'])).toEqual(err('ERR client-id should be greater than 0'))
    expect(a.call(['CLIENT', 'KILL', 'TYPE', 'x'])).toEqual(err("ERR Unknown client type 'x'"))
    expect(a.call(['CLIENT', 'KILL', 'USER', 'bob'])).toEqual(err("ERR No such user 'bob'"))
    expect(a.call(['CLIENT', 'KILL', 'SKIPME', 'x'])).toEqual(err('ERR syntax error'))
    expect(a.call(['CLIENT', 'KILL', 'ID', '1', 'TYPE'])).toEqual(err('ERR syntax error'))
    expect(a.call(['CLIENT', 'KILL', 'NOPE', '1'])).toEqual(err('ERR syntax error'))
  })
})

describe('CLIENT REPLY', () => {
  it('OFF drops replies until ON; SKIP drops exactly the next one; pushes still arrive', () => {
    const { server } = setup()
    const a = server.connect()
    a.resp = 3
    const pushes = pushesOf(a)
    expect(a.call(['CLIENT', 'REPLY', 'SKIP'])).toBeUndefined()
    expect(a.call(['SET', 'k', '1'])).toBeUndefined()
    expect(a.call(['GET', 'k'])).toEqual({ kind: 'bulk', value: '1' })
    expect(a.call(['CLIENT', 'REPLY', 'OFF'])).toBeUndefined()
    expect(a.call(['NOSUCH'])).toBeUndefined()
    expect(server.errorStats.get('ERR')).toBe(1) // still counted
    expect(a.call(['SUBSCRIBE', 'ch'])).toBeUndefined()
    expect(pushes).toHaveLength(1)
    // SKIP while OFF is ignored.
    expect(a.call(['CLIENT', 'REPLY', 'SKIP'])).toBeUndefined()
    expect(a.call(['CLIENT', 'REPLY', 'ON'])).toEqual({ kind: 'status', value: 'OK' })
    expect(a.call(['PING'])).toEqual({ kind: 'status', value: 'PONG' })
    // ON right after SKIP is answered: it clears the skip.
    a.call(['CLIENT', 'REPLY', 'SKIP'])
    expect(a.call(['CLIENT', 'REPLY', 'ON'])).toEqual({ kind: 'status', value: 'OK' })
    expect(a.call(['CLIENT', 'REPLY', 'nope'])).toEqual({ kind: 'error', value: 'ERR syntax error' })
  })
})

describe('other CLIENT subcommands', () => {
  it('ID, GETNAME/SETNAME, GETREDIR, UNBLOCK, NO-EVICT, HELP', () => {
    const { server } = setup()
    const a = server.connect()
    expect(a.call(['CLIENT', 'ID'])).toEqual({ kind: 'integer', value: a.id })
    expect(a.call(['CLIENT', 'GETNAME'])).toEqual({ kind: 'null' })
    expect(a.call(['CLIENT', 'SETNAME', 'a b'])).toEqual({
      kind: 'error',
      value: 'ERR Client names cannot contain spaces, newlines or special characters.',
    })
    expect(a.call(['CLIENT', 'SETNAME', 'n1'])).toEqual({ kind: 'status', value: 'OK' })
    expect(a.call(['CLIENT', 'GETNAME'])).toEqual({ kind: 'bulk', value: 'n1' })
    a.call(['CLIENT', 'SETNAME', ''])
    expect(a.call(['CLIENT', 'GETNAME'])).toEqual({ kind: 'null' })
    expect(a.call(['CLIENT', 'GETREDIR'])).toEqual({ kind: 'integer', value: -1 })
    expect(a.call(['CLIENT', 'UNBLOCK', String(a.id)])).toEqual({ kind: 'integer', value: 0 })
    expect(a.call(['CLIENT', 'UNBLOCK', '1', 'x'])).toEqual({ kind: 'error', value: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR' })
    expect(a.call(['CLIENT', 'UNBLOCK', '1', 'error', 'x'])).toEqual({
      kind: 'error',
      value: "ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.",
    })
    expect(a.call(['CLIENT', 'NO-EVICT', 'x'])).toEqual({ kind: 'error', value: 'ERR syntax error' })
    const help = a.call(['client', 'help'])
    expect(help?.kind).toBe('array')
    if (help?.kind === 'array') {
      expect(help.value[0]).toEqual({ kind: 'status', value: 'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' })
      expect(help.value).toHaveLength(48)
    }
  })
})
