// MULTI / EXEC / DISCARD / WATCH / UNWATCH against a real redis-server 7.0.15,
// byte for byte in RESP2 and RESP3: queueing and its errors, EXEC's array
// (errors inside it, RESP3 types inside it), WATCH races between clients,
// watched keys that expire, FLUSHDB / FLUSHALL / SWAPDB, commandstats; then
// random interleavings of three clients.
import { it } from 'vitest'
import fc from 'fast-check'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, type Normaliser } from '../support/oracle.ts'

// Command durations differ between the two servers (and with them the bulk length); calls,
// rejected and failed counts must not. The lines come in the order of Redis's command dict,
// a hashtable with a random seed, so they are sorted.
const commandstats: Normaliser = Object.assign(
  (raw: string) => {
    const m = /^([$=])\d+\r\n([\s\S]*)\r\n$/.exec(raw)
    if (!m) return raw
    const lines = m[2].replace(/usec=\d+,usec_per_call=[\d.]+/g, 'usec=?').split('\r\n')
    return `${m[1]}?\r\n${lines.filter((l) => !l.startsWith('cmdstat_')).join('|')}|${lines.filter((l) => l.startsWith('cmdstat_')).sort().join('|')}`
  },
  { why: 'command durations are measured times; commandstats lines follow the order of a seeded hashtable' },
)

const KEYS = ['k1', 'k2', 'k3', '\x00\xff']
const SEQUENCES = Number(process.env.GLASSBOX_TX_RUNS ?? 100)
const SEQUENCE_LENGTH = 200 // 100 x 200 = 20,000 commands per protocol, over 3 clients

const key = fc.constantFrom(...KEYS)
const value = fc.oneof(fc.constantFrom('1', '-5', '10', 'x', '', '9223372036854775807'), fc.integer({ min: -3, max: 30 }).map(String))
const keys = fc.array(key, { minLength: 1, maxLength: 3 })

// What one client sends. Transaction commands are weighted up so that
// transactions open, collide with other clients' writes and close often.
const txCommand: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string[]>(['MULTI']) },
  { weight: 4, arbitrary: fc.constant<string[]>(['EXEC']) },
  { weight: 1, arbitrary: fc.constant<string[]>(['DISCARD']) },
  { weight: 4, arbitrary: keys.map((ks) => ['WATCH', ...ks]) },
  { weight: 1, arbitrary: fc.constant<string[]>(['UNWATCH']) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string[]>(['EXEC', 'x'], ['DISCARD', 'x'], ['WATCH'], ['MULTI', 'x'], ['UNWATCH', 'x'], ['NOSUCH', 'a'], ['SET', 'k1']),
  },
  { weight: 6, arbitrary: fc.tuple(key, value).map(([k, v]) => ['SET', k, v]) },
  { weight: 3, arbitrary: key.map((k) => ['GET', k]) },
  { weight: 3, arbitrary: key.map((k) => ['INCR', k]) },
  { weight: 2, arbitrary: fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]) },
  { weight: 2, arbitrary: keys.map((ks) => ['DEL', ...ks]) },
  { weight: 1, arbitrary: keys.map((ks) => ['EXISTS', ...ks]) },
  { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]) => ['SETNX', k, v]) },
  { weight: 1, arbitrary: fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]) },
  { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('100', '0', '-1', 'x')).map(([k, t]) => ['EXPIRE', k, t]) },
  { weight: 1, arbitrary: key.map((k) => ['PERSIST', k]) },
  { weight: 1, arbitrary: key.map((k) => ['TTL', k]) },
  { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('0', '1')).map(([k, d]) => ['MOVE', k, d]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['SELECT', '0'], ['SELECT', '1'], ['SWAPDB', '0', '1'], ['FLUSHDB'], ['FLUSHALL'], ['DBSIZE'], ['PING']) },
)
const step = fc.tuple(fc.integer({ min: 0, max: 2 }), txCommand)

for (const resp of [2, 3] as const) {
  describeOracle(`transactions (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it('MULTI, queueing, EXEC and DISCARD', async () => {
      await oracle().runScript(`
        FLUSHALL
        EXEC
        DISCARD
        MULTI
        MULTI
        SET k 1
        INCR k
        GET nosuch
        CONFIG GET maxmemory
        PING
        ECHO "\\x00\\xff"
        EXEC
        MULTI
        SET s x
        INCR s
        SETRANGE s -1 x
        APPEND s y
        GET s
        EXEC
        MULTI
        DISCARD
        DISCARD
        EXEC
        MULTI
        SET a 1
        DISCARD
        GET a
        MULTI
        EXEC
        MULTI
        SELECT 1
        SET indb1 1
        EXEC
        GET indb1
        SELECT 0
        GET indb1
      `)
    })

    it('errors while queueing abort EXEC; EXEC rejected reports why', async () => {
      await oracle().runScript(`
        FLUSHALL
        MULTI
        SET a 1
        NOSUCH x y
        SET a 2
        EXEC
        GET a
        MULTI
        SET a
        EXEC
        MULTI
        OBJECT NOPE a
        EXEC
        MULTI
        SHUTDOWN
        SET a 3
        EXEC
        GET a
        MULTI
        SET a 4
        EXEC x
        GET a
        EXEC
        EXEC x
        DISCARD x
        MULTI
        DISCARD x
        SET a 5
        EXEC
        GET a
        MULTI
        WATCH a
        UNWATCH x
        UNWATCH
        MULTI x
        EXEC
      `)
    })

    it('WATCH races between three clients', async () => {
      await oracle().runScript(`
        FLUSHALL
        # a write by another client aborts the transaction
        [c1] WATCH k
        [c2] SET k 1
        [c1] MULTI
        [c1] SET k 2
        [c1] EXEC
        [c1] GET k
        # untouched watch: EXEC runs
        [c1] WATCH k
        [c2] GET k
        [c1] MULTI
        [c1] SET k 3
        [c1] EXEC
        # EXEC unwatched: a later write changes nothing
        [c2] SET k 9
        [c1] MULTI
        [c1] EXEC
        # the watcher's own write before MULTI dirties it too
        [c1] WATCH k
        [c1] SET k 4
        [c1] MULTI
        [c1] EXEC
        # UNWATCH clears, DISCARD unwatches
        [c1] WATCH k
        [c2] SET k 5
        [c1] UNWATCH
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH k
        [c1] MULTI
        [c1] DISCARD
        [c2] SET k 6
        [c1] MULTI
        [c1] EXEC
        # two watchers, one writer inside a transaction
        [c1] WATCH k j
        [c2] WATCH j
        [c3] MULTI
        [c3] SET j 1
        [c1] MULTI
        [c1] INCR k
        [c3] EXEC
        [c1] EXEC
        [c2] MULTI
        [c2] GET j
        [c2] EXEC
        # watching a missing key: creating it touches, deleting a missing one does not
        [c1] WATCH m
        [c2] DEL m
        [c2] EXISTS m
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH m
        [c2] SET m 1
        [c2] DEL m
        [c1] MULTI
        [c1] EXEC
        # another db is another key
        [c1] SELECT 1
        [c1] WATCH k
        [c2] SET k 7
        [c1] MULTI
        [c1] EXEC
        [c2] SELECT 1
        [c1] WATCH k
        [c2] SET k 7
        [c1] MULTI
        [c1] EXEC
        [c1] SELECT 0
        [c2] SELECT 0
        # failed writes touch nothing; EXPIRE, RENAME, MOVE and APPEND do
        [c1] WATCH k
        [c2] INCR nosuchlist
        [c2] SETNX k x
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH k
        [c2] EXPIRE k 100
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH dst
        [c2] RENAME k dst
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH dst
        [c2] MOVE dst 1
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH k
        [c2] APPEND k x
        [c1] MULTI
        [c1] EXEC
        # WATCH after the client is already dirty
        [c1] WATCH k
        [c2] SET k 1
        [c1] WATCH j
        [c1] MULTI
        [c1] EXEC
      `)
    })

    it('FLUSHDB, FLUSHALL and SWAPDB touch watched keys', async () => {
      await oracle().runScript(`
        FLUSHALL
        [c1] SET k 1
        [c1] WATCH k
        [c2] FLUSHDB
        [c1] MULTI
        [c1] EXEC
        # a watched key that does not exist is not touched by a flush
        [c1] WATCH nothere
        [c2] SET other 1
        [c2] FLUSHALL
        [c1] MULTI
        [c1] EXEC
        # FLUSHALL from another db
        [c1] SET k 1
        [c1] WATCH k
        [c2] SELECT 3
        [c2] FLUSHALL
        [c1] MULTI
        [c1] EXEC
        # FLUSHDB of another db
        [c1] SET k 1
        [c1] WATCH k
        [c2] FLUSHDB
        [c1] MULTI
        [c1] EXEC
        [c2] SELECT 0
        # SWAPDB: the key exists on either side
        [c1] WATCH k
        [c2] SWAPDB 0 1
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH k
        [c2] SWAPDB 0 1
        [c1] MULTI
        [c1] EXEC
        # neither side has it
        [c1] WATCH zz
        [c2] SWAPDB 0 2
        [c1] MULTI
        [c1] EXEC
        # a swap of two other dbs
        [c1] WATCH k
        [c2] SWAPDB 3 4
        [c1] MULTI
        [c1] EXEC
        [c1] WATCH k
        [c2] SWAPDB 0 0
        [c1] MULTI
        [c1] EXEC
      `)
    })

    it('watched keys that expire', async () => {
      await oracle().runScript(`
        FLUSHALL
        # expires after WATCH, before EXEC: EXEC fails
        [c1] SET k v PX 100
        [c1] WATCH k
        [c1] MULTI
        [c1] PING
        .sleep 250
        [c1] EXEC
        # already expired at WATCH time: EXEC runs
        [c1] SET k v PX 20
        .sleep 150
        [c1] WATCH k
        [c1] MULTI
        [c1] PING
        [c1] EXEC
        # already expired, then deleted by a read: no change
        [c1] SET k v PX 20
        .sleep 150
        [c1] WATCH k
        [c2] GET k
        [c1] MULTI
        [c1] EXEC
        # already expired, then written: changed
        [c1] SET k v PX 20
        .sleep 150
        [c1] WATCH k
        [c2] SET k new
        [c1] MULTI
        [c1] EXEC
        # already expired and flushed: no change
        [c1] SET k v PX 20
        .sleep 150
        [c1] WATCH k
        [c2] FLUSHDB
        [c1] MULTI
        [c1] EXEC
        # a missing key swapped for an expired one: still no change
        [c2] SELECT 1
        [c2] SET k v PX 20
        .sleep 150
        [c1] WATCH k
        [c2] SWAPDB 0 1
        [c1] MULTI
        [c1] EXEC
        [c2] SELECT 0
        # a key with a long TTL stays watched
        [c1] SET k v EX 100
        [c1] WATCH k
        [c1] MULTI
        [c1] TTL k
        [c1] EXEC
      `)
    })

    it('pub/sub inside MULTI: pushes land inside the EXEC reply', async () => {
      // Redis writes EXEC's array header (one element per queued command), then
      // everything each command sends, so extra push frames follow inline and
      // more frames arrive than the header counts: frames= says how many to read.
      await oracle().runScript(`
        [c4] MULTI
        [c4] SUBSCRIBE x
        [c4] EXEC
        # in RESP2 the subscribed context refuses EXEC itself (EXECABORT); RESP3 has no such context
        [c4] EXEC
        [c4] DISCARD
        [c5] MULTI
        [c5] SUBSCRIBE y z
        [c5] PUBLISH y hi
        [c5] PING
        [c5 frames=3] EXEC
        [c5] PING
        [c6] MULTI
        [c6] SUBSCRIBE q
        [c6] PUBLISH q hi
        [c6 frames=2] EXEC
      `)
    })

    it('commandstats and errorstats count what EXEC runs', async () => {
      const o = oracle()
      await o.run(['FLUSHALL'])
      await o.run(['CONFIG', 'RESETSTAT'])
      await o.runScript(`
        SET s x
        MULTI
        INCR s
        GET s
        NOSUCH
        EXEC
        MULTI
        INCR s
        GET s
        SET t 1
        EXEC
        EXEC
        MULTI
        EXEC x
        WATCH s
        MULTI
        WATCH s
        DISCARD
        DISCARD
      `)
      await o.expectSame(['INFO', 'commandstats'], commandstats)
      await o.expectSame(['INFO', 'errorstats'])
    })

    it(`random interleavings of three clients (${SEQUENCES} x ${SEQUENCE_LENGTH} commands)`, async () => {
      let total = 0
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: SEQUENCE_LENGTH, maxLength: SEQUENCE_LENGTH }), async (steps) => {
          const o = oracle()
          for (let i = 0; i < 3; i++) {
            const c = await o.client(i)
            await c.run(['DISCARD'])
            await c.run(['UNWATCH'])
            await c.run(['SELECT', '0'])
          }
          await o.run(['FLUSHALL'])
          for (const [i, argv] of steps) {
            const c = await o.client(i)
            await c.expectSame(argv)
            total++
          }
        }),
        { numRuns: SEQUENCES, seed: Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      )
      console.log(`RESP${resp}: ${total} random transaction commands compared`)
    }, 600_000)
  })
}

// The same through the Node TCP server: decoder, dispatch, encoder and socket writes.
for (const resp of [2, 3] as const) {
  describeOracle(`transactions over TCP (RESP${resp})`, () => {
    const oracle = useOracle({ resp, against: 'engine-tcp' })

    it('queueing, EXEC, WATCH aborts and pushes inside EXEC', async () => {
      await oracle().runScript(`
        FLUSHALL
        MULTI
        SET k 1
        INCR k
        INCR nope extra
        EXEC
        MULTI
        SET s x
        INCR s
        CONFIG GET maxmemory
        GET s
        EXEC
        EXEC
        [c1] WATCH s
        [c2] APPEND s y
        [c1] MULTI
        [c1] GET s
        [c1] EXEC
        [c1] WATCH s
        [c1] MULTI
        [c1] GET s
        [c1] EXEC
        [c3] MULTI
        [c3] SUBSCRIBE q
        [c3] PUBLISH q hi
        [c3 frames=2] EXEC
      `)
    })
  })
}
