// Whole byte streams, compared: the same requests go over raw sockets to a real
// redis-server 7.0.15 and to the engine's TCP server, and everything each
// connection receives (and whether it gets closed) must be identical. This is
// for cases where reply boundaries themselves are the point: pub/sub frames
// inside an EXEC array, MONITOR lines around the monitor's own replies,
// CLIENT REPLY OFF with QUIT.
import net from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeOracle, startRedis, type RedisProcess } from '../support/redis-server.ts'
import { createServer } from '../../engine/server/server.ts'
import { SystemClock } from '../../engine/node/clock.ts'
import { TcpServer } from '../../engine/node/tcp-server.ts'
import { escapeBytes } from '../support/resp-conn.ts'

interface Side {
  port: number
}

/** One step: client `c` sends `send` (RESP or inline text), then the test waits `waitMs`. */
interface Step {
  c: number
  send: string
  waitMs?: number
}

function resp(...argv: string[]): string {
  return `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`
}

async function converse(side: Side, clients: number, steps: Step[]): Promise<{ data: string[]; closed: boolean[] }> {
  const socks = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection({ port: side.port, host: '127.0.0.1' }, () => resolve(s))
          s.once('error', reject)
        }),
    ),
  )
  const data = socks.map(() => '')
  const closed = socks.map(() => false)
  socks.forEach((s, i) => {
    s.on('data', (b: Buffer) => (data[i] += b.toString('latin1')))
    s.on('close', () => (closed[i] = true))
    s.on('error', () => {})
  })
  // Wait until nothing new has arrived for `quietMs` (a loaded machine may be slow to answer).
  const settle = async (quietMs: number): Promise<void> => {
    let last = data.join('').length
    for (let quiet = 0; quiet < quietMs; ) {
      await new Promise((r) => setTimeout(r, 20))
      const now = data.join('').length
      if (now === last) quiet += 20
      else {
        quiet = 0
        last = now
      }
    }
  }
  for (const step of steps) {
    socks[step.c].write(Buffer.from(step.send, 'latin1'))
    await settle(step.waitMs ?? 60)
  }
  await settle(200)
  // Whether the server closed each connection, read before we close them ourselves.
  const closedByServer = [...closed]
  for (const s of socks) s.destroy()
  return { data, closed: closedByServer }
}

describeOracle('raw byte streams: redis-server vs the engine over TCP', () => {
  let redis: RedisProcess
  let tcp: TcpServer
  let engine: Side

  beforeAll(async () => {
    redis = await startRedis([])
    const server = createServer({ clock: new SystemClock(), config: { save: '' } })
    tcp = new TcpServer(server)
    engine = { port: await tcp.listen({ port: 0, host: '127.0.0.1' }) }
  })
  afterAll(async () => {
    await tcp?.close()
    await redis?.stop()
  })

  async function expectSameStreams(clients: number, steps: Step[], normalise: (s: string) => string = (s) => s): Promise<void> {
    const theirs = await converse({ port: redis.port }, clients, steps)
    const ours = await converse(engine, clients, steps)
    for (let i = 0; i < clients; i++) {
      expect(escapeBytes(normalise(ours.data[i])), `client ${i} bytes`).toBe(escapeBytes(normalise(theirs.data[i])))
      expect(ours.closed[i], `client ${i} closed`).toBe(theirs.closed[i])
    }
  }

  it('SUBSCRIBE, PSUBSCRIBE and UNSUBSCRIBE inside EXEC: their frames inside and after the EXEC array', async () => {
    await expectSameStreams(2, [
      { c: 0, send: resp('MULTI') + resp('SUBSCRIBE', 'a', 'b') + resp('PSUBSCRIBE', 'p*') + resp('PING') + resp('UNSUBSCRIBE', 'b', 'a') + resp('EXEC') },
      { c: 0, send: resp('MULTI') + resp('SUBSCRIBE', 'a') + resp('EXEC') },
      { c: 1, send: resp('PUBLISH', 'a', 'm') + resp('PUBLISH', 'pq', 'n') },
      { c: 0, send: resp('PING') + resp('UNSUBSCRIBE') + resp('PUNSUBSCRIBE') },
      // (UNSUBSCRIBE without arguments walks a seeded dict: with one channel the order cannot differ.)
      { c: 0, send: resp('HELLO', '3') + resp('MULTI') + resp('SUBSCRIBE', 'x', 'y') + resp('EXEC') + resp('UNSUBSCRIBE', 'y') + resp('UNSUBSCRIBE'), waitMs: 80 },
    ], (s) => s.replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:?\r\n'))
  })

  it('MONITOR: the +OK first, then lines of other clients; timestamps and ports aside', async () => {
    await expectSameStreams(2, [
      { c: 0, send: resp('MONITOR') },
      { c: 1, send: resp('SET', 'k', 'v') + resp('GET', 'k') + resp('ECHO', 'a"b\\c\x00') },
      { c: 0, send: resp('PING') },
    ], (s) => s.replace(/\+\d+\.\d+ \[(\d+) [^\]]+\]/g, '+T [$1 addr]'))
  })

  it('CLIENT REPLY OFF / SKIP / ON with QUIT', async () => {
    await expectSameStreams(2, [
      { c: 0, send: resp('CLIENT', 'REPLY', 'SKIP') + resp('PING') + resp('PING') + resp('CLIENT', 'REPLY', 'OFF') + resp('PING') + resp('CLIENT', 'REPLY', 'ON') + resp('PING') },
      { c: 1, send: resp('CLIENT', 'REPLY', 'OFF') + resp('SET', 'x', '1') + resp('QUIT') },
      { c: 1, send: resp('GET', 'x'), waitMs: 80 },
    ])
  })
})
