// Blocked clients over the Node TCP server: a blocked connection stops running
// its pipelined requests and resumes, in order, after its late reply; CLIENT
// PAUSE postpones a request and the ones behind it. Expected bytes are Redis
// 7.0.15's (see test/oracle/blocking.test.ts, which checks the same cases in
// process against a real redis-server).
import { afterEach, expect, it } from 'vitest'
import { createServer } from '../../engine/server/server.ts'
import { SystemClock } from '../../engine/node/clock.ts'
import { TcpServer } from '../../engine/node/tcp-server.ts'
import { connectRaw, type RawConn } from '../support/resp-conn.ts'

const open: { tcp: TcpServer; conns: RawConn[] }[] = []

afterEach(async () => {
  for (const o of open.splice(0)) {
    await Promise.all(o.conns.map((c) => c.close()))
    await o.tcp.close()
  }
})

async function start(n: number): Promise<RawConn[]> {
  const server = createServer({ clock: new SystemClock(), config: { save: '' } })
  const tcp = new TcpServer(server)
  const port = await tcp.listen({ port: 0, host: '127.0.0.1' })
  const conns = await Promise.all(Array.from({ length: n }, () => connectRaw(port)))
  open.push({ tcp, conns })
  return conns
}

it('requests pipelined behind a blocked WAIT run after its timeout reply', async () => {
  const [c] = await start(1)
  const t0 = Date.now()
  c.send(['WAIT', '1', '150'])
  c.send(['PING'])
  expect(await c.readFrame()).toBe(':0\r\n')
  expect(Date.now() - t0).toBeGreaterThanOrEqual(140)
  expect(await c.readFrame()).toBe('+PONG\r\n')
})

it('CLIENT UNBLOCK ... ERROR answers the blocked client with UNBLOCKED', async () => {
  const [a, b] = await start(2)
  const id = (await a.call(['CLIENT', 'ID'])).slice(1, -2)
  a.send(['WAIT', '2', '0'])
  a.send(['ECHO', 'after'])
  // Wait until the server sees the block (INFO's blocked_clients), then unblock.
  for (let i = 0; i < 100 && !(await b.call(['INFO', 'clients'])).includes('blocked_clients:1'); i++) await new Promise((r) => setTimeout(r, 10))
  expect(await b.call(['CLIENT', 'UNBLOCK', id, 'ERROR'])).toBe(':1\r\n')
  expect(await a.readFrame()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n')
  expect(await a.readFrame()).toBe('$5\r\nafter\r\n')
})

it('CLIENT PAUSE WRITE holds a write and what follows it until CLIENT UNPAUSE', async () => {
  const [admin, w, r] = await start(3)
  expect(await admin.call(['CLIENT', 'PAUSE', '100000', 'WRITE'])).toBe('+OK\r\n')
  w.send(['INCR', 'k'])
  w.send(['GET', 'k'])
  // Reads from other clients go on.
  expect(await r.call(['GET', 'k'])).toBe('$-1\r\n')
  expect(await admin.call(['CLIENT', 'UNPAUSE'])).toBe('+OK\r\n')
  expect(await w.readFrame()).toBe(':1\r\n')
  expect(await w.readFrame()).toBe('$1\r\n1\r\n')
})
