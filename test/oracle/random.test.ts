// Random command sequences (fast-check) over every implemented key and string
// command, sent to a real redis-server 7.0.15 and to the engine, compared reply
// by reply in RESP2 and RESP3. At least 20,000 commands per protocol per run.
//
// The key space is tiny (a handful of keys over three databases) so commands
// collide: types, TTLs, renames and moves interact the way they do in real use.
import { it } from 'vitest'
import fc from 'fast-check'
import { describeOracle } from '../support/redis-server.ts'
import { typeOnly, unordered, useOracle, replacing, type Normaliser } from '../support/oracle.ts'

const KEYS = ['k1', 'k2', 'k3', '{x}\x00\xff', 'éà']
const SEQUENCES = Number(process.env.GLASSBOX_RANDOM_RUNS ?? 100)
const SEQUENCE_LENGTH = 205 // 100 x 205 = 20,500 commands per protocol

const key = fc.constantFrom(...KEYS)
const intText = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775808', '10000', '9999', '007', ' 1', '-0', '+1', '1e3', ''),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
)
const floatText = fc.oneof(
  fc.constantFrom('0.1', '-0.1', '1.5', '3.0e3', '1e300', '-1e300', 'inf', '-inf', 'nan', '0x10', '1.', '.5', '5e-20', 'abc', ' 1'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
)
const value = fc.oneof(
  intText,
  fc.string({ maxLength: 8 }),
  fc.constantFrom('x'.repeat(44), 'y'.repeat(45), '', '\x00\r\n\xff', 'héllo'),
  fc.uint8Array({ maxLength: 60 }).map((b) => String.fromCharCode(...b)),
)
const smallInt = fc.integer({ min: -10, max: 70 }).map(String)
const offset = fc.oneof(smallInt, fc.constantFrom('-1', '-100', '100', '9223372036854775807', 'x'))
// TTLs end in 5 (seconds) or 500 (ms) so that the normaliser below can bucket
// the remaining time without a boundary falling between two nearby reads.
const seconds = fc.oneof(fc.integer({ min: 1, max: 9999 }).map((n) => String(n * 10 + 5)), fc.constantFrom('0', '-5', 'x', '9223372036854775807'))
const millis = fc.oneof(fc.integer({ min: 1, max: 9999 }).map((n) => String(n * 10000 + 500)), fc.constantFrom('0', '-1', '9223372036854775807'))
const db = fc.constantFrom('0', '1', '2', '16', '-1', 'x')
const expireFlag = fc.constantFrom([], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'XX'], ['GT', 'LT'], ['FOO'])
const pattern = fc.constantFrom('*', 'k*', 'k[12]', '?', '*\xff', '[^k]*', 'k\\1', '*x*')

// One argv per command family; each arbitrary builds the whole vector.
const command: fc.Arbitrary<readonly string[]> = fc.oneof(
  // strings
  fc.tuple(key, value).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, value, fc.subarray(['NX', 'XX', 'GET', 'KEEPTTL'])).map(([k, v, f]) => ['SET', k, v, ...f]),
  fc.tuple(key, value, seconds).map(([k, v, t]) => ['SET', k, v, 'EX', t]),
  fc.tuple(key, value, millis).map(([k, v, t]) => ['SET', k, v, 'PX', t]),
  fc.tuple(key, seconds, value).map(([k, t, v]) => ['SETEX', k, t, v]),
  fc.tuple(key, millis, value).map(([k, t, v]) => ['PSETEX', k, t, v]),
  fc.tuple(key, value).map(([k, v]) => ['SETNX', k, v]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['GETDEL', k]),
  fc.tuple(key, fc.constantFrom([], ['PERSIST'], ['EX', '100005'], ['PX', '100000500'], ['EX', '0'], ['EX', 'x'])).map(([k, o]) => ['GETEX', k, ...o]),
  fc.tuple(key, value).map(([k, v]) => ['GETSET', k, v]),
  fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]),
  key.map((k) => ['STRLEN', k]),
  fc.tuple(key, offset, offset).map(([k, a, b]) => ['GETRANGE', k, a, b]),
  fc.tuple(key, offset, offset).map(([k, a, b]) => ['SUBSTR', k, a, b]),
  fc.tuple(key, fc.constantFrom('0', '1', '5', '-1', '100', 'x'), value).map(([k, o, v]) => ['SETRANGE', k, o, v]),
  key.map((k) => ['INCR', k]),
  key.map((k) => ['DECR', k]),
  fc.tuple(key, intText).map(([k, n]) => ['INCRBY', k, n]),
  fc.tuple(key, intText).map(([k, n]) => ['DECRBY', k, n]),
  fc.tuple(key, floatText).map(([k, n]) => ['INCRBYFLOAT', k, n]),
  fc.array(key, { minLength: 1, maxLength: 4 }).map((ks) => ['MGET', ...ks]),
  fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((ps) => ['MSET', ...ps.flat()]),
  fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((ps) => ['MSETNX', ...ps.flat()]),
  fc.tuple(key, key, fc.constantFrom([], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', '2'])).map(([a, b, o]) => ['LCS', a, b, ...o]),
  // keys
  fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['DEL', ...ks]),
  fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['UNLINK', ...ks]),
  fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['EXISTS', ...ks]),
  fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['TOUCH', ...ks]),
  key.map((k) => ['TYPE', k]),
  fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
  fc.tuple(key, key).map(([a, b]) => ['RENAMENX', a, b]),
  fc.tuple(key, key, fc.constantFrom([], ['REPLACE'], ['DB', '1'], ['DB', '1', 'REPLACE'], ['DB', '99'])).map(([a, b, o]) => ['COPY', a, b, ...o]),
  fc.tuple(key, db).map(([k, d]) => ['MOVE', k, d]),
  fc.tuple(db, db).map(([a, b]) => ['SWAPDB', a, b]),
  db.map((d) => ['SELECT', d]),
  fc.tuple(key, seconds, expireFlag).map(([k, t, f]) => ['EXPIRE', k, t, ...f]),
  fc.tuple(key, millis, expireFlag).map(([k, t, f]) => ['PEXPIRE', k, t, ...f]),
  fc.tuple(key, fc.constantFrom('1', '4102444805', '32503680005', '-1'), expireFlag).map(([k, t, f]) => ['EXPIREAT', k, t, ...f]),
  fc.tuple(key, fc.constantFrom('1', '4102444800500', '-1'), expireFlag).map(([k, t, f]) => ['PEXPIREAT', k, t, ...f]),
  key.map((k) => ['TTL', k]),
  key.map((k) => ['PTTL', k]),
  key.map((k) => ['EXPIRETIME', k]),
  key.map((k) => ['PEXPIRETIME', k]),
  key.map((k) => ['PERSIST', k]),
  fc.tuple(fc.constantFrom('ENCODING', 'REFCOUNT', 'FREQ', 'NOPE'), key).map(([s, k]) => ['OBJECT', s, k]),
  fc.constant(['DBSIZE']),
  pattern.map((p) => ['KEYS', p]),
  fc.tuple(pattern, fc.constantFrom([], ['TYPE', 'string'], ['TYPE', 'list'])).map(([p, t]) => ['SCAN', '0', 'MATCH', p, 'COUNT', '1000', ...t]),
  fc.constant(['RANDOMKEY']),
  fc.constantFrom(['FLUSHDB'], ['FLUSHALL', 'SYNC'], ['FLUSHDB', 'ASYNC']),
  // misc
  fc.constantFrom(['PING'], ['ECHO', 'x'], ['NOSUCHCMD', 'a'], ['GET'], ['SET', 'k1']),
)

// Remaining time depends on when each server read its clock: bucket it. TTLs
// are set to values ending in 5 s / 500 ms (see above), so a read a few ms
// later never crosses a bucket edge (multiples of 100 s / 100,000 ms).
const ttlBucket: Normaliser = replacing(/^:(\d+)\r\n$/, 'ttl', 'remaining time is read at slightly different moments')
function normaliserFor(argv: readonly string[]): Normaliser | undefined {
  switch (argv[0]) {
    case 'TTL':
    case 'EXPIRETIME': // now + a relative TTL: the same bucketing applies
      return Object.assign((raw: string) => raw.replace(/^:(\d+)\r\n$/, (_m, n) => `:~${Math.floor(Number(n) / 100)}\r\n`), { why: ttlBucket.why })
    case 'PTTL':
    case 'PEXPIRETIME':
      return Object.assign((raw: string) => raw.replace(/^:(\d+)\r\n$/, (_m, n) => `:~${Math.floor(Number(n) / 100000)}\r\n`), { why: ttlBucket.why })
    case 'KEYS':
    case 'SCAN':
      // KEYS and a one-call SCAN list a hashtable's keys in bucket order, which depends on the hash seed.
      return argv[0] === 'KEYS' ? unordered : scanUnordered
    case 'RANDOMKEY':
      return typeOnly
    default:
      return undefined
  }
}

// SCAN replies [cursor, [keys...]]: sort the inner key list.
const scanUnordered: Normaliser = Object.assign(
  (raw: string) => {
    const m = /^(\*2\r\n\$\d+\r\n\d+\r\n)(\*(\d+)\r\n)([\s\S]*)$/.exec(raw)
    if (!m) return raw
    const items = m[4].match(/\$\d+\r\n[\s\S]*?\r\n(?=\$|$)/g) ?? []
    return m[1] + m[2] + items.sort().join('')
  },
  { why: 'SCAN lists keys in bucket order, which depends on the hash seed' },
)

for (const resp of [2, 3] as const) {
  describeOracle(`random command sequences (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    it(`${SEQUENCES} sequences of ${SEQUENCE_LENGTH} commands match redis-server`, async () => {
      let total = 0
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: SEQUENCE_LENGTH, maxLength: SEQUENCE_LENGTH }), async (cmds) => {
          const o = oracle()
          await o.run(['FLUSHALL'])
          await o.run(['SELECT', '0'])
          for (const argv of cmds) {
            await o.expectSame(argv, normaliserFor(argv))
            total++
          }
        }),
        { numRuns: SEQUENCES, seed: Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      )
      console.log(`RESP${resp}: ${total} random commands compared`)
    }, 600_000)
  })
}
