import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  ReplyFramer, RespFramingError, connectRaw, encodeCommand, escapeBytes, frameReply, fromBytes, parseReply,
  splitReplies, toBytes,
} from './resp-conn.ts'
import type { RawConn } from './resp-conn.ts'
import { describeOracle, startRedis } from './redis-server.ts'
import type { RedisProcess } from './redis-server.ts'

const frame = (s: string): number => frameReply(toBytes(s))

// One whole reply of each RESP2/RESP3 type, as servers send them.
const SAMPLES: Record<string, string> = {
  simple: '+OK\r\n',
  error: '-ERR unknown command\r\n',
  integer: ':-42\r\n',
  bulk: '$5\r\nhello\r\n',
  bulkWithCrlfInside: '$4\r\n\r\n\r\n\r\n',
  bulkBinary: '$3\r\n\x00\xff\x80\r\n',
  emptyBulk: '$0\r\n\r\n',
  nullBulk: '$-1\r\n',
  nullArray: '*-1\r\n',
  emptyArray: '*0\r\n',
  array: '*3\r\n:1\r\n$1\r\na\r\n*2\r\n+x\r\n-y\r\n',
  map: '%2\r\n+a\r\n:1\r\n+b\r\n*1\r\n:2\r\n',
  set: '~2\r\n$1\r\na\r\n$1\r\nb\r\n',
  push: '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n',
  double: ',1.5\r\n',
  doubleInf: ',-inf\r\n',
  boolTrue: '#t\r\n',
  null: '_\r\n',
  bigNumber: '(3492890328409238509324850943850943825024385\r\n',
  verbatim: '=15\r\ntxt:Some string\r\n',
  blobError: '!21\r\nSYNTAX invalid syntax\r\n',
  attribute: '|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n',
  nestedDeep: '*1\r\n*1\r\n*1\r\n%1\r\n~1\r\n_\r\n>1\r\n#f\r\n',
}

describe('frameReply', () => {
  for (const [name, raw] of Object.entries(SAMPLES)) {
    it(`frames a whole ${name} reply and nothing more`, () => {
      expect(frame(raw)).toBe(raw.length)
      expect(frame(raw + '+NEXT\r\n')).toBe(raw.length)
      expect(frameReply(toBytes('junk' + raw), 4)).toBe(4 + raw.length)
    })
    it(`waits for more bytes at every cut of a ${name} reply`, () => {
      for (let cut = 0; cut < raw.length; cut++) expect(frame(raw.slice(0, cut)), `cut at ${cut}`).toBe(-1)
    })
  }

  it('respects the end argument', () => {
    const raw = toBytes('$5\r\nhello\r\n')
    expect(frameReply(raw, 0, raw.length - 1)).toBe(-1)
    expect(frameReply(raw, 0, raw.length)).toBe(raw.length)
  })

  it('rejects bytes that are not RESP', () => {
    const bad = [
      'x\r\n', // unknown type
      '$abc\r\n', // bad length
      '$-2\r\n', // negative length
      '$3\r\nabcde\r\n', // payload longer than announced
      '#x\r\n', // boolean other than t/f
      '_x\r\n', // null with payload
      '+OK\rX', // CR without LF
      '+OK\nX', // LF without CR
      '%-1\r\n', // only * and $ have a -1 null
      '=-1\r\n',
      '$?\r\n;3\r\nabc\r\n;0\r\n', // streamed strings are not used by Redis
      '*?\r\n:1\r\n.\r\n',
    ]
    for (const b of bad) expect(() => frame(b), escapeBytes(b)).toThrow(RespFramingError)
  })
})

describe('splitReplies and parseReply', () => {
  it('splits concatenated replies exactly', () => {
    const all = Object.values(SAMPLES)
    expect(splitReplies(all.join(''))).toEqual(all)
  })
  it('refuses a trailing partial reply', () => {
    expect(() => splitReplies('+OK\r\n$5\r\nhel')).toThrow(/incomplete/)
  })
  it('parses trees that keep each node\'s raw bytes', () => {
    const n = parseReply(SAMPLES.map)
    expect(n.type).toBe('%')
    if (n.type !== '%') return
    expect(n.len).toBe(2)
    expect(n.items?.map((i) => i.raw)).toEqual(['+a\r\n', ':1\r\n', '+b\r\n', '*1\r\n:2\r\n'])
    const a = parseReply(SAMPLES.attribute)
    expect(a.type).toBe('|')
    if (a.type !== '|') return
    expect(a.attrs).toHaveLength(2)
    expect(a.value.raw).toBe('*1\r\n:2\r\n')
    expect(parseReply(SAMPLES.nullBulk)).toMatchObject({ type: '$', len: -1, data: null })
    expect(parseReply(SAMPLES.bulkWithCrlfInside)).toMatchObject({ type: '$', data: '\r\n\r\n' })
    expect(() => parseReply('+OK\r\n+OK\r\n')).toThrow(/after the reply/)
  })
})

describe('byte strings', () => {
  it('round-trips all 256 byte values and rejects chars above 255', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))
    expect(fromBytes(toBytes(all))).toBe(all)
    expect(() => toBytes('\u0100')).toThrow(RangeError)
  })
  it('encodes argv as a multibulk with byte lengths', () => {
    expect(fromBytes(encodeCommand(['SET', 'k', '\xe9\r\n']))).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\xe9\r\n\r\n')
    expect(fromBytes(encodeCommand([]))).toBe('*0\r\n')
  })
  it('escapes for display', () => {
    expect(escapeBytes('+OK\r\n\x00\xff\\')).toBe('+OK\\r\\n\\x00\\xff\\\\')
  })
})

// Random RESP trees, encoded the way a server would.
const byteString = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }).map((a) => String.fromCharCode(...a))
const line = fc.array(fc.integer({ min: 32, max: 126 }), { maxLength: 20 }).map((a) => String.fromCharCode(...a))
const respValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    line.map((s) => `+${s}\r\n`),
    line.map((s) => `-${s}\r\n`),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => `:${n}\r\n`),
    byteString.map((s) => `$${s.length}\r\n${s}\r\n`),
    byteString.map((s) => `=${s.length + 4}\r\ntxt:${s}\r\n`),
    byteString.map((s) => `!${s.length}\r\n${s}\r\n`),
    fc.constantFrom('$-1\r\n', '*-1\r\n', '_\r\n', '#t\r\n', '#f\r\n', ',inf\r\n', ',-0.5\r\n', '(12345678901234567890\r\n'),
    fc.tuple(fc.constantFrom('*', '~', '>'), fc.array(tie('v'), { maxLength: 4 })).map(([t, items]) => `${t}${items.length}\r\n${items.join('')}`),
    fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 3 }).map((pairs) => `%${pairs.length}\r\n${pairs.flat().join('')}`),
    fc.tuple(fc.array(fc.tuple(tie('v'), tie('v')), { minLength: 1, maxLength: 2 }), tie('v'))
      .map(([pairs, v]) => `|${pairs.length}\r\n${pairs.flat().join('')}${v}`),
  ),
})).v

describe('ReplyFramer (property)', () => {
  it('recovers the exact replies whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(respValue, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }), (replies, cuts) => {
        const bytes = toBytes(replies.join(''))
        const framer = new ReplyFramer()
        const got: string[] = []
        let pos = 0
        let k = 0
        while (pos < bytes.length) {
          const n = cuts[k++ % cuts.length]
          framer.feed(bytes.subarray(pos, pos + n))
          pos += n
          for (let f = framer.next(); f !== undefined; f = framer.next()) got.push(f)
        }
        expect(got).toEqual(replies)
        expect(framer.pending).toBe(0)
        for (const r of replies) expect(parseReply(r).raw).toBe(r)
      }),
      { numRuns: 300 },
    )
  })

  it('grows its buffer for a reply bigger than the initial 4 KB', () => {
    const big = 'x'.repeat(100_000)
    const framer = new ReplyFramer()
    const raw = toBytes(`+A\r\n$${big.length}\r\n${big}\r\n+B\r\n`)
    for (let i = 0; i < raw.length; i += 1000) framer.feed(raw.subarray(i, i + 1000))
    expect(framer.next()).toBe('+A\r\n')
    expect(framer.next()).toBe(`$${big.length}\r\n${big}\r\n`)
    expect(framer.next()).toBe('+B\r\n')
    expect(framer.next()).toBeUndefined()
  })
})

describeOracle('connectRaw against redis-server', () => {
  let redis: RedisProcess
  let conn: RawConn
  beforeAll(async () => {
    redis = await startRedis(['--enable-debug-command', 'yes'])
    conn = await connectRaw(redis.port)
  })
  afterAll(async () => {
    await conn?.close()
    await redis?.stop()
  })

  it('sends byte strings and reads exact replies', async () => {
    const value = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i)) + '\r\n'
    expect(await conn.call(['SET', 'k', value])).toBe('+OK\r\n')
    expect(await conn.call(['GET', 'k'])).toBe(`$258\r\n${value}\r\n`)
    expect(await conn.call(['GET', 'missing'])).toBe('$-1\r\n')
    expect(await conn.call(['NOSUCH', 'a'])).toBe("-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n")
  })

  it('pipelines: many commands in one write, replies in order', async () => {
    const argvs = Array.from({ length: 500 }, () => ['INCR', 'counter'])
    const replies = await conn.pipeline(argvs)
    expect(replies).toEqual(Array.from({ length: 500 }, (_, i) => `:${i + 1}\r\n`))
  })

  it('reads a multi-megabyte reply split across many packets', async () => {
    const big = 'ab'.repeat(1_500_000)
    await conn.call(['SET', 'big', big])
    expect(await conn.call(['GET', 'big'])).toBe(`$${big.length}\r\n${big}\r\n`)
    const list = Array.from({ length: 20_000 }, (_, i) => String(i))
    await conn.call(['RPUSH', 'l', ...list])
    const r = await conn.call(['LRANGE', 'l', '0', '-1'])
    expect(r).toBe(`*20000\r\n${list.map((x) => `$${x.length}\r\n${x}\r\n`).join('')}`)
  })

  it('sends inline commands with sendRaw', async () => {
    conn.sendRaw('PING\r\nECHO "a b"\r\n')
    expect(await conn.read()).toBe('+PONG\r\n')
    expect(await conn.read()).toBe('$3\r\na b\r\n')
  })

  it('frames every RESP3 type Redis can send (DEBUG PROTOCOL)', async () => {
    const c = await connectRaw(redis.port)
    try {
      expect((await c.call(['HELLO', '3']))[0]).toBe('%')
      // Observed bytes of redis-server 7.0.15, sent back to back in one pipeline.
      const expected: [string, string][] = [
        ['string', '$11\r\nHello World\r\n'],
        ['integer', ':12345\r\n'],
        ['double', ',3.141\r\n'],
        ['bignum', '(1234567999999999999999999999999999999\r\n'],
        ['null', '_\r\n'],
        ['array', '*3\r\n:0\r\n:1\r\n:2\r\n'],
        ['set', '~3\r\n:0\r\n:1\r\n:2\r\n'],
        ['map', '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n'],
        ['attrib', '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n'],
        // A push followed by the command's own reply: the push is set aside.
        ['push', '$40\r\nSome real reply following the push reply\r\n'],
        ['verbatim', '=29\r\ntxt:This is a verbatim\nstring\r\n'],
        ['true', '#t\r\n'],
        ['false', '#f\r\n'],
      ]
      const replies = await c.pipeline(expected.map(([k]) => ['DEBUG', 'PROTOCOL', k]))
      expect(replies).toEqual(expected.map(([, r]) => r))
      expect(c.pushes.splice(0)).toEqual(['>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n'])
      expect(await c.call(['PING'])).toBe('+PONG\r\n')
    } finally {
      await c.close()
    }
  })

  it('sets RESP3 pushes aside and hands them out with readPush', async () => {
    const sub = await connectRaw(redis.port)
    const pub = await connectRaw(redis.port)
    try {
      await sub.call(['HELLO', '3'])
      sub.send(['SUBSCRIBE', 'ch'])
      expect(await sub.readPush()).toBe('>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n')
      expect(await pub.call(['PUBLISH', 'ch', 'hi'])).toBe(':1\r\n')
      // The message arrives before PING's reply and is moved aside.
      expect(await sub.call(['PING'])).toBe('+PONG\r\n')
      expect(sub.pushes).toEqual(['>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n'])
      expect(await sub.readPush()).toBe('>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n')
      await expect(sub.readPush(50)).rejects.toThrow(/timed out/)
    } finally {
      await sub.close()
      await pub.close()
    }
  })

  it('reports a closed connection instead of hanging', async () => {
    const c = await connectRaw(redis.port)
    expect(await c.call(['QUIT'])).toBe('+OK\r\n')
    await c.closed
    await expect(c.read()).rejects.toThrow(/closed/)
  })
})
