// The harness tested on itself: Redis compared with a second redis-server,
// which must agree everywhere except where servers differ by nature.
import { describe, expect, it } from 'vitest'
import {
  OracleMismatch, bulkLengths, createOracle, formatArgv, parseScript, replacing, splitArgs, typeOnly, unordered, unorderedPairs,
  useOracle,
} from './oracle.ts'
import { describeOracle } from './redis-server.ts'

describe('splitArgs (redis-cli rules)', () => {
  it('splits on spaces and honours quotes and escapes', () => {
    expect(splitArgs('  SET  k   v ')).toEqual(['SET', 'k', 'v'])
    expect(splitArgs('SET "a b" \'c d\'')).toEqual(['SET', 'a b', 'c d'])
    expect(splitArgs('ECHO "\\x00\\xff\\r\\n\\t\\"\\\\"')).toEqual(['ECHO', '\x00\xff\r\n\t"\\'])
    expect(splitArgs("ECHO 'it\\'s' \"\"")).toEqual(['ECHO', "it's", ''])
  })
  it('sends text as UTF-8 bytes', () => {
    expect(splitArgs('SET é "€"')).toEqual(['SET', '\xc3\xa9', '\xe2\x82\xac'])
    expect(splitArgs('SET k 😀')).toEqual(['SET', 'k', '\xf0\x9f\x98\x80'])
  })
  it('rejects unbalanced or glued quotes', () => {
    expect(() => splitArgs('SET "a')).toThrow(/unbalanced/)
    expect(() => splitArgs('SET "a"b')).toThrow(/followed by a space/)
  })
})

describe('parseScript', () => {
  it('reads commands, tags and directives with line numbers', () => {
    const steps = parseScript(`
      # a comment
      SET k v
      [c1 unordered] SMEMBERS s
      [frames=2, c2] SUBSCRIBE a b
      [ignore] CLIENT ID
      [c2] .pushes
      .sleep 15
    `)
    expect(steps.map((s) => ({ ...s, normalise: s.normalise?.why }))).toEqual([
      { argv: ['SET', 'k', 'v'], line: 3 },
      { argv: ['SMEMBERS', 's'], line: 4, client: 1, normalise: unordered.why },
      { argv: ['SUBSCRIBE', 'a', 'b'], line: 5, client: 2, frames: 2 },
      { argv: ['CLIENT', 'ID'], line: 6, ignore: true },
      { argv: null, line: 7, client: 2 },
      { argv: null, line: 8, sleepMs: 15 },
    ].map((s) => ({ normalise: undefined, ...s })))
  })
  it('refuses unknown tags and directives', () => {
    expect(() => parseScript('[sorted] SMEMBERS s')).toThrow(/line 1: unknown tag 'sorted'/)
    expect(() => parseScript('\n.wait 5')).toThrow(/line 2: unknown directive/)
  })
})

describe('normalisers', () => {
  it('unordered sorts aggregate elements, map entries by pair', () => {
    expect(unordered('*3\r\n$1\r\nc\r\n$1\r\na\r\n:2\r\n')).toBe('*3\r\n$1\r\na\r\n$1\r\nc\r\n:2\r\n')
    expect(unordered('%2\r\n$1\r\nb\r\n:1\r\n$1\r\na\r\n:2\r\n')).toBe('%2\r\n$1\r\na\r\n:2\r\n$1\r\nb\r\n:1\r\n')
    expect(unordered('~2\r\n:2\r\n:1\r\n+OK\r\n')).toBe('~2\r\n:1\r\n:2\r\n+OK\r\n') // each frame on its own
    expect(unordered('$-1\r\n')).toBe('$-1\r\n')
    // Different members stay different.
    expect(unordered('*2\r\n$1\r\na\r\n$1\r\nb\r\n')).not.toBe(unordered('*2\r\n$1\r\na\r\n$1\r\nc\r\n'))
  })
  it('unorderedPairs keeps field and value together', () => {
    expect(unorderedPairs('*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n')).toBe('*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n1\r\n')
    expect(unorderedPairs('*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n'))
      .not.toBe(unorderedPairs('*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n'))
  })
  it('bulkLengths and typeOnly keep shape', () => {
    expect(bulkLengths('*2\r\n$3\r\nabc\r\n:5\r\n')).toBe('*2\r\n$3\r\n<3 bytes>\r\n:5\r\n')
    expect(bulkLengths('$3\r\nabc\r\n')).toBe(bulkLengths('$3\r\nxyz\r\n'))
    expect(bulkLengths('$3\r\nabc\r\n')).not.toBe(bulkLengths('$4\r\nabcd\r\n'))
    expect(typeOnly('$3\r\nabc\r\n')).toBe('$')
    expect(typeOnly('$-1\r\n')).toBe('$')
    expect(typeOnly('*0\r\n')).toBe('*')
  })
  it('formatArgv quotes what redis-cli would', () => {
    expect(formatArgv(['SET', 'a b', '\x00"', 'x'])).toBe('SET "a b" "\\x00\\"" x')
  })
})

for (const resp of [2, 3] as const) {
  describeOracle(`oracle harness, redis-server vs redis-server (RESP${resp})`, () => {
    const oracle = useOracle({ resp, against: 'redis' })

    it('agrees on deterministic commands, byte for byte', async () => {
      const o = oracle()
      await o.expectSame(['PING'])
      await o.expectSame(['SET', 'k', '\x00\xff\r\n'])
      const r = await o.expectSame(['GET', 'k'])
      expect(r.redis).toBe('$4\r\n\x00\xff\r\n\r\n')
      await o.expectSame(['HSET', 'h', 'f1', 'v1', 'f2', 'v2'])
      const h = await o.expectSame(['HGETALL', 'h'])
      expect(h.redis[0]).toBe(resp === 3 ? '%' : '*')
      await o.expectSame(['GET', 'missing'])
      await o.expectSame(['NOSUCHCOMMAND', 'x'])
    })

    it('fails with a readable diff that shows the command and what came before', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'before', '1'])
      // Each server reports its own port: a difference by nature.
      const err = await o.expectSame(['CONFIG', 'GET', 'port']).then(() => null, (e: unknown) => e)
      expect(err).toBeInstanceOf(OracleMismatch)
      const msg = (err as Error).message
      expect(msg).toContain(`redis#2 differs from redis-server (RESP${resp}, client 0)`)
      expect(msg).toContain('command: CONFIG GET port')
      expect(msg).toMatch(/first difference at byte \d+/)
      expect(msg).toContain(`redis   : ${resp === 3 ? '%1' : '*2'}\\r\\n$4\\r\\nport\\r\\n$5\\r\\n${o.redis.port}\\r\\n`)
      expect(msg).toMatch(/\[c0\] SET before 1$/m)
      // A normaliser that says why makes them equal, and its reason shows if something else still differs.
      const port = replacing(/\$5\r\n\d{5}\r\n/, '$5\r\n<port>\r\n', 'each server listens on its own port')
      await o.expectSame(['CONFIG', 'GET', 'port'], port)
      const err2 = await o.expectSame(['CONFIG', 'GET', 'port'], replacing(/x^/, '', 'matches nothing')).then(() => null, (e: unknown) => e)
      expect((err2 as Error).message).toContain('normalised: matches nothing')
    })

    it('runs scripts with several clients and compares pushes', async () => {
      const o = oracle()
      await o.runScript(`
        FLUSHALL
        SADD s c a b
        [unordered] SMEMBERS s
        [c1 frames=1] SUBSCRIBE news
        [c2] PUBLISH news hello
        ${resp === 3 ? '[c1] .pushes' : '[c1 frames=2] UNSUBSCRIBE'}
        [ignore] CLIENT ID
        SET t 1 PX 20
        .sleep 40
        GET t
      `)
      const c1 = await o.client(1)
      expect(c1.index).toBe(1)
      expect(o.history.some((h) => h.argv?.[0] === 'PUBLISH' && h.client === 2)).toBe(true)
    })

    it('reports the script line of a mismatch', async () => {
      const o = oracle()
      const err = await o.runScript('PING\nCONFIG GET port\n').then(() => null, (e: unknown) => e)
      expect((err as Error).message).toMatch(/^script line 2: redis#2 differs/)
    })

    it('reports a reply that never comes with the command and its history', async () => {
      const o = await createOracle({ resp, against: 'redis' })
      try {
        await o.expectSame(['SET', 'x', '1'])
        const err = await o.run(['CLIENT', 'REPLY', 'OFF'], { timeoutMs: 200 }).then(() => null, (e: unknown) => e)
        expect((err as Error).message).toMatch(/^redis#2 failed on CLIENT REPLY OFF \(RESP\d, client 0\): timed out after 200 ms/)
        expect((err as Error).message).toMatch(/\[c0\] SET x 1$/m)
      } finally {
        await o.close()
      }
    })

    it('type-only and bulk-lengths accept random values of the same shape', async () => {
      const o = oracle()
      await o.expectSame(['MSET', 'a', '1', 'b', '2', 'c', '3'])
      await o.expectSame(['RANDOMKEY'], typeOnly)
      await o.expectSame(['CONFIG', 'GET', 'port'], bulkLengths)
    })
  })
}
