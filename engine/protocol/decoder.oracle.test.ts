// Differential tests against a real redis-server 7.0.15: raw request bytes go to
// both redis-server and RequestDecoder, and the replies must match byte for
// byte (protocol errors are "-ERR Protocol error: ...", then the server closes).
// A second part checks the encoder: replies read from redis-server are parsed
// into the reply model and must encode back to the very same bytes.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProtocolError, RequestDecoder } from './decoder.ts'
import { encodeReply } from './encoder.ts'
import {
  NULL,
  NULL_ARRAY,
  array,
  bool,
  bulk,
  double,
  error,
  integer,
  map,
  push,
  set,
  status,
  verbatim,
  type Reply,
} from './reply.ts'

const REDIS_SERVER = '/usr/bin/redis-server'
const haveRedis = existsSync(REDIS_SERVER)

if (!haveRedis) {
  if (process.env.CI) {
    describe('protocol oracle', () => {
      it('needs /usr/bin/redis-server in CI', () => {
        throw new Error(`${REDIS_SERVER} is missing: the protocol oracle tests cannot run`)
      })
    })
  } else {
    console.warn(`[decoder.oracle] skipped: ${REDIS_SERVER} not found`)
  }
}

// ---------------------------------------------------------------- plumbing

const latin1 = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i)
  return b
}
const text = (b: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192))
  return s
}
const multibulk = (...argv: string[]): string => `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

// The house lint keeps Date.now out of engine/, tests included.
const nowMs = (): number => Number(process.hrtime.bigint() / 1000000n)

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

class Conn {
  private chunks: Buffer[] = []
  private size = 0
  closed = false
  private waiter: (() => void) | null = null

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.chunks.push(d)
      this.size += d.length
      this.wake()
    })
    const end = (): void => {
      this.closed = true
      this.wake()
    }
    socket.on('close', end)
    socket.on('error', end)
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(new Conn(s)))
      s.once('error', reject)
    })
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = null
    w?.()
  }

  received(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks, this.size))
  }

  consume(n: number): void {
    const all = Buffer.concat(this.chunks, this.size)
    this.chunks = [all.subarray(n)]
    this.size = all.length - n
  }

  /** Waits until more data or the close arrives, or `ms` pass. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiter = null
        resolve()
      }, ms)
      this.waiter = () => {
        clearTimeout(t)
        resolve()
      }
    })
  }

  /**
   * Everything the server sends: waits (up to 5 s, so a slow machine does not
   * cut it short) until `expectBytes` bytes and, if `expectClose`, the close
   * arrived, then `quietMs` more for anything unexpected.
   */
  async drain(expectBytes: number, expectClose: boolean, quietMs: number): Promise<{ data: string; closed: boolean }> {
    const deadline = nowMs() + 5000
    while (!this.closed && (this.size < expectBytes || expectClose) && nowMs() < deadline) {
      await this.wait(deadline - nowMs())
    }
    for (;;) {
      if (this.closed) break
      const before = this.size
      await this.wait(quietMs)
      if (!this.closed && this.size === before) break
    }
    return { data: text(this.received()), closed: this.closed }
  }

  /** One complete reply: its exact bytes and its parse. */
  async reply(): Promise<{ raw: string; value: Reply }> {
    for (;;) {
      const buf = this.received()
      const r = parseReply(buf, 0)
      if (r !== null) {
        this.consume(r[1])
        return { raw: text(buf.subarray(0, r[1])), value: r[0] }
      }
      if (this.closed) throw new Error('connection closed before a full reply: ' + JSON.stringify(text(buf)))
      await this.wait(5000)
    }
  }

  send(s: string | Uint8Array): void {
    this.socket.write(typeof s === 'string' ? latin1(s) : s)
  }

  close(): void {
    this.socket.destroy()
  }
}

const NAN_NEGATIVE = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0]

/** A RESP2/RESP3 reply parser for the test: [reply, end] or null when incomplete. */
function parseReply(b: Uint8Array, p: number): [Reply, number] | null {
  const lineEnd = (from: number): number => {
    for (let i = from; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) return i
    return -1
  }
  if (p >= b.length) return null
  const e = lineEnd(p)
  if (e < 0) return null
  const t = String.fromCharCode(b[p])
  const line = text(b.subarray(p + 1, e))
  const next = e + 2
  const items = (n: number): [Reply[], number] | null => {
    const out: Reply[] = []
    let q = next
    for (let i = 0; i < n; i++) {
      const r = parseReply(b, q)
      if (r === null) return null
      out.push(r[0])
      q = r[1]
    }
    return [out, q]
  }
  const blob = (): [string, number] | null => {
    const n = Number(line)
    if (b.length < next + n + 2) return null
    return [text(b.subarray(next, next + n)), next + n + 2]
  }
  switch (t) {
    case '+':
      return [status(line), next]
    case '-':
      return [error(line), next]
    case ':':
      return [integer(Number.isSafeInteger(Number(line)) ? Number(line) : BigInt(line)), next]
    case '_':
      return [NULL, next]
    case '#':
      return [bool(line === 't'), next]
    case ',': {
      const v = line === 'inf' ? Infinity : line === '-inf' ? -Infinity : line === 'nan' ? NaN : line === '-nan' ? NAN_NEGATIVE : Number(line)
      return [double(v), next]
    }
    case '$': {
      if (line === '-1') return [NULL, next]
      const r = blob()
      return r && [bulk(r[0]), r[1]]
    }
    case '=': {
      const r = blob()
      return r && [verbatim(r[0].slice(4), r[0].slice(0, 3)), r[1]]
    }
    case '*': {
      if (line === '-1') return [NULL_ARRAY, next]
      const r = items(Number(line))
      return r && [array(r[0]), r[1]]
    }
    case '%': {
      const r = items(2 * Number(line))
      return r && [map(r[0]), r[1]]
    }
    case '~': {
      const r = items(Number(line))
      return r && [set(r[0]), r[1]]
    }
    case '>': {
      const r = items(Number(line))
      return r && [push(r[0]), r[1]]
    }
  }
  throw new Error(`unexpected reply type ${JSON.stringify(t)}`)
}

// ----------------------------------------------------------- the oracle

let proc: ChildProcess | undefined
let port = 0

async function startRedis(): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    port = await freePort()
    const p = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    })
    proc = p
    for (let i = 0; i < 100 && p.exitCode === null; i++) {
      try {
        const c = await Conn.open(port)
        c.send('PING\r\n')
        const r = await c.reply()
        c.close()
        if (r.raw === '+PONG\r\n') return
      } catch {
        await sleep(50)
      }
    }
    if (p.exitCode === null) p.kill('SIGKILL')
  }
  throw new Error('could not start redis-server')
}

async function stopRedis(): Promise<void> {
  const p = proc
  if (!p || p.exitCode !== null) return
  const exited = new Promise<void>((r) => p.once('exit', () => r()))
  p.kill('SIGTERM')
  await Promise.race([exited, sleep(5000)])
  if (p.exitCode === null) p.kill('SIGKILL')
}

/** The replies a server built on RequestDecoder would send, for inputs made of PING and ECHO. */
function simulate(input: Uint8Array, authed: boolean): { data: string; closed: boolean } {
  const d = new RequestDecoder({ maxBulkLen: () => 512 * 1024 * 1024, isAuthenticated: () => authed })
  let out = ''
  // redis-server reads at most 16 KB at a time and parses after each read.
  for (let i = 0; i < input.length; i += 16384) {
    d.feed(input.subarray(i, i + 16384))
    for (;;) {
      const r = d.next()
      if (r === null) break
      if (r instanceof ProtocolError) {
        return { data: out + text(encodeReply(r.toReply(), 2)), closed: true }
      }
      const name = r[0].toLowerCase()
      let reply: Reply
      if (!authed) reply = error('NOAUTH Authentication required.')
      else if (name === 'ping' && r.length <= 2) reply = r.length === 1 ? status('PONG') : bulk(r[1])
      else if (name === 'echo' && r.length === 2) reply = bulk(r[1])
      else if (name === 'ping' || name === 'echo') reply = error(`ERR wrong number of arguments for '${name}' command`)
      else throw new Error(`the simulation only knows PING and ECHO, got ${JSON.stringify(r[0])}`)
      out += text(encodeReply(reply, 2))
    }
  }
  return { data: out, closed: false }
}

async function exchange(input: Uint8Array, expected: { data: string; closed: boolean }): Promise<{ data: string; closed: boolean }> {
  const c = await Conn.open(port)
  c.send(input)
  const r = await c.drain(expected.data.length, expected.closed, 150)
  c.close()
  return r
}

const big = (n: number, c = 'x'): string => c.repeat(n)

const CASES: Array<[string, string]> = [
  ['expected $', '*2\r\n$4\r\nPING\r\nx\r\n'],
  ['expected $, got CR', '*1\r\n\r\n'],
  ['expected $, got LF', '*1\r\n\n\r\n'],
  ['expected $, got a high byte', '*1\r\n\xc3\xa9\r\n'],
  ['bad count', '*a\r\n'],
  ['empty count', '*\r\n'],
  ['count -0', '*-0\r\n'],
  ['count +1', '*+1\r\n'],
  ['count 01', '*01\r\n'],
  ['count with space', '*1 \r\n'],
  ['count over INT_MAX', '*2147483648\r\n'],
  ['count over int64', '*9223372036854775808\r\n'],
  ['count INT_MAX waits', '*2147483647\r\n'],
  ['count over 1M waits', '*1048577\r\n'],
  ['bulk len x', '*1\r\n$x\r\n'],
  ['bulk len -10', '*1\r\n$-10\r\n'],
  ['bulk len -1', '*1\r\n$-1\r\n'],
  ['bulk len -0', '*1\r\n$-0\r\n'],
  ['bulk len 600000000', '*1\r\n$600000000\r\n'],
  ['bulk len 01', '*1\r\n$01\r\n'],
  ['bulk len empty', '*1\r\n$\r\n'],
  ['unbalanced double quote', 'PING "a b\r\n'],
  ['closing quote followed by a char', 'ECHO "a"b\r\n'],
  ['closing single quote followed by a char', "ECHO 'a'b\r\n"],
  ['escapes in double quotes', 'ECHO "\\x41\\x4a\\n\\r\\t\\b\\a\\q\\"\\\\"\r\n'],
  ['bad hex escape', 'ECHO "\\x4g"\r\n'],
  ['escapes in single quotes', "ECHO 'it\\'s \\n'\r\n"],
  ['quotes inside a token', 'ECHO a"b c"\r\n'],
  ['vertical tab inside a token', 'ECHO a\x0bb\r\n'],
  ['high bytes inline', 'ECHO \xe9\xff\r\n'],
  ['too many args inline', 'ECHO a b\r\n'],
  ['ignored requests', '*0\r\n*-1\r\n\r\n   \r\n\n*-5\r\nPING\r\n'],
  ['bytes after a bulk unchecked', '*1\r\n$4\r\nPINGxx'],
  ['byte after header CR unchecked', '*1\rX$4\rXPING\r\n'],
  ['bare LF inline', 'PING\nPING\r\nPING\n'],
  ['commands before an error run first', 'PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO "x y"\r\n*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n'],
  ['incomplete request waits', '*2\r\n$4\r\nECHO\r\n$10\r\nabc'],
  ['NUL hides the newline', 'PING\0\r\n'],
  ['NUL hides the count CR', '*1\0\r\n$4\r\nPING\r\n'],
  ['NUL hides the bulk count CR', '*1\r\n$4\0\r\nPING\r\n'],
  ['inline line over 64 KB', big(70000)],
  ['inline at 64 KB waits', big(65536)],
  ['NUL then 64 KB', 'PING\0\r\n' + big(70000)],
  ['count line over 64 KB', '*' + big(70000, '1')],
  ['bulk count line over 64 KB', '*1\r\n$' + big(70000, '1')],
  ['bulk count line over 64 KB, not $', '*1\r\nx' + big(70000, '1')],
  ['big bulk', multibulk('ECHO', big(100000, 'b')) + 'PING\r\n'],
  ['binary bulk', multibulk('ECHO', Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join(''))],
]

const AUTH_CASES: Array<[string, string]> = [
  ['unauthenticated multibulk length', '*11\r\n'],
  ['10 args allowed', '*10\r\n'],
  ['unauthenticated bulk length', '*1\r\n$16385\r\n'],
  ['16384 bytes allowed', '*1\r\n$16384\r\n'],
  ['invalid count checked first', '*2147483648\r\n'],
  ['invalid bulk length checked first', '*1\r\n$600000000\r\n'],
  ['negative bulk length', '*1\r\n$-1\r\n'],
  ['10 args run (and get NOAUTH)', multibulk('PING', ...'abcdefghi')],
  ['inline requests are not limited', 'PING ' + 'a '.repeat(20) + '\r\n' + 'ECHO ' + big(20000) + '\r\n'],
]

describe.skipIf(!haveRedis)('protocol oracle (redis-server)', () => {
  beforeAll(startRedis)
  afterAll(stopRedis)

  it.each(CASES)('%s', async (_name, input) => {
    const bytes = latin1(input)
    const ours = simulate(bytes, true)
    expect(ours).toEqual(await exchange(bytes, ours))
  })

  describe('unauthenticated client (requirepass set)', () => {
    let admin: Conn
    beforeAll(async () => {
      admin = await Conn.open(port)
      admin.send(multibulk('CONFIG', 'SET', 'requirepass', 'secret'))
      expect((await admin.reply()).raw).toBe('+OK\r\n')
    })
    afterAll(async () => {
      admin.send(multibulk('CONFIG', 'SET', 'requirepass', ''))
      await admin.reply()
      admin.close()
    })

    it.each(AUTH_CASES)('%s', async (_name, input) => {
      const bytes = latin1(input)
      const ours = simulate(bytes, false)
      expect(ours).toEqual(await exchange(bytes, ours))
    })
  })

  describe('encoder: replies parsed from redis-server encode back to the same bytes', () => {
    const scores = ['1.1', '3', '-0', '0', 'inf', '-inf', '1e21', '1e-7', '5e-324', '9007199254740993', '0.1', '1e15', '1e17', '123456.789', '-2.5e-300', '1000000000000000.25']
    const commands: string[][] = [
      ['FLUSHALL'],
      ['PING'],
      ['PING', 'a\r\nb'],
      ['SET', 'k', 'v\xff\x00'],
      ['GET', 'k'],
      ['GET', 'missing'],
      ['INCR', 'k'],
      ['INCRBY', 'n', '-9223372036854775807'],
      ['DECR', 'n'],
      ['ZADD', 'z', ...scores.flatMap((s, i) => [s, 'm' + i])],
      ...scores.map((_s, i) => ['ZSCORE', 'z', 'm' + i]),
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZINCRBY', 'z', '0.1', 'm0'],
      ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
      ['HGETALL', 'h'],
      ['SADD', 's', 'x'],
      ['SMEMBERS', 's'],
      ['BLPOP', 'nolist', '0.01'],
      ['INFO', 'keyspace'],
      ['EVAL', 'return {double=tonumber(ARGV[1])}', '0', '1.1'],
      ['EVAL', 'return {double=0/0}', '0'],
      ['EVAL', 'redis.setresp(3); return true', '0'],
      ['EVAL', 'redis.setresp(3); return false', '0'],
      ['EVAL', "return {1, 'two', {3, {err='ERR nested'}}, {ok='fine'}}", '0'],
      ['EVAL', "return redis.error_reply('custom\\r\\nlines')", '0'],
      ['EVAL', "return redis.status_reply('st\\r\\natus')", '0'],
      ['NOSUCHCOMMAND'],
      ['SUBSCRIBE', 'ch1', 'ch2'],
    ]

    for (const resp of [2, 3] as const) {
      it(`RESP${resp}`, async () => {
        const c = await Conn.open(port)
        try {
          if (resp === 3) {
            c.send(multibulk('HELLO', '3'))
            const hello = await c.reply()
            expect(hello.raw.startsWith('%7\r\n')).toBe(true)
            expect(text(encodeReply(hello.value, 3))).toBe(hello.raw)
          }
          let checked = 0
          for (const cmd of commands) {
            c.send(multibulk(...cmd))
            const n = cmd[0] === 'SUBSCRIBE' ? cmd.length - 1 : 1
            for (let i = 0; i < n; i++) {
              const r = await c.reply()
              expect(text(encodeReply(r.value, resp)), `${cmd.join(' ')} -> ${JSON.stringify(r.raw)}`).toBe(r.raw)
              checked++
            }
          }
          expect(checked).toBeGreaterThan(40)
        } finally {
          c.close()
        }
      })
    }
  })
})
