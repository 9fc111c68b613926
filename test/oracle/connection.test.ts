// Connection commands against a real redis-server 7.0.15, byte for byte in
// RESP2 and RESP3: AUTH (with and without requirepass), QUIT, RESET, and the
// CLIENT subcommands (ID INFO LIST KILL GETNAME SETNAME REPLY NO-EVICT
// GETREDIR UNBLOCK HELP) with several clients.
import { it } from 'vitest'
import fc from 'fast-check'
import { describeOracle } from '../support/redis-server.ts'
import { splitArgs, typeOnly, useOracle, type Normaliser, type Oracle } from '../support/oracle.ts'

// CLIENT LIST / CLIENT INFO lines: each masked field is one the two servers cannot agree on.
const clientLines: Normaliser = Object.assign(
  (raw: string) =>
    raw
      // The reply's length follows the masked values.
      .replace(/^([$=])\d+\r\n/gm, '$1?\r\n')
      // Ids count every connection a server has seen: redis-server's own script clients and the
      // harness's start-up probes take some on one side only.
      .replace(/\bid=\d+/g, 'id=?')
      // Peer and local addresses are different sockets (ports) on each side; fd is the socket's descriptor.
      .replace(/\baddr=\S+/g, 'addr=?')
      .replace(/\bladdr=\S+/g, 'laddr=?')
      .replace(/\bfd=\d+/g, 'fd=?')
      // Whole seconds of wall-clock time on two servers whose clients connected at different instants
      // (the unit tests check age and idle on the virtual clock).
      .replace(/\b(age|idle)=\d+/g, '$1=?')
      // The query buffer and read buffer depend on how the socket delivered the bytes and on Redis's
      // buffer resizing in clientsCron; the output buffer on socket writes; tot-mem on jemalloc.
      .replace(/\b(qbuf|qbuf-free|rbs|rbp|obl|oll|omem|tot-mem)=\d+/g, '$1=?')
      // clientsCron rotates server.clients on every tick, so the listing order depends on when the
      // cron last ran: the lines of each listing are compared as a sorted set.
      .replace(/(?:id=\?[^\n]*\n)+/g, (run) => run.split('\n').slice(0, -1).sort().map((l) => l + '\n').join('')),
  { why: 'client ids, socket addresses/fds, wall-clock seconds, buffer and allocator sizes, cron-rotated order differ' },
)

const clientLinesIfAny: Normaliser = Object.assign((raw: string) => (raw.includes(' laddr=') ? clientLines(raw) : raw), {
  why: clientLines.why,
})

// CLIENT ID: the value counts connections (see above); its type is compared.
const clientId = typeOnly

async function script(o: Oracle, text: string, norms: Record<string, Normaliser> = {}): Promise<void> {
  for (const raw of text.split('\n')) {
    let line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const sleep = /^\.sleep (\d+)$/.exec(line)
    if (sleep) {
      await new Promise((r) => setTimeout(r, Number(sleep[1])))
      continue
    }
    let client = 0
    let norm: Normaliser | undefined
    let ignore = false
    let frames: number | undefined
    const m = /^\[([^\]]*)\]\s*/.exec(line)
    if (m) {
      for (const tag of m[1].split(/\s+/)) {
        if (/^c\d+$/.test(tag)) client = Number(tag.slice(1))
        else if (tag === 'ignore') ignore = true
        else if (/^frames=\d+$/.test(tag)) frames = Number(tag.slice(7))
        else if (norms[tag]) norm = norms[tag]
        else throw new Error(`unknown tag ${tag}`)
      }
      line = line.slice(m[0].length)
    }
    const c = await o.client(client)
    const argv = splitArgs(line)
    // frames=0: a command that gets no reply (CLIENT REPLY OFF/SKIP); the next command's
    // reply shows whether Redis really sent nothing.
    if (ignore) await c.run(argv, { frames })
    else await c.expectSame(argv, { normalise: norm, frames })
  }
}

const N = { list: clientLines, id: clientId }

const RUNS = Number(process.env.GLASSBOX_CONN_RUNS ?? 10)
const RUN_LENGTH = 100

// Commands that always answer with exactly one frame (no CLIENT REPLY, no SUBSCRIBE), so any
// interleaving can be compared; CLIENT INFO/LIST show every client's state after each step.
const randomCommand: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<string[]>(['CLIENT', 'INFO'], ['CLIENT', 'LIST'], ['CLIENT', 'LIST', 'TYPE', 'normal'], ['CLIENT', 'GETNAME']) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', '', 'x y', '\x01').map((n) => ['CLIENT', 'SETNAME', n]) },
  { weight: 2, arbitrary: fc.constantFrom<string[]>(['MULTI'], ['EXEC'], ['DISCARD'], ['WATCH', 'k'], ['UNWATCH'], ['RESET']) },
  { weight: 2, arbitrary: fc.constantFrom('0', '1', '15', '16').map((d) => ['SELECT', d]) },
  { weight: 2, arbitrary: fc.constantFrom<string[]>(['SET', 'k', '1'], ['GET', 'k'], ['INCR', 'k'], ['DEL', 'k'], ['NOSUCH'], ['GET']) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'off'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'UNBLOCK', '1']) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['AUTH', 'x'], ['AUTH', 'default', 'y'], ['CLIENT', 'KILL', 'ID', '999999'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'], ['PING']) },
)
const randomStep = fc.tuple(fc.integer({ min: 0, max: 2 }), randomCommand)

for (const resp of [2, 3] as const) {
  describeOracle(`connection commands (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it('AUTH without requirepass, QUIT arity', async () => {
      await script(oracle(), `
        AUTH
        AUTH x
        AUTH default x
        AUTH default ""
        AUTH nobody x
        AUTH a b c
        AUTH a b c d
        PING
      `)
    })

    it('CLIENT ID, GETNAME, SETNAME, GETREDIR, UNBLOCK, NO-EVICT, HELP and their errors', async () => {
      await script(oracle(), `
        [id] CLIENT ID
        CLIENT ID x
        CLIENT GETNAME
        CLIENT GETNAME x
        CLIENT SETNAME "a b"
        CLIENT SETNAME "a\\nb"
        CLIENT SETNAME "\\x7f"
        CLIENT SETNAME "\\xc3\\xa9"
        CLIENT SETNAME conn-1
        CLIENT GETNAME
        CLIENT SETNAME ~!@#$%^&*()_+{}|:<>?
        CLIENT GETNAME
        CLIENT SETNAME ""
        CLIENT GETNAME
        CLIENT SETNAME
        CLIENT SETNAME a b
        CLIENT GETREDIR
        CLIENT GETREDIR x
        CLIENT UNBLOCK 1
        CLIENT UNBLOCK 999 TIMEOUT
        CLIENT UNBLOCK 999 error
        CLIENT UNBLOCK x
        CLIENT UNBLOCK x foo
        CLIENT UNBLOCK 1 foo
        CLIENT UNBLOCK 1 timeout extra
        CLIENT UNBLOCK
        CLIENT NO-EVICT on
        CLIENT NO-EVICT OFF
        CLIENT NO-EVICT maybe
        CLIENT NO-EVICT
        CLIENT HELP
        CLIENT help x
        CLIENT NOSUCH
        CLIENT
      `, N)
    })

    it('CLIENT INFO and LIST: flags, db, subscriptions, MULTI, last command, filters', async () => {
      await script(oracle(), `
        [c1 list] CLIENT INFO
        [c1] CLIENT SETNAME one
        [c1] SELECT 3
        [c1] NOSUCH cmd
        [list] CLIENT LIST
        [c1] GET
        [list] CLIENT LIST
        [c1] CLIENT NO-EVICT on
        [c1] WATCH k
        [c1] MULTI
        [c1] SET k v
        [c1] GET k
        [list] CLIENT LIST
        [c2] SET k 1
        [list] CLIENT LIST ID 1 2 3 4 5 6 7 8 9 10 11 12
        [c1] EXEC
        [list] CLIENT LIST TYPE normal
        [list] CLIENT LIST TYPE PUBSUB
        [list] CLIENT LIST TYPE master
        [list] CLIENT LIST TYPE replica
        [list] CLIENT LIST TYPE slave
        CLIENT LIST TYPE nope
        CLIENT LIST TYPE
        CLIENT LIST TYPE normal x
        CLIENT LIST ID
        CLIENT LIST ID x
        CLIENT LIST ID 1 x
        CLIENT LIST ID 0 -1 99999
        CLIENT LIST foo
        CLIENT LIST foo bar baz
        [list] CLIENT INFO
        [list] CLIENT INFO
      `, N)
      if (resp === 3) {
        await script(oracle(), `
          [c3 frames=2] SUBSCRIBE a b
          [c3 frames=1] PSUBSCRIBE p*
          [c3 frames=1] SSUBSCRIBE s
          [c3 list] CLIENT INFO
          [list] CLIENT LIST TYPE pubsub
          [c3 frames=2] UNSUBSCRIBE a b
          [c3 frames=1] PUNSUBSCRIBE
          [c3 list] CLIENT INFO
          [c3 frames=1] SUNSUBSCRIBE
          [c3 list] CLIENT INFO
        `, N)
      } else {
        await script(oracle(), `
          [c3 frames=1] SUBSCRIBE a
          [list] CLIENT LIST TYPE pubsub
          [list] CLIENT LIST TYPE normal
        `, N)
      }
    })

    it('CLIENT REPLY OFF / SKIP / ON', async () => {
      await script(oracle(), `
        CLIENT REPLY maybe
        CLIENT REPLY
        CLIENT REPLY ON
        [frames=0] CLIENT REPLY SKIP
        [frames=0] SET r 1
        GET r
        [frames=0] CLIENT REPLY SKIP
        CLIENT REPLY ON
        [frames=0] CLIENT REPLY SKIP
        [frames=0] NOSUCH
        GET r
        [frames=0] CLIENT REPLY OFF
        [frames=0] SET r 2
        [frames=0] CLIENT REPLY SKIP
        [frames=0] GET r
        [frames=0] MULTI
        [frames=0] GET r
        [frames=0] EXEC
        CLIENT REPLY ON
        GET r
        [frames=0] CLIENT REPLY SKIP
        [frames=0] CLIENT REPLY OFF
        [frames=0] PING
        CLIENT REPLY ON
      `)
      // Errors dropped while replies are off still count in errorstats.
      await script(oracle(), `
        [c4] CONFIG RESETSTAT
        [c4 frames=0] CLIENT REPLY OFF
        [c4 frames=0] NOSUCH
        [c4 frames=0] GET
        [c4] CLIENT REPLY ON
        [c4] INFO errorstats
      `)
      if (resp === 3) {
        // Pushes are still delivered while replies are off.
        await script(oracle(), `
          [c4 frames=0] CLIENT REPLY OFF
          [c4 frames=1] SUBSCRIBE rch
          PUBLISH rch hello
          [c4] CLIENT REPLY ON
        `)
      }
    })

    it('CLIENT KILL old and new forms across clients', async () => {
      await script(oracle(), `
        CLIENT KILL
        CLIENT KILL 1.2.3.4:5
        CLIENT KILL id
        CLIENT KILL ID x
        CLIENT KILL ID 0
        CLIENT KILL ID -1
        CLIENT KILL ID 999999
        CLIENT KILL TYPE foo
        CLIENT KILL TYPE master
        CLIENT KILL TYPE replica
        CLIENT KILL USER nobody
        CLIENT KILL USER DEFAULT
        CLIENT KILL SKIPME maybe
        CLIENT KILL SKIPME yes ADDR 1.1.1.1:1
        CLIENT KILL LADDR 1.1.1.1:1
        CLIENT KILL ADDR 1.1.1.1:1 LADDR 2.2.2.2:2 TYPE normal
        CLIENT KILL FOO bar
        CLIENT KILL ID 1 TYPE
        CLIENT KILL a b c
        CLIENT KILL ID 999999 TYPE nope
        [c6 frames=1] SUBSCRIBE ch
        [c7] SET x 1
        [list] CLIENT LIST
        CLIENT KILL TYPE pubsub
        [list] CLIENT LIST
        CLIENT KILL TYPE pubsub
        PUBLISH ch hi
        CLIENT KILL USER default
        [list] CLIENT LIST
        CLIENT KILL USER default SKIPME yes LADDR 1.1.1.1:1
      `, N)
    })

    it('RESET', async () => {
      await script(oracle(), `
        [c8] CLIENT SETNAME me
        [c8] SELECT 5
        [c8] CLIENT NO-EVICT ON
        [c8] WATCH w
        [c8] MULTI
        [c8] SET w 1
        [c8] RESET
        [c8 list] CLIENT INFO
        [c8] EXEC
        [c8] GET w
        [c8 frames=0] CLIENT REPLY OFF
        [c8] RESET
        [c8] PING
        [c8 frames=0] CLIENT REPLY SKIP
        [c8 frames=0] RESET
        [c8] PING
        [c8] RESET x
        [c8] MULTI
        [c8] RESET
        [c8 list] CLIENT INFO
      `, N)
      if (resp === 3) {
        // RESET leaves RESP3 for RESP2 and drops subscriptions without confirming.
        await script(oracle(), `
          [c9 frames=1] SUBSCRIBE a
          [c9 frames=1] PSUBSCRIBE b*
          [c9] RESET
          [c9 list] CLIENT INFO
          PUBLISH a x
          [c9] PING
          [c9] CONFIG GET maxmemory
        `, N)
      } else {
        await script(oracle(), `
          [c9 frames=1] SUBSCRIBE a
          [c9] GET x
          [c9] RESET
          [c9] GET x
          PUBLISH a x
          [c9 list] CLIENT INFO
        `, N)
      }
    })

    it('MONITOR clients in CLIENT LIST, RESET leaves monitor mode', async () => {
      await script(oracle(), `
        [c15] MONITOR
        [list] CLIENT LIST TYPE normal
        [list] CLIENT LIST TYPE replica
        [c15] GET k
        [c15] RESET
        [c15 list] CLIENT INFO
        [c15] GET k
        SET k after-reset
        [c15] GET k
      `, N)
    })

    it(`random interleavings of three clients (${RUNS} x ${RUN_LENGTH} commands)`, async () => {
      let total = 0
      await fc.assert(
        fc.asyncProperty(fc.array(randomStep, { minLength: RUN_LENGTH, maxLength: RUN_LENGTH }), async (steps) => {
          const o = oracle()
          for (let i = 20; i < 23; i++) await (await o.client(i)).expectSame(['RESET'])
          for (const [i, argv] of steps) {
            const c = await o.client(20 + i)
            // CLIENT INFO/LIST lines may also come inside an EXEC reply.
            await c.expectSame(argv, clientLinesIfAny)
            total++
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.GLASSBOX_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
      )
      console.log(`RESP${resp}: ${total} random connection commands compared`)
    }, 600_000)

    // Last: the in-process engine host does not act on closeAfterReply (the TCP host closes the
    // socket), so a quit client would stay in the engine's CLIENT LIST for later tests.
    it('QUIT', async () => {
      await script(oracle(), `
        [c11] QUIT
        [c12] QUIT x y
        [frames=0 c13] CLIENT REPLY OFF
        [frames=0 c13] QUIT
        [c14 frames=1] SUBSCRIBE z
        [c14] CLIENT KILL TYPE pubsub SKIPME no
      `)
    })
  })
}

describeOracle('connection commands with requirepass (RESP2)', () => {
  // The password is set with CONFIG SET on both sides: the harness's start-up probe is a bare PING,
  // which NOAUTH would refuse. Client 0 connected before, so it stays authenticated (as in Redis);
  // every other client connects after and must AUTH. RESP2 only at connect time, because the harness
  // opens RESP3 clients with a bare HELLO 3; RESP3 is reached below with HELLO 3 AUTH.
  const oracle = useOracle({ resp: 2 })

  it('NOAUTH, AUTH forms, WRONGPASS, RESET de-authenticates, QUIT', async () => {
    await script(oracle(), `
      CONFIG SET requirepass s3cret
      PING
      [c1] GET k
      [c1] CLIENT ID
      [c1] CLIENT LIST
      [c1] PING
      [c1] AUTH
      [c1] AUTH wrong
      [c1] AUTH default wrong
      [c1] AUTH nobody s3cret
      [c1] AUTH a b c
      [c1] GET k
      [c1] AUTH s3cret
      [c1] SET k v
      [c1] GET k
      [c1] AUTH wrong
      [c1] GET k
      [c1] AUTH default s3cret
      [c2] GET k
      [c2] HELLO 3
      [c2] HELLO 3 AUTH default nope
      [c2] AUTH default s3cret
      [c2 list] CLIENT INFO
      [c2] RESET
      [c2] GET k
      [c2] MULTI
      [c2] AUTH s3cret
      [c2] MULTI
      [c2] GET k
      [c2] EXEC
      [ignore c3] HELLO 3 AUTH default s3cret
      [c3] GET k
      [c3] CONFIG GET maxmemory
      [c3] RESET
      [c3] GET k
      [c3] AUTH s3cret
      [c3] CONFIG GET maxmemory
      [c4] QUIT
      [c5] AUTH
      [c5] AUTH a b c d
      CONFIG SET requirepass ""
      [c6] GET k
      [c6] AUTH s3cret
      [c6] AUTH default anything
      [c2] RESET
      [c2] GET k
    `, N)
  })

  it('HELLO acts on AUTH and SETNAME in the order given', async () => {
    // helloCommand in 7.0 authenticates and renames while it reads its options,
    // so an option that fails later leaves the earlier ones applied.
    await script(oracle(), `
      CONFIG SET requirepass s3cret
      [c7] HELLO 2 SETNAME early
      [c7] HELLO 2 SETNAME x AUTH default bad
      [c7] AUTH s3cret
      [c7] CLIENT GETNAME
      [c7] HELLO 2 SETNAME y BADOPT
      [c7] CLIENT GETNAME
      [c7] HELLO 2 AUTH default bad SETNAME z
      [c7] CLIENT GETNAME
      [c7] HELLO 2 SETNAME "a b"
      [c7] CLIENT GETNAME
      [c7] HELLO 5 SETNAME w
      [c7] CLIENT GETNAME
      CONFIG SET requirepass ""
    `, N)
  })
})

describeOracle('connection commands through the TCP server (RESP2)', () => {
  // The whole Node path: the TCP host closes QUIT and self-killed clients after their reply.
  const oracle = useOracle({ resp: 2, against: 'engine-tcp' })

  it('QUIT and CLIENT KILL close connections after the reply', async () => {
    await script(oracle(), `
      [c1] CLIENT SETNAME quitter
      [c2] CLIENT SETNAME victim
      [c3] CLIENT SETNAME self
      [c1] QUIT
      CLIENT KILL USER default SKIPME yes LADDR 0.0.0.0:1
      [c3] CLIENT KILL TYPE normal SKIPME no LADDR 0.0.0.0:1
      .sleep 100
      [list] CLIENT LIST
      [c5] CLIENT SETNAME last
      CLIENT KILL TYPE normal
      .sleep 100
      [list] CLIENT LIST
    `, N)
  })
})
