import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProtocolError, RequestDecoder, byteString, parseLongLong, splitArgs } from './decoder.ts'

const MB512 = 512 * 1024 * 1024

function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i)
  return b
}

function multibulk(argv: readonly string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')
}

type Out = string[] | string // argv, or "ERR <message>"

interface Opts {
  maxBulkLen?: number
  authed?: boolean
  chunk?: number // feed in pieces of this size, calling next() after each (like Redis's reads)
}

/** Feeds `input` and collects every request; a protocol error ends the list as "ERR ...". */
function decode(input: string | Uint8Array, opts: Opts = {}): { out: Out[]; waiting: boolean } {
  const d = new RequestDecoder({
    maxBulkLen: () => opts.maxBulkLen ?? MB512,
    isAuthenticated: () => opts.authed ?? true,
  })
  const data = typeof input === 'string' ? bytes(input) : input
  const step = opts.chunk ?? Math.max(1, data.length)
  const out: Out[] = []
  for (let i = 0; i < data.length; i += step) {
    d.feed(data.subarray(i, i + step))
    for (;;) {
      const r = d.next()
      if (r === null) break
      if (r instanceof ProtocolError) {
        out.push('ERR ' + r.message)
        return { out, waiting: false }
      }
      out.push(r)
    }
  }
  return { out, waiting: true }
}

/** Same result whether the input arrives whole, byte by byte, or in 7-byte pieces. */
function decodeAllWays(input: string, opts: Opts = {}): Out[] {
  const whole = decode(input, opts).out
  expect(decode(input, { ...opts, chunk: 1 }).out).toEqual(whole)
  expect(decode(input, { ...opts, chunk: 7 }).out).toEqual(whole)
  return whole
}

describe('RequestDecoder: multibulk', () => {
  it('decodes commands, pipelines and binary-safe bulks', () => {
    expect(decodeAllWays('*1\r\n$4\r\nPING\r\n')).toEqual([['PING']])
    expect(decodeAllWays('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n')).toEqual([
      ['SET', 'k', ''],
      ['PING'],
    ])
    let all = ''
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i)
    expect(decodeAllWays(multibulk(['SET', 'k\r\n\0', all]))).toEqual([['SET', 'k\r\n\0', all]])
  })

  it('waits for the complete request, including the two bytes after the last bulk', () => {
    expect(decode('*1\r\n$4\r\nPING').out).toEqual([])
    expect(decode('*1\r\n$4\r\nPING\r').out).toEqual([])
    expect(decode('*1\r\n$4\r\nPING\r\n').out).toEqual([['PING']])
    expect(decode('*2\r\n$4\r\nECHO\r\n').out).toEqual([])
    // count line: '\r' found but the byte after it not yet here
    expect(decode('*1\r').out).toEqual([])
    expect(decode('*1\r\n$4\r').out).toEqual([])
  })

  it('skips the two bytes after a bulk and the byte after a header CR without checking them', () => {
    expect(decodeAllWays('*1\r\n$4\r\nPINGxx')).toEqual([['PING']])
    expect(decodeAllWays('*1\rX$4\rXPING\r\n')).toEqual([['PING']])
  })

  it('ignores *0 and *-N requests', () => {
    expect(decodeAllWays('*0\r\n*-1\r\n*-10\r\n*1\r\n$4\r\nPING\r\n')).toEqual([['PING']])
    expect(decodeAllWays('*-9223372036854775808\r\n*1\r\n$1\r\na\r\n')).toEqual([['a']])
  })

  it("reports expected '$' with the offending byte (CR/LF shown as a space)", () => {
    expect(decodeAllWays('*2\r\n$4\r\nPING\r\nx\r\n')).toEqual(["ERR Protocol error: expected '$', got 'x'"])
    expect(decodeAllWays('*1\r\n\r\n')).toEqual(["ERR Protocol error: expected '$', got ' '"])
    expect(decodeAllWays('*1\r\n\n\r\n')).toEqual(["ERR Protocol error: expected '$', got ' '"])
    expect(decodeAllWays('*1\r\n\xff1\r\n')).toEqual(["ERR Protocol error: expected '$', got '\xff'"])
    // the check comes only once the whole header line is buffered
    expect(decode('*1\r\nx').out).toEqual([])
  })

  it('rejects invalid multibulk counts like string2ll', () => {
    for (const bad of ['*a', '*', '*-0', '*+1', '*01', '* 1', '*1 ', '*2147483648', '*9223372036854775808', '*-9223372036854775809', '*1.0', '*123456789012345678901']) {
      expect(decodeAllWays(bad + '\r\n'), bad).toEqual(['ERR Protocol error: invalid multibulk length'])
    }
    // INT_MAX is accepted (Redis 7.0 checks ll > INT_MAX) and just waits for the bulks
    expect(decode('*2147483647\r\n')).toEqual({ out: [], waiting: true })
  })

  it('rejects invalid bulk lengths', () => {
    for (const bad of ['$x', '$-1', '$-10', '$-0', '$01', '$', '$+5', '$600000000', '$9223372036854775807', '$99999999999999999999']) {
      expect(decodeAllWays(`*1\r\n${bad}\r\n`), bad).toEqual(['ERR Protocol error: invalid bulk length'])
    }
    expect(decode('*1\r\n$536870888\r\n')).toEqual({ out: [], waiting: true })
  })

  it('reads proto-max-bulk-len at each header', () => {
    let max = 3
    const d = new RequestDecoder({ maxBulkLen: () => max })
    d.feed(bytes('*1\r\n$3\r\nabc\r\n*1\r\n$4\r\nabcd\r\n'))
    expect(d.next()).toEqual(['abc'])
    max = 4
    expect(d.next()).toEqual(['abcd'])
    d.feed(bytes('*1\r\n$5\r\nabcde\r\n'))
    const e = d.next()
    expect(e).toBeInstanceOf(ProtocolError)
    expect((e as ProtocolError).message).toBe('Protocol error: invalid bulk length')
  })

  it('limits unauthenticated clients to 10 arguments of 16384 bytes', () => {
    const u = { authed: false }
    expect(decodeAllWays('*11\r\n', u)).toEqual(['ERR Protocol error: unauthenticated multibulk length'])
    expect(decode('*10\r\n', u)).toEqual({ out: [], waiting: true })
    expect(decodeAllWays('*1\r\n$16385\r\n', u)).toEqual(['ERR Protocol error: unauthenticated bulk length'])
    expect(decode('*1\r\n$16384\r\n', u)).toEqual({ out: [], waiting: true })
    // the generic checks come first
    expect(decodeAllWays('*2147483648\r\n', u)).toEqual(['ERR Protocol error: invalid multibulk length'])
    expect(decodeAllWays('*1\r\n$600000000\r\n', u)).toEqual(['ERR Protocol error: invalid bulk length'])
    expect(decodeAllWays('*1\r\n$-1\r\n', u)).toEqual(['ERR Protocol error: invalid bulk length'])
    expect(decode('*1000\r\n').out).toEqual([])
  })

  it('asks isAuthenticated when the header is parsed (AUTH earlier in the pipeline counts)', () => {
    let authed = false
    const d = new RequestDecoder({ maxBulkLen: () => MB512, isAuthenticated: () => authed })
    d.feed(bytes(multibulk(['AUTH', 'pw']) + multibulk(['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'])))
    expect(d.next()).toEqual(['AUTH', 'pw'])
    authed = true
    expect(d.next()).toEqual(['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'])
  })

  it('rejects count lines over 64 KB without CR', () => {
    expect(decode('*' + '1'.repeat(65535)).out).toEqual([]) // 65536 bytes buffered: not yet too big
    expect(decode('*' + '1'.repeat(70000)).out).toEqual(['ERR Protocol error: too big mbulk count string'])
    expect(decode('*1\r\n$' + '1'.repeat(70000)).out).toEqual(['ERR Protocol error: too big bulk count string'])
    // not '$' but no CR either: the size check comes first
    expect(decode('*1\r\nx' + 'y'.repeat(70000)).out).toEqual(['ERR Protocol error: too big bulk count string'])
    // with the CR present the line is parsed, and fails as a number
    expect(decode('*' + '1'.repeat(70000) + '\r\n').out).toEqual(['ERR Protocol error: invalid multibulk length'])
  })

  it('stops at a NUL byte when looking for the end of a header line (strchr)', () => {
    expect(decode('*1\0\r\n$4\r\nPING\r\n')).toEqual({ out: [], waiting: true })
    expect(decode('*1\r\n$4\0\r\nPING\r\n')).toEqual({ out: [], waiting: true })
    expect(decode('*1\0\r\n' + 'x'.repeat(70000)).out).toEqual(['ERR Protocol error: too big mbulk count string'])
  })

  it('is final after a protocol error', () => {
    const d = new RequestDecoder({ maxBulkLen: () => MB512 })
    d.feed(bytes('*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n'))
    expect(d.next()).toEqual(['PING'])
    const e = d.next()
    expect(e).toBeInstanceOf(ProtocolError)
    expect((e as ProtocolError).toReply()).toEqual({ kind: 'error', value: 'ERR Protocol error: invalid multibulk length' })
    d.feed(bytes('*1\r\n$4\r\nPING\r\n'))
    expect(d.next()).toBe(e)
    expect(d.bufferedBytes).toBe(0)
  })

  it('round-trips random argv lists under random chunking', () => {
    const arg = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 300 })
    fc.assert(
      fc.property(
        fc.array(fc.array(arg, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 50 }),
        (cmds, chunk) => {
          const { out, waiting } = decode(cmds.map(multibulk).join(''), { chunk })
          expect(out).toEqual(cmds)
          expect(waiting).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('RequestDecoder: big bulks', () => {
  function pattern(n: number, binary: boolean): string {
    const parts: string[] = []
    for (let i = 0; i < n; i += 4096) {
      let s = ''
      for (let j = i; j < Math.min(n, i + 4096); j++) s += String.fromCharCode(binary ? (j * 131 + 7) & 255 : 97 + (j % 26))
      parts.push(s)
    }
    return parts.join('')
  }

  for (const binary of [false, true]) {
    it(`assembles a ${binary ? 'binary' : 'text'} 1 MB bulk from chunks of any size`, () => {
      const big = pattern(1 << 20, binary)
      const input = multibulk(['SET', 'k', big]) + multibulk(['GET', 'k'])
      for (const chunk of [1 << 30, 65536, 16384, 1000, 3]) {
        if (chunk === 3 && binary) continue // slow; covered by the text variant
        const { out } = decode(input, { chunk })
        expect(out.length).toBe(2)
        expect(out[0][2] === big).toBe(true)
        expect(out[1]).toEqual(['GET', 'k'])
      }
    })
  }

  it('counts a big bulk in progress in bufferedBytes and frees it when done', () => {
    const d = new RequestDecoder({ maxBulkLen: () => MB512 })
    d.feed(bytes('*2\r\n$3\r\nGET\r\n$100000\r\n'))
    expect(d.next()).toBeNull()
    d.feed(new Uint8Array(50000).fill(120))
    expect(d.next()).toBeNull()
    expect(d.bufferedBytes).toBe(50000)
    d.feed(new Uint8Array(50001).fill(120))
    expect(d.next()).toBeNull() // one of the two trailing bytes still missing
    d.feed(bytes('\n*1\r\n$4\r\nPING\r\n'))
    const r = d.next() as string[]
    expect(r[1]).toBe('x'.repeat(100000))
    expect(d.next()).toEqual(['PING'])
    expect(d.bufferedBytes).toBe(0)
  })

  it('refuses bulks longer than a JS string can be', () => {
    expect(decode('*1\r\n$536870889\r\n', { maxBulkLen: 2 ** 40 }).out).toEqual(['ERR Protocol error: invalid bulk length'])
    expect(decode('*1\r\n$536870888\r\n', { maxBulkLen: 2 ** 40 }).waiting).toBe(true)
  })
})

describe('RequestDecoder: inline', () => {
  it('splits inline commands, accepting CRLF or a bare LF', () => {
    expect(decodeAllWays('PING\nPING\r\nset a  b\r\n')).toEqual([['PING'], ['PING'], ['set', 'a', 'b']])
    expect(decodeAllWays('  ECHO \t "a b"  \r\n')).toEqual([['ECHO', 'a b']])
  })

  it('ignores empty and blank lines', () => {
    expect(decodeAllWays('\r\n\n   \r\n\t\nPING\r\n')).toEqual([['PING']])
  })

  it('waits for the newline', () => {
    expect(decode('PING')).toEqual({ out: [], waiting: true })
    expect(decode('PING\r')).toEqual({ out: [], waiting: true })
  })

  it('reports unbalanced quotes', () => {
    expect(decodeAllWays('PING "a b\r\n')).toEqual(['ERR Protocol error: unbalanced quotes in request'])
    expect(decodeAllWays('PING "a"b\r\n')).toEqual(['ERR Protocol error: unbalanced quotes in request'])
  })

  it('rejects more than 64 KB without a newline', () => {
    expect(decode('x'.repeat(65536))).toEqual({ out: [], waiting: true })
    expect(decode('x'.repeat(65537)).out).toEqual(['ERR Protocol error: too big inline request'])
    expect(decode('x'.repeat(100000), { chunk: 16384 }).out).toEqual(['ERR Protocol error: too big inline request'])
    // a NUL hides the newline (strchr), so the line only ever grows
    expect(decode('PING\0\r\n')).toEqual({ out: [], waiting: true })
    expect(decode('PING\0\r\n' + 'PING\r\n'.repeat(11000)).out).toEqual(['ERR Protocol error: too big inline request'])
  })

  it('accepts a long line whose newline arrives in the same read', () => {
    const v = 'a'.repeat(70000)
    expect(decode(`ECHO ${v}\r\n`).out).toEqual([['ECHO', v]])
  })

  it('does not rescan a line that arrives byte by byte (no quadratic cost)', () => {
    const line = 'ECHO ' + 'a'.repeat(60000) + '\r\n'
    const d = new RequestDecoder({ maxBulkLen: () => MB512 })
    const b = bytes(line)
    let got: unknown = null
    for (let i = 0; i < b.length; i++) {
      d.feed(b.subarray(i, i + 1))
      got = d.next()
      if (got !== null) break
    }
    expect(got).toEqual(['ECHO', 'a'.repeat(60000)])
  })
})

describe('splitArgs (sdssplitargs)', () => {
  const cases: Array<[string, string[] | null]> = [
    ['', []],
    ['   ', []],
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ['""', ['']],
    ["''", ['']],
    ['"\\x41\\x4a\\x4A\\xff"', ['AJJ\xff']],
    ['"\\x4g"', ['x4g']],
    ['"\\x4"', ['x4']],
    ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ['\n\r\t\b\x07\\"q']],
    ["'it\\'s'", ["it's"]],
    ["'a\\nb'", ['a\\nb']],
    ["'a\"b'", ['a"b']],
    ['"a\'b"', ["a'b"]],
    ['a"b c"d', null],
    ['a"b c"', ['ab c']],
    ["a'b c' d", ['ab c', 'd']],
    ['"abc', null],
    ['"abc\\', null],
    ["'abc", null],
    ['"a"b', null],
    ["'a'b", null],
    ['"a"\x0bb', ['a', 'b']],
    ['a\x0bb', ['a\x0bb']],
    ['\x0b\x0ca', ['a']],
    ['a\rb', ['a', 'b']],
    ['"a\rb"', ['a\rb']],
    ['\xe9t\xe9 "\xff"', ['\xe9t\xe9', '\xff']],
    ['a\0b c', ['a']],
  ]
  it.each(cases)('%j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected)
  })
})

describe('helpers', () => {
  it('parseLongLong follows string2ll', () => {
    const p = (s: string): number => parseLongLong(bytes(s), 0, s.length)
    expect(p('0')).toBe(0)
    expect(p('-1')).toBe(-1)
    expect(p('12345')).toBe(12345)
    expect(p('9223372036854775807')).toBe(2 ** 63) // nearest double
    expect(p('-9223372036854775808')).toBe(-(2 ** 63))
    expect(p('9007199254740993')).toBe(2 ** 53)
    expect(p('1234567890123456789')).toBe(Number('1234567890123456789'))
    for (const bad of ['', '-', '-0', '00', '01', '+1', ' 1', '1 ', '1a', '9223372036854775808', '-9223372036854775809', '10000000000000000000']) {
      expect(p(bad), bad).toBeNaN()
    }
  })

  it('byteString maps each byte to one char at every size', () => {
    for (const n of [0, 1, 5, 8, 9, 64, 65, 1023, 1024, 5000, 20000]) {
      for (const high of [false, true]) {
        const b = new Uint8Array(n)
        for (let i = 0; i < n; i++) b[i] = high ? (i * 37) & 255 : (i * 37) & 127
        const s = byteString(b, 0, n)
        expect(s.length).toBe(n)
        let ok = true
        for (let i = 0; i < n; i++) if (s.charCodeAt(i) !== b[i]) ok = false
        expect(ok).toBe(true)
      }
    }
  })
})
