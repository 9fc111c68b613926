import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatGeneral, ldFromNumber } from './long-double.ts'
import {
  INT64_MAX,
  INT64_MIN,
  NEEDS_BIGINT,
  incrByFloat,
  isStringEncodableAsInt,
  ld2string,
  ld2stringHuman,
  hincrByFloat,
  ll2string,
  string2d,
  string2l,
  string2ld,
  string2ll,
  string2llNumber,
} from './numbers.ts'

// ---------------------------------------------------------------------------------------
// Integers

/** Straightforward reading of util.c string2ll's contract, used as a reference. */
function referenceString2ll(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21) return null
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null
  const v = BigInt(s)
  return v < INT64_MIN || v > INT64_MAX ? null : v
}

describe('string2ll', () => {
  it('util.c test vectors and edges', () => {
    const cases: Array<[string, bigint | null]> = [
      ['+1', null], [' 1', null], ['1 ', null], ['01', null], ['-1', -1n], ['0', 0n], ['1', 1n], ['99', 99n],
      ['-99', -99n], ['-9223372036854775808', INT64_MIN], ['-9223372036854775809', null],
      ['9223372036854775807', INT64_MAX], ['9223372036854775808', null], ['', null], ['-', null], ['-0', null],
      ['00', null], ['1.0', null], ['1e3', null], ['0x10', null], ['1\u0000', null], ['\u00b9', null],
      ['9007199254740991', 9007199254740991n], ['9007199254740992', 9007199254740992n],
      ['-9007199254740993', -9007199254740993n], ['18446744073709551616', null], ['99999999999999999999', null],
      ['-99999999999999999999', null], ['123456789012345678901', null],
    ]
    for (const [s, v] of cases) {
      expect(string2ll(s), JSON.stringify(s)).toBe(v)
      expect(string2l(s)).toBe(v)
    }
  })

  it('string2llNumber: number within +-(2^53-1), NEEDS_BIGINT beyond, null when invalid', () => {
    expect(string2llNumber('9007199254740991')).toBe(9007199254740991)
    expect(string2llNumber('-9007199254740991')).toBe(-9007199254740991)
    expect(string2llNumber('9007199254740992')).toBe(NEEDS_BIGINT)
    expect(string2llNumber('-9007199254740992')).toBe(NEEDS_BIGINT)
    expect(string2llNumber('9223372036854775807')).toBe(NEEDS_BIGINT)
    expect(string2llNumber('-9223372036854775808')).toBe(NEEDS_BIGINT)
    expect(string2llNumber('9223372036854775808')).toBe(null)
    expect(string2llNumber('-9223372036854775809')).toBe(null)
    expect(string2llNumber('9999999999999999')).toBe(NEEDS_BIGINT) // computed value rounds, still > MAX_SAFE
    expect(string2llNumber('0')).toBe(0)
    expect(Object.is(string2llNumber('0'), 0)).toBe(true)
  })

  it('agrees with the reference on random and structured strings', () => {
    const digitString = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 22 })
    const arb = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789-+ .ex'), maxLength: 24 }),
      digitString,
      digitString.map((d) => '-' + d),
      fc.bigInt({ min: INT64_MIN - 1000n, max: INT64_MAX + 1000n }).map(String),
      fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }).map(String),
    )
    fc.assert(
      fc.property(arb, (s) => {
        const ref = referenceString2ll(s)
        expect(string2ll(s)).toBe(ref)
        const n = string2llNumber(s)
        if (ref === null) expect(n).toBe(null)
        else if (ref >= -BigInt(Number.MAX_SAFE_INTEGER) && ref <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(n).toBe(Number(ref))
        } else expect(n).toBe(NEEDS_BIGINT)
        expect(isStringEncodableAsInt(s)).toBe(ref !== null)
      }),
      { numRuns: 20000, seed: 42 },
    )
  })

  it('ll2string', () => {
    expect(ll2string(0)).toBe('0')
    expect(ll2string(-0)).toBe('0')
    expect(ll2string(-42)).toBe('-42')
    expect(ll2string(INT64_MIN)).toBe('-9223372036854775808')
    expect(ll2string(INT64_MAX)).toBe('9223372036854775807')
  })

  it('isStringEncodableAsInt follows tryObjectEncoding', () => {
    for (const s of ['12345', '-9223372036854775808', '0', '9999', '-1']) expect(isStringEncodableAsInt(s), s).toBe(true)
    for (const s of ['9223372036854775808', ' 1', '01', '1.5', '-0', '+1', '', 'abc']) {
      expect(isStringEncodableAsInt(s), s).toBe(false)
    }
  })
})

// ---------------------------------------------------------------------------------------
// Floats, no server

describe('string2ld / string2d', () => {
  it('accepts and rejects like Redis 7.0 (observed on redis-server 7.0.15)', () => {
    const reject = ['', ' 1', '1 ', '\t1', '1\n', 'nan', '-nan', 'NaN(1)', '1e-5000', '1e4933', '0x', 'abc', '1\u0000',
      '1\u0000abc', '+', '.', '1e', '1.5.', '0x1p', '\u00851']
    for (const s of reject) expect(string2ld(s), JSON.stringify(s)).toBe(null)
    const accept: Array<[string, string]> = [
      ['+.5', '0.5'], ['5.', '5'], ['0x1p3', '8'], ['0x10', '16'], ['-0', '0'], ['1e-4950', '0'], ['inf', 'inf'],
      ['-Infinity', '-inf'], ['3.0', '3'], ['1E2', '100'], ['00012.50', '12.5'],
    ]
    for (const [s, h] of accept) {
      const v = string2ld(s)
      expect(v, s).not.toBe(null)
      expect(ld2stringHuman(v!)).toBe(h)
    }
    // The copy buffer is MAX_LONG_DOUBLE_CHARS (5120) bytes including the terminator.
    expect(string2ld('1.' + '0'.repeat(5117))).not.toBe(null)
    expect(string2ld('1.' + '0'.repeat(5118))).toBe(null)
  })

  it('string2d: strtod rules, no length limit, inf allowed, overflow and total underflow rejected', () => {
    expect(string2d('1.5')).toBe(1.5)
    expect(Object.is(string2d('-0'), -0)).toBe(true)
    expect(string2d('inf')).toBe(Infinity)
    expect(string2d('-INFINITY')).toBe(-Infinity)
    expect(string2d('0x1p-1074')).toBe(5e-324)
    expect(string2d('4e-320')).toBe(4e-320)
    expect(string2d('0x1.0000000001p-1075')).toBe(5e-324)
    expect(string2d('1.' + '0'.repeat(10000))).toBe(1)
    for (const s of ['', ' 1', '1 ', '1e-400', '1e400', '0x1p-1075', 'nan', '1\u0000', '0x1p1024']) {
      expect(string2d(s), JSON.stringify(s)).toBe(null)
    }
  })

  it('ld2string modes', () => {
    const v = string2ld('123456789.123456789')!
    expect(ld2string(v, 'human')).toBe('123456789.12345678899873747')
    expect(ld2string(v, 'auto')).toBe('123456789.12345679')
    expect(ld2string(v, 'hex')).toBe('0xe.b79a2a3f35ba6e7p+23')
    expect(ld2stringHuman(string2ld('-1e-20')!)).toBe('0')
    expect(ld2stringHuman(string2ld('1e300')!)).toBe(
      '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372' +
        '508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382' +
        '947620994540294772781889620606179267611627097410650567187386105690089424915104006144',
    )
    expect(ld2stringHuman(string2ld('0.0001')!)).toBe('0.0001')
    expect(ld2stringHuman(string2ld('0x1p-18')!)).toBe('0.00000381469726562')
    expect(ld2string(string2ld('-inf')!, 'human')).toBe('-inf')
  })

  it('incrByFloat arithmetic and errors (expected replies from redis-server 7.0.15 / glibc)', () => {
    expect(incrByFloat('0.1', '0.2')).toEqual({ ok: true, value: '0.3' })
    expect(incrByFloat('1e300', '-1e300')).toEqual({ ok: true, value: '0' })
    expect(incrByFloat('-1e-20', '0')).toEqual({ ok: true, value: '0' })
    expect(incrByFloat('10.5', '-0.5')).toEqual({ ok: true, value: '10' })
    expect(incrByFloat('3', '4.1')).toEqual({ ok: true, value: '7.1' })
    expect(incrByFloat(null, '0x1p3')).toEqual({ ok: true, value: '8' })
    expect(incrByFloat('1e4932', '1e4932')).toEqual({ ok: false, error: 'nan-or-inf' })
    expect(incrByFloat('inf', '1')).toEqual({ ok: false, error: 'nan-or-inf' })
    expect(incrByFloat(null, 'inf')).toEqual({ ok: false, error: 'nan-or-inf' })
    expect(incrByFloat('', '1')).toEqual({ ok: false, error: 'notfloat', operand: 'current' })
    expect(incrByFloat(' 1', 'x')).toEqual({ ok: false, error: 'notfloat', operand: 'current' })
    expect(incrByFloat('1', 'nan')).toEqual({ ok: false, error: 'notfloat', operand: 'incr' })
    expect(incrByFloat('1', '1e-5000')).toEqual({ ok: false, error: 'notfloat', operand: 'incr' })
  })
})

// ---------------------------------------------------------------------------------------
// Oracle: a real redis-server 7.0

const REDIS_SERVER = '/usr/bin/redis-server'
const haveRedis = existsSync(REDIS_SERVER)
if (!haveRedis && !process.env.CI) {
  console.warn(`numbers.test.ts: ${REDIS_SERVER} not found, skipping the redis-server oracle tests`)
}

type Reply = string // '+OK', '-ERR ...', ':12', '$value', '$<nil>'

/** Minimal pipelining RESP2 client over byte strings (latin1). */
class RespClient {
  private buf: Buffer = Buffer.alloc(0)
  private waiting: Array<(r: Reply) => void> = []
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d])
      this.drain()
    })
  }

  static connect(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection({ host: '127.0.0.1', port })
      sock.once('connect', () => resolve(new RespClient(sock)))
      sock.once('error', reject)
    })
  }

  private drain(): void {
    for (;;) {
      const nl = this.buf.indexOf('\r\n')
      if (nl < 0) return
      const type = String.fromCharCode(this.buf[0]!)
      const line = this.buf.toString('latin1', 1, nl)
      let reply: Reply
      let used: number
      if (type === '$') {
        const n = Number(line)
        if (n < 0) {
          reply = '$<nil>'
          used = nl + 2
        } else {
          if (this.buf.length < nl + 2 + n + 2) return
          reply = '$' + this.buf.toString('latin1', nl + 2, nl + 2 + n)
          used = nl + 2 + n + 2
        }
      } else if (type === '+' || type === '-' || type === ':') {
        reply = type + line
        used = nl + 2
      } else {
        throw new Error(`unexpected reply type ${type}`)
      }
      this.buf = this.buf.subarray(used)
      this.waiting.shift()!(reply)
    }
  }

  /** Send all commands at once and collect the replies in order. */
  pipeline(cmds: string[][]): Promise<Reply[]> {
    const parts: Buffer[] = []
    const replies: Array<Promise<Reply>> = []
    for (const cmd of cmds) {
      parts.push(Buffer.from(`*${cmd.length}\r\n`, 'latin1'))
      for (const a of cmd) parts.push(Buffer.from(`$${a.length}\r\n${a}\r\n`, 'latin1'))
      replies.push(new Promise((resolve) => this.waiting.push(resolve)))
    }
    this.sock.write(Buffer.concat(parts))
    return Promise.all(replies)
  }

  close(): void {
    this.sock.destroy()
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

/** Small deterministic PRNG (mulberry32): the tests must be reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Random number-ish strings: decimals of many sizes and exponents, hex, specials, junk. */
function floatStringGen(r: () => number): () => string {
  const int = (n: number) => Math.floor(r() * n)
  const pick = <T,>(a: readonly T[]): T => a[int(a.length)]!
  const digits = (n: number, nonzeroFirst: boolean) => {
    let o = ''
    for (let i = 0; i < n; i++) o += String(nonzeroFirst && i === 0 ? 1 + int(9) : int(10))
    return o
  }
  const hexDigits = (n: number) => {
    let o = ''
    for (let i = 0; i < n; i++) o += '0123456789abcdefABCDEF'[int(22)]
    return o
  }
  const sign = () => pick(['', '', '', '-', '-', '+'])
  const exponent = () => pick([int(5), int(25), int(25), int(320), 4900 + int(40), int(6000)])
  const specials = ['inf', '-inf', 'Infinity', 'nan', '', ' 1', '1 ', '1\u0000', '-0', '0', '.5', '5.', '0x', '1e', '+-1',
    '1.5.', 'abc', '\u00ff', '1e-4950', '1e4932', '-1e4932', '1.18973149535723176502e+4932', '0.1', '0.2', '1e-20']
  return () => {
    const k = int(20)
    if (k === 0) return pick(specials)
    if (k <= 11) {
      let s = sign() + digits(pick([0, 1, 1, 2, 3, 5, 9, 17, 19, 25]), r() < 0.8)
      if (r() < 0.6) s += '.' + digits(pick([0, 1, 2, 3, 6, 10, 17, 20, 30]), false)
      if (/^[-+]?\.?$/.test(s)) s += String(1 + int(9))
      if (r() < 0.35) s += pick(['e', 'E']) + pick(['', '-', '-', '+']) + exponent()
      return s
    }
    if (k <= 13) {
      let s = sign() + '0x' + hexDigits(pick([1, 2, 4, 8, 16, 17, 20]))
      if (r() < 0.4) s += '.' + hexDigits(pick([1, 3, 16]))
      if (r() < 0.6) s += 'p' + pick(['', '-', '+']) + pick([int(10), int(70), int(1100), int(16500)])
      return s
    }
    if (k <= 15) {
      // Small integers and integer-ish strings: the int encoding path.
      return sign() + String(int(pick([10, 1000, 1e6, 1e15, 2 ** 53])))
    }
    if (k <= 17) {
      // Tiny and huge magnitudes: print as 0, or as hundreds of digits.
      return sign() + (1 + int(9)) + '.' + digits(int(12), false) + 'e' + pick(['-', '']) + pick([18, 20, 25, 300, 308, 1000])
    }
    // Long digit strings, up to and beyond the 5120-byte limit.
    const n = pick([40, 200, 1000, 5000, 5117, 5118, 5200])
    return (sign() + (r() < 0.5 ? '0.' + '0'.repeat(int(30)) : '') + digits(n, true)).slice(0, n)
  }
}

const expectedIncrByFloat = (res: ReturnType<typeof incrByFloat>): Reply =>
  res.ok
    ? '$' + res.value
    : res.error === 'notfloat'
      ? '-ERR value is not a valid float'
      : '-ERR increment would produce NaN or Infinity'

const HINCRBYFLOAT_ERRORS = {
  notfloat: '-ERR value is not a valid float',
  'incr-nan-or-inf': '-ERR value is NaN or Infinity',
  'hash-notfloat': '-ERR hash value is not a float',
  'nan-or-inf': '-ERR increment would produce NaN or Infinity',
} as const

describe.skipIf(!haveRedis && !process.env.CI)('oracle: redis-server 7.0', () => {
  let server: ChildProcess | undefined
  let client: RespClient
  const totals = { incrbyfloat: 0, hincrbyfloat: 0, setEncoding: 0, incrby: 0, zadd: 0 }

  beforeAll(async () => {
    if (!haveRedis) throw new Error(`${REDIS_SERVER} is required when CI is set`)
    const port = await freePort()
    server = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--daemonize', 'no'], { stdio: 'ignore' })
    for (let i = 0; ; i++) {
      try {
        client = await RespClient.connect(port)
        const [pong] = await client.pipeline([['PING']])
        if (pong === '+PONG') break
      } catch {
        // not listening yet
      }
      if (i > 100) throw new Error('redis-server did not start')
      await new Promise((res) => setTimeout(res, 50))
    }
  })

  afterAll(() => {
    client?.close()
    if (server?.pid !== undefined) process.kill(server.pid, 'SIGTERM')
    console.log('numbers oracle totals (replies compared):', JSON.stringify(totals))
  })

  it('INCRBYFLOAT: thousands of random sequences, every reply identical', async () => {
    const r = rng(20240607)
    const gen = floatStringGen(r)
    const SEQUENCES = 3000
    const cmds: string[][] = [['FLUSHALL']]
    const expected: Reply[] = ['+OK']
    for (let k = 0; k < SEQUENCES; k++) {
      const key = `ibf:${k}`
      let current: string | null = null
      if (r() < 0.6) {
        current = gen()
        cmds.push(['SET', key, current])
        expected.push('+OK')
      }
      const steps = 1 + Math.floor(r() * 15)
      for (let j = 0; j < steps; j++) {
        // Mostly valid increments, so sequences actually accumulate.
        let incr = gen()
        while (r() < 0.8 && string2ld(incr) === null) incr = gen()
        const res = incrByFloat(current, incr)
        if (res.ok) current = res.value
        cmds.push(['INCRBYFLOAT', key, incr])
        expected.push(expectedIncrByFloat(res))
      }
      cmds.push(['GET', key])
      expected.push(current === null ? '$<nil>' : '$' + current)
    }
    const got = await client.pipeline(cmds)
    const mismatches: string[] = []
    for (let i = 0; i < cmds.length; i++) {
      if (got[i] !== expected[i]) {
        mismatches.push(`${JSON.stringify(cmds[i]).slice(0, 300)} got ${got[i]!.slice(0, 200)} want ${expected[i]!.slice(0, 200)}`)
      }
    }
    totals.incrbyfloat += cmds.length
    expect(mismatches.slice(0, 10)).toEqual([])
    expect(cmds.length).toBeGreaterThan(20000)
  }, 300_000) // huge values (4900-digit replies) make the model's side slow-ish

  it('HINCRBYFLOAT: increment checked first (incl. inf), stored field second', async () => {
    const r = rng(7)
    const gen = floatStringGen(r)
    const cmds: string[][] = [['DEL', 'h']]
    const expected: Reply[] = [':0']
    const h = new Map<string, string>()
    for (let i = 0; i < 3000; i++) {
      const field = 'f' + Math.floor(r() * 50)
      if (r() < 0.2) {
        const v = gen()
        cmds.push(['HSET', 'h', field, v])
        expected.push(h.has(field) ? ':0' : ':1')
        h.set(field, v)
        continue
      }
      const incr = gen()
      cmds.push(['HINCRBYFLOAT', 'h', field, incr])
      const res = hincrByFloat(h.get(field) ?? null, incr)
      if (res.ok) h.set(field, res.value)
      expected.push(res.ok ? '$' + res.value : HINCRBYFLOAT_ERRORS[res.error])
    }
    const got = await client.pipeline(cmds)
    totals.hincrbyfloat += cmds.length
    const bad = cmds.flatMap((c, i) => (got[i] === expected[i] ? [] : [`${JSON.stringify(c).slice(0, 200)} got ${got[i]} want ${expected[i]}`]))
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('string2ll: OBJECT ENCODING after SET, and INCRBY argument parsing', async () => {
    const r = rng(99)
    const gen = floatStringGen(r)
    const ints = (): string => {
      const k = Math.floor(r() * 6)
      if (k === 0) return gen()
      if (k === 1) return String(INT64_MAX - BigInt(Math.floor(r() * 3))) + (r() < 0.3 ? '0' : '')
      if (k === 2) return String(INT64_MIN + BigInt(Math.floor(r() * 3)) - (r() < 0.5 ? 1n : 0n))
      if (k === 3) return (r() < 0.5 ? '-' : '') + '0'.repeat(Math.floor(r() * 3)) + String(Math.floor(r() * 1e6))
      if (k === 4) return String(BigInt(Math.floor(r() * 2 ** 53)) * BigInt(Math.floor(r() * 2048)) * (r() < 0.5 ? -1n : 1n))
      return ['', '-', '+5', ' 5', '5 ', '-0', '0', '00', '1e3', '9223372036854775808', '-9223372036854775809'][Math.floor(r() * 11)]!
    }
    const cmds: string[][] = []
    const expected: Reply[] = []
    for (let i = 0; i < 4000; i++) {
      const s = ints()
      if (s.length > 44) continue // embstr vs raw is not this module's business
      cmds.push(['SET', 'e', s], ['OBJECT', 'ENCODING', 'e'])
      expected.push('+OK', isStringEncodableAsInt(s) ? '$int' : '$embstr')
      cmds.push(['SET', 'n', '0'], ['INCRBY', 'n', s])
      const v = string2ll(s)
      expected.push('+OK', v === null ? '-ERR value is not an integer or out of range' : ':' + ll2string(v))
      cmds.push(['SET', 'n', s], ['INCRBY', 'n', '0'])
      expected.push('+OK', v === null ? '-ERR value is not an integer or out of range' : ':' + ll2string(v))
    }
    const got = await client.pipeline(cmds)
    totals.setEncoding += cmds.length / 3
    totals.incrby += (cmds.length * 2) / 3
    const bad = cmds.flatMap((c, i) => (got[i] === expected[i] ? [] : [`${JSON.stringify(c)} got ${got[i]} want ${expected[i]}`]))
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('string2d: ZADD accepts exactly what Redis accepts, ZSCORE shows the same double', async () => {
    const r = rng(1234)
    const gen = floatStringGen(r)
    // Constructed inputs that hit glibc's subnormal rounding quirk (see long-double.ts).
    const dec = (num: bigint, e2: number): string => {
      const t = (num * 5n ** BigInt(-e2)).toString().padStart(-e2 + 1, '0')
      return t.slice(0, t.length + e2) + '.' + t.slice(t.length + e2)
    }
    const quirk = [dec(0x20000000000003n, -1076), dec(0x20000004000001n, -1101), '0x20000000000003p-1076',
      '0x20000004000001p-1101', dec(0x20000000000001n, -1076)]
    // Skiplist encoding keeps the parsed double as is. (A listpack zset stores a score that
    // double2ll accepts as an integer, so -0 would read back as 0: not string2d's doing.)
    const cmds: string[][] = [['DEL', 'z'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '0']]
    const expected: Reply[] = [':0', '+OK']
    const inputs = [...quirk, ...Array.from({ length: 6000 }, gen)]
    inputs.forEach((s, i) => {
      const v = string2d(s)
      // A fresh member each time: re-adding an equal score (0 vs -0) would keep the old one.
      cmds.push(['ZADD', 'z', s, 'm' + i])
      if (v === null) {
        expected.push('-ERR value is not a valid float')
        return
      }
      expected.push(':1')
      cmds.push(['ZSCORE', 'z', 'm' + i])
      // addReplyDouble prints "%.17g"; %.17Lg of the same exact value gives the same text.
      expected.push('$' + (Number.isFinite(v) ? formatGeneral(ldFromNumber(v), 17) : v > 0 ? 'inf' : '-inf'))
    })
    const got = await client.pipeline(cmds)
    totals.zadd += cmds.length
    const bad = cmds.flatMap((c, i) =>
      got[i] === expected[i] ? [] : [`${JSON.stringify(c).slice(0, 120)} got ${got[i]?.slice(0, 80)} want ${expected[i]?.slice(0, 80)}`],
    )
    expect(bad.slice(0, 10)).toEqual([])
  })
})
