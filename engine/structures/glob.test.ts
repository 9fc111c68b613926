import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import net from 'node:net'
import { globMatch } from './glob.ts'

describe('globMatch: Redis stringmatchlen semantics', () => {
  // [pattern, string, expected, nocase?]
  const cases: [string, string, boolean, boolean?][] = [
    ['', '', true],
    ['', 'a', false],
    ['a', '', false],
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['ab', 'abc', false],
    // star
    ['*', 'anything', true],
    ['*', '', false], // the empty string matches only the empty pattern
    ['**', '', false],
    ['a*', 'a', true],
    ['a**', 'a', true],
    ['a*b', 'ab', true],
    ['a*b', 'axxxb', true],
    ['a*b', 'axxxbc', false],
    ['*b', 'b', true],
    ['*.png', 'cdn/logo.png', true],
    ['h*llo*', 'hello world', true],
    ['*a*b*c*', 'xaybzc', true],
    ['*a*b*c*', 'xaycbz', false],
    // question mark
    ['?', 'a', true],
    ['?', '', false],
    ['?', 'ab', false],
    ['h?llo', 'hallo', true],
    ['h?llo', 'hllo', false],
    ['??', '\x00\xff', true],
    // classes
    ['h[ae]llo', 'hello', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[a-b]llo', 'hcllo', false],
    ['h[b-a]llo', 'hallo', true], // reversed range is swapped
    // '[a-]' is the range ']'..'a' (the ']' is taken as the bound) and the
    // class is left unterminated (checked against redis-server KEYS).
    ['[a-]', '-', false],
    ['[a-]', '_', true],
    ['[a-]', 'b', false],
    ['[-a]', '-', true],
    ['[]', ']', false], // ']' right after '[' closes an empty class
    ['[]a]', ']', false],
    ['[]a]', 'a', false],
    ['[^]', 'x', true], // empty negated class matches any byte
    ['[', 'a', false], // no closing ']': class runs to the end, here empty
    ['[a', 'a', true],
    ['[abc', 'c', true],
    ['[abc', 'd', false],
    ['[^', 'x', true],
    ['x[a', 'xa', true],
    ['[\\]]', ']', true], // escaped ']' inside a class
    ['[\\-a]', '-', true],
    ['[\\', '\\', true], // a trailing backslash inside a class is literal
    ['[a\\', '\\', true],
    ['[*]', '*', true],
    ['[?]', 'a', false],
    // escapes
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['\\?', '?', true],
    ['\\[a]', '[a]', true],
    ['a\\', 'a\\', true], // trailing backslash matches a backslash
    ['a\\', 'a', false],
    ['\\\\', '\\', true],
    ['\\a', 'a', true],
    // signed char ranges: bytes >= 0x80 compare below 0x00
    ['[a-\xff]', 'b', false], // range is [-1, 97] as signed chars
    ['[a-\xff]', '\x01', true],
    ['[a-\xff]', '\xfe', false],
    ['[\x80-\xff]', '\x90', true],
    ['[\x00-\x7f]', '\x80', false],
    // nocase
    ['HELLO', 'hello', false],
    ['HELLO', 'hello', true, true],
    ['h[A-C]llo', 'hbllo', true, true],
    ['h[a-c]llo', 'hBllo', true, true],
    ['[Z-a]', 'z', false, true], // bounds are folded after the swap: [z..a] is empty
    ['[Z-a]', '_', true, false],
    ['[^A]', 'a', false, true],
    ['\\A', 'a', true, true],
    ['[\\A]', 'a', false, true], // escaped class members compare exactly
    ['\xc9', '\xe9', false, true], // only A-Z fold (C locale)
    // a string used up: trailing stars may still match
    ['a*', 'a', true],
    ['a*?', 'a', false],
    ['a*\\', 'a', false],
  ]
  it.each(cases)('%j vs %j -> %s (nocase %s)', (pattern, str, expected, nocase = false) => {
    expect(globMatch(pattern, str, nocase)).toBe(expected)
  })

  it('cuts pathological backtracking short (skipLongerMatches)', () => {
    const t = process.hrtime.bigint()
    expect(globMatch('a*'.repeat(40) + 'b', 'a'.repeat(400))).toBe(false)
    expect(globMatch('*a'.repeat(50) + '*b', 'a'.repeat(1000))).toBe(false)
    expect(globMatch('*?'.repeat(50) + 'x', 'y'.repeat(500))).toBe(false)
    expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(2000)
  })

  it('gives up beyond 1000 nested stars, like Redis 7.0.10+', () => {
    const s = 'a'.repeat(1001)
    expect(globMatch('*a'.repeat(1000), s)).toBe(true)
    expect(globMatch('*a'.repeat(1001), s)).toBe(false)
  })

  it('agrees with a naive exponential matcher on short inputs (no nesting limit hit)', () => {
    // Independent reference: plain recursive glob over positions, same
    // class/escape rules (ranges on signed bytes), no pruning.
    const schar = (c: number): number => ((c & 0xff) << 24) >> 24
    const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c)
    function naive(p: string, s: string, nocase: boolean): boolean {
      // The C loop never runs on an empty string: only '' matches it.
      if (s.length === 0) return p.length === 0
      return step(p, 0, s, 0, nocase)
    }
    function step(p: string, pi: number, s: string, si: number, nocase: boolean): boolean {
      if (pi === p.length) return si === s.length
      if (si === s.length) {
        // The string ran out after consuming a byte: only stars may remain.
        for (let i = pi; i < p.length; i++) if (p[i] !== '*') return false
        return true
      }
      const c = p[pi]
      if (c === '*') {
        let q = pi
        while (q + 1 < p.length && p[q + 1] === '*') q++
        if (q + 1 === p.length) return true
        for (let k = si; k < s.length; k++) if (step(p, q + 1, s, k, nocase)) return true
        return false
      }
      if (c === '?') return step(p, pi + 1, s, si + 1, nocase)
      if (c === '[') {
        let q = pi + 1
        const not = p[q] === '^'
        if (not) q++
        let match = false
        const sc = s.charCodeAt(si)
        for (;;) {
          const left = p.length - q
          if (left >= 2 && p[q] === '\\') {
            q++
            if (p.charCodeAt(q) === sc) match = true
            q++
          } else if (left > 0 && p[q] === ']') {
            q++
            break
          } else if (left === 0) {
            break
          } else if (left >= 3 && p[q + 1] === '-') {
            let a = schar(p.charCodeAt(q))
            let b = schar(p.charCodeAt(q + 2))
            let x = schar(sc)
            if (a > b) [a, b] = [b, a]
            if (nocase) [a, b, x] = [lower(a), lower(b), lower(x)]
            if (x >= a && x <= b) match = true
            q += 3
          } else {
            const pc = p.charCodeAt(q)
            if (nocase ? lower(pc) === lower(sc) : pc === sc) match = true
            q++
          }
        }
        if (not) match = !match
        return match && step(p, q, s, si + 1, nocase)
      }
      let q = pi
      if (c === '\\' && p.length - pi >= 2) q++
      const pc = p.charCodeAt(q)
      const sc = s.charCodeAt(si)
      if (nocase ? lower(pc) !== lower(sc) : pc !== sc) return false
      return step(p, q + 1, s, si + 1, nocase)
    }
    const ch = (chars: string): fc.Arbitrary<string> => fc.constantFrom(...chars.split(''))
    const alphabet = 'abAB-^[]*?\\\x00\x80\xff'
    fc.assert(
      fc.property(
        fc.array(ch(alphabet), { maxLength: 8 }).map((a) => a.join('')),
        fc.array(ch('abAB-^[]*?\\\x00\x80\xff'), { maxLength: 6 }).map((a) => a.join('')),
        fc.boolean(),
        (p, s, nocase) => {
          expect(globMatch(p, s, nocase)).toBe(naive(p, s, nocase))
        },
      ),
      { numRuns: 20000 },
    )
  })
})

// ---- differential test against a real redis-server -------------------------

const haveRedis = spawnSync('redis-server', ['--version']).status === 0
if (!haveRedis && process.env.CI) throw new Error('redis-server is required in CI')
if (!haveRedis) console.warn('glob.test.ts: redis-server not found, skipping the differential tests')

type RespValue = string | number | null | RespValue[] | Error

// Minimal RESP2 client over latin1 (byte strings), pipelined.
class MiniClient {
  private buf = ''
  private waiting: ((v: RespValue) => void)[] = []
  private constructor(private readonly sock: net.Socket) {
    sock.setEncoding('latin1')
    sock.on('data', (d: string) => {
      this.buf += d
      for (;;) {
        const r = parse(this.buf, 0)
        if (r === null) break
        this.buf = this.buf.slice(r[1])
        this.waiting.shift()?.(r[0])
      }
    })
  }

  static connect(port: number): Promise<MiniClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(new MiniClient(sock)))
      sock.once('error', reject)
    })
  }

  send(cmds: string[][]): Promise<RespValue[]> {
    const ps = cmds.map((): Promise<RespValue> => new Promise((resolve) => this.waiting.push(resolve)))
    let out = ''
    for (const c of cmds) {
      out += `*${c.length}\r\n`
      for (const a of c) out += `$${a.length}\r\n${a}\r\n`
    }
    this.sock.write(Buffer.from(out, 'latin1'))
    return Promise.all(ps)
  }

  close(): void {
    this.sock.destroy()
  }
}

function parse(b: string, i: number): [RespValue, number] | null {
  const eol = b.indexOf('\r\n', i)
  if (eol < 0) return null
  const t = b[i]
  const line = b.slice(i + 1, eol)
  const next = eol + 2
  if (t === '+') return [line, next]
  if (t === '-') return [new Error(line), next]
  if (t === ':') return [Number(line), next]
  if (t === '$') {
    const n = Number(line)
    if (n < 0) return [null, next]
    if (b.length < next + n + 2) return null
    return [b.slice(next, next + n), next + n + 2]
  }
  if (t === '*') {
    const n = Number(line)
    if (n < 0) return [null, next]
    const arr: RespValue[] = []
    let j = next
    for (let k = 0; k < n; k++) {
      const r = parse(b, j)
      if (r === null) return null
      arr.push(r[0])
      j = r[1]
    }
    return [arr, j]
  }
  throw new Error(`bad RESP type ${JSON.stringify(t)}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

describe.skipIf(!haveRedis)('globMatch vs redis-server 7.0 (KEYS, COMMAND LIST FILTERBY PATTERN)', () => {
  let server: ChildProcess | undefined
  let client: MiniClient

  beforeAll(async () => {
    const port = await freePort()
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    })
    for (let attempt = 0; ; attempt++) {
      try {
        client = await MiniClient.connect(port)
        const [pong] = await client.send([['PING']])
        if (pong === 'PONG') break
      } catch (err) {
        if (attempt > 100) throw err
        await new Promise((r) => setTimeout(r, 50))
      }
    }
  })

  afterAll(() => {
    client?.close()
    if (server?.pid !== undefined) process.kill(server.pid, 'SIGKILL')
  })

  it('KEYS agrees on random patterns over a fixed binary key set', async () => {
    const keyAlphabet = ['a', 'b', 'A', '-', '^', '[', ']', '*', '?', '\\', '\x00', '\x01', '\x80', '\xe9', '\xff']
    const keys = new Set<string>(['', 'a', 'ab', 'abc', 'hello', 'hallo', 'hxllo', '[a]', 'a\\', '\\', '*', '?'])
    const gen = fc.array(fc.constantFrom(...keyAlphabet), { maxLength: 5 }).map((a) => a.join(''))
    for (const k of fc.sample(gen, { numRuns: 300, seed: 42 })) keys.add(k)
    const setup: string[][] = [['FLUSHALL']]
    for (const k of keys) setup.push(['SET', k, '1'])
    await client.send(setup)

    const patAlphabet = [...keyAlphabet, '*', '*', '?', '[', ']', '-', '^', '\\', 'c', 'z']
    const patterns = new Set<string>(['*', '', '[', '\\', '[^', '[]', '[\\', 'a*', '*a', '[a-\xff]', '[\xff-a]'])
    const pgen = fc.array(fc.constantFrom(...patAlphabet), { maxLength: 9 }).map((a) => a.join(''))
    for (const p of fc.sample(pgen, { numRuns: 3000, seed: 7 })) patterns.add(p)
    const list = [...patterns]
    const replies = await client.send(list.map((p) => ['KEYS', p]))
    const mismatches: string[] = []
    list.forEach((p, i) => {
      const got = new Set(replies[i] as string[])
      // KEYS answers a bare '*' without the matcher (db.c keysCommand).
      const want = new Set([...keys].filter((k) => p === '*' || globMatch(p, k)))
      const same = got.size === want.size && [...got].every((k) => want.has(k))
      if (!same) mismatches.push(JSON.stringify(p))
    })
    expect(mismatches).toEqual([])
  })

  it('KEYS agrees on pathological and deeply nested patterns', async () => {
    const long = 'a'.repeat(1001)
    await client.send([['FLUSHALL'], ['SET', long, '1'], ['SET', 'a'.repeat(400), '1'], ['SET', 'ab', '1']])
    const patterns = [
      '*a'.repeat(1000),
      '*a'.repeat(1001),
      'a*'.repeat(40) + 'b',
      '*a'.repeat(50) + '*b',
      '*?'.repeat(30) + 'x',
      '*' + '?'.repeat(1000),
    ]
    const replies = await client.send(patterns.map((p) => ['KEYS', p]))
    const keys = [long, 'a'.repeat(400), 'ab']
    patterns.forEach((p, i) => {
      const got = new Set(replies[i] as string[])
      const want = new Set(keys.filter((k) => globMatch(p, k)))
      expect(got, `pattern ${p.slice(0, 20)}... (${p.length} bytes)`).toEqual(want)
    })
  })

  it('nocase agrees with COMMAND LIST FILTERBY PATTERN (case-insensitive stringmatchlen)', async () => {
    const [all] = await client.send([['COMMAND', 'LIST']])
    const names = all as string[]
    expect(names.length).toBeGreaterThan(200)
    expect(names).toContain('config|get')
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    const mutate = fc.tuple(fc.constantFrom(...names), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 9 }), fc.nat()), { maxLength: 4 })).map(
      ([name, edits]) => {
        let p = name
        for (const [pos, kind, r] of edits) {
          const i = p.length === 0 ? 0 : pos % p.length
          const x = letters[r % 26]
          const ins = [
            p[i]?.toUpperCase() ?? '',
            '?',
            '*',
            `[${x}-${letters[(r >> 5) % 26].toUpperCase()}]`,
            `[^${x}]`,
            `[${x.toUpperCase()}${p[i] ?? ''}]`,
            '\\' + (p[i] ?? ''),
            `[${letters[(r >> 5) % 26]}-${x}]`,
            '',
            '[' + x,
          ][kind]
          p = p.slice(0, i) + ins + p.slice(i + 1)
        }
        return p
      },
    )
    const random = fc.array(fc.constantFrom(...'aceglnorstuxACEGLNORSTUX|*?[]^-\\'.split('')), { maxLength: 7 }).map((a) => a.join(''))
    const patterns = [...new Set([...fc.sample(mutate, { numRuns: 1500, seed: 3 }), ...fc.sample(random, { numRuns: 1500, seed: 4 })])]
    const replies = await client.send(patterns.map((p) => ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', p]))
    const mismatches: string[] = []
    let nonEmpty = 0
    patterns.forEach((p, i) => {
      const got = new Set(replies[i] as string[])
      if (got.size > 0 && got.size < names.length) nonEmpty++
      const want = names.filter((n) => globMatch(p, n, true))
      if (got.size !== want.length || !want.every((n) => got.has(n))) mismatches.push(JSON.stringify(p))
    })
    expect(mismatches).toEqual([])
    expect(nonEmpty).toBeGreaterThan(200) // the patterns actually discriminate
  })
})
