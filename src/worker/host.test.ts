import { describe, expect, it } from 'vitest'
import { EngineHost, TRACE_BATCH_MAX } from './host.ts'
import { VirtualClock } from '../../engine/server/clock.ts'
import type { Frame } from './types.ts'
import { parseResp, byteString } from '../repl/resp.ts'
import { buildHelpTable } from '../repl/help.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'

function makeHost() {
  const frames: (() => void)[] = []
  const host = new EngineHost({
    clock: new VirtualClock(),
    seed: 42,
    setTimer: () => {},
    nextFrame: (fn) => frames.push(fn),
    cron: false,
  })
  return { host, runFrame: () => frames.splice(0).forEach((f) => f()) }
}

const text = (f: Frame): string => ('bytes' in f ? byteString(f.bytes) : `<${f.kind}>`)
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

function sinkFor(): { sink: (f: Frame[]) => void; got: Frame[] } {
  const got: Frame[] = []
  return { sink: (f) => got.push(...f), got }
}

describe('EngineHost', () => {
  it('inspects a key as plain, structured-cloneable data', () => {
    const { host } = makeHost()
    const { id } = host.openClient(() => {})
    host.send(id, ['HSET', 'h', 'f', 'v'])
    const snap = host.inspect(0, 'h')
    expect(snap).toMatchObject({ key: 'h', type: 'hash', encoding: 'listpack', value: { encoding: 'listpack', length: 2 } })
    expect(structuredClone(snap)).toEqual(snap)
    expect(host.inspect(0, 'missing')).toBeNull()
  })

  it('answers commands with RESP bytes in the client protocol', () => {
    const { host } = makeHost()
    const { id } = host.openClient(() => {})
    expect(host.send(id, ['SET', 'k', 'v']).frames.map(text)).toEqual(['+OK\r\n'])
    expect(host.send(id, ['GET', 'k']).frames.map(text)).toEqual(['$1\r\nv\r\n'])
    expect(host.send(id, ['GET', 'nokey']).frames.map(text)).toEqual(['$-1\r\n'])
    host.send(id, ['HELLO', '3'])
    expect(host.send(id, ['GET', 'nokey']).frames.map(text)).toEqual(['_\r\n'])
    const r = host.send(id, ['INCRBYFLOAT', 'f', '1.5'])
    expect(r.frames.map((f) => f.seq)).toEqual([5])
    expect(r.blocked).toBe(false)
  })

  it('lets REPL clients use DEBUG (enable-debug-command local)', () => {
    const { host } = makeHost()
    const { id } = host.openClient(() => {})
    expect(host.send(id, ['DEBUG', 'SLEEP', '0']).frames.map(text)).toEqual(['+OK\r\n'])
  })

  it('delivers pub/sub pushes in order, numbered after the replies', async () => {
    const { host } = makeHost()
    const a = sinkFor()
    const b = sinkFor()
    const ida = host.openClient(a.sink).id
    const idb = host.openClient(b.sink).id
    const sub = host.send(ida, ['SUBSCRIBE', 'ch1', 'ch2'])
    // SUBSCRIBE has no reply of its own: one push per channel, captured in the result.
    expect(sub.frames.map((f) => [f.kind, f.seq])).toEqual([['push', 0], ['push', 1]])
    expect(text(sub.frames[1])).toBe('*3\r\n$9\r\nsubscribe\r\n$3\r\nch2\r\n:2\r\n')
    expect(host.send(idb, ['PUBLISH', 'ch1', 'one']).frames.map(text)).toEqual([':1\r\n'])
    expect(host.send(idb, ['PUBLISH', 'ch2', 'two']).frames.map(text)).toEqual([':1\r\n'])
    expect(a.got).toEqual([]) // batched until the task ends
    await tick()
    expect(a.got.map((f) => [f.seq, text(f)])).toEqual([
      [2, '*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$3\r\none\r\n'],
      [3, '*3\r\n$7\r\nmessage\r\n$3\r\nch2\r\n$3\r\ntwo\r\n'],
    ])
    expect(b.got).toEqual([])
  })

  it('closes after QUIT and when another client kills it', async () => {
    const { host } = makeHost()
    const a = sinkFor()
    const ida = host.openClient(a.sink).id
    expect(host.send(ida, ['QUIT']).frames.map(text)).toEqual(['+OK\r\n', '<closed>'])
    expect(host.send(ida, ['PING']).frames.map(text)).toEqual(['<closed>'])
    const c = sinkFor()
    const idc = host.openClient(c.sink).id
    const idd = host.openClient(() => {}).id
    expect(host.send(idd, ['CLIENT', 'KILL', 'ID', String(idc)]).frames.map(text)).toEqual([':1\r\n'])
    await tick()
    expect(c.got.map(text)).toEqual(['<closed>'])
  })

  it('delivers a blocked command reply when another client serves it', async () => {
    const { host } = makeHost()
    const a = sinkFor()
    const ida = host.openClient(a.sink).id
    const idb = host.openClient(() => {}).id
    const r = host.send(ida, ['BLPOP', 'q', '0'])
    expect(r).toEqual({ frames: [], blocked: true })
    expect(() => host.send(ida, ['PING'])).toThrow(/blocked/)
    expect(host.send(idb, ['RPUSH', 'q', 'x']).frames.map(text)).toEqual([':1\r\n'])
    await tick()
    expect(a.got.map(text)).toEqual(['*2\r\n$1\r\nq\r\n$1\r\nx\r\n', '<unblocked>'])
    expect(a.got.map((f) => f.seq)).toEqual([0, 1])
    expect(host.send(ida, ['PING']).frames.map(text)).toEqual(['+PONG\r\n'])
  })

  it('serves COMMAND DOCS for the help table', () => {
    const { host } = makeHost()
    const table = buildHelpTable(parseResp(host.commandDocs()))
    const get = table.entries.find((e) => e.full === 'GET')
    expect(get?.params).toBe('key')
    expect(table.entries.some((e) => e.full === 'CONFIG GET')).toBe(true)
  })

  it('batches trace events per animation frame and stops when nobody listens', () => {
    const { host, runFrame } = makeHost()
    const got: TraceEvent[][] = []
    const token = host.subscribeTrace((e) => got.push(e))
    const { id } = host.openClient(() => {})
    host.send(id, ['FLUSHALL'])
    host.send(id, ['FLUSHDB'])
    expect(got).toEqual([])
    runFrame()
    expect(got.length).toBe(1)
    expect(got[0].filter((e) => e.type === 'db-flushed').length).toBe(2)
    host.unsubscribeTrace(token)
    expect(host.server.traceBus.active).toBe(false)
  })

  it('delivers at most TRACE_BATCH_MAX events per batch, the newest, after one events-dropped', () => {
    const { host, runFrame } = makeHost()
    const got: TraceEvent[][] = []
    host.subscribeTrace((e) => got.push(e))
    const { id } = host.openClient(() => {})
    host.send(id, ['DEBUG', 'POPULATE', '25000', 'k'])
    host.send(id, ['SET', 'last', 'x'])
    runFrame()
    expect(got.length).toBe(1)
    const batch = got[0]
    expect(batch.length).toBe(TRACE_BATCH_MAX + 1)
    const total = 25_001 // one key-written per key: k:0 .. k:24999, then last
    expect(batch[0]).toEqual({ type: 'events-dropped', count: total - TRACE_BATCH_MAX })
    expect(batch[1]).toEqual({ type: 'key-written', db: 0, key: `k:${total - TRACE_BATCH_MAX}` })
    expect(batch.at(-1)).toEqual({ type: 'key-written', db: 0, key: 'last' })
    // The next batch starts afresh.
    host.send(id, ['SET', 'again', 'y'])
    runFrame()
    expect(got[1]).toEqual([{ type: 'key-written', db: 0, key: 'again' }])
  })
})
