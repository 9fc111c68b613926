// Differential tests of pub/sub and keyspace notifications against
// redis-server 7.0.15, byte for byte, in RESP2 and RESP3. Subscribing commands
// answer only with (push) frames, so they are run with frames=N (one frame per
// argument). Each `it` uses its own channel names; every test ends by checking
// that subscribers got nothing more (a PING in RESP2 reads the next frame, which
// would be a stray message; in RESP3 .pushes compares what is pending).
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, type Normaliser } from '../support/oracle.ts'
import { parseReply, splitReplies, type RespNode } from '../support/resp-conn.ts'
import { allCommands } from '../../engine/commands/index.ts'

// MULTI/EXEC belongs to another group; the transaction case runs once it is there.
const hasMulti = allCommands.some((c) => c.name === 'multi')

/**
 * UNSUBSCRIBE with no argument walks the client's channel hashtable, whose
 * order is random: the channel names of the frames are sorted among
 * themselves, while the frame types and the running counts stay in place.
 */
const channelOrder: Normaliser = Object.assign(
  (raw: string): string => {
    const frames = splitReplies(raw).map(parseReply)
    const items = (n: RespNode): RespNode[] => ('items' in n && n.items ? n.items : [])
    const names = frames.map((f) => items(f)[1]?.raw ?? '').sort()
    return frames
      .map((f, i) => {
        const it = items(f)
        if (it.length !== 3) return f.raw
        return f.raw.slice(0, f.raw.indexOf('\r\n') + 2) + it[0].raw + names[i] + it[2].raw
      })
      .join('')
  },
  { why: "UNSUBSCRIBE with no channel walks the client's channel hashtable (random order): names sorted, counts kept in place" },
)

/**
 * One PUBLISH reaching a client through several patterns: Redis walks its
 * pattern hashtable (random order), so each run of consecutive pmessage frames
 * for the same channel and message is sorted before comparing.
 */
const patternOrder: Normaliser = Object.assign(
  (raw: string): string => {
    const frames = splitReplies(raw).map(parseReply)
    const key = (n: RespNode): string | undefined => {
      const it = 'items' in n && n.items ? n.items : []
      return it.length === 4 && it[0].raw.endsWith('pmessage\r\n') ? it[2].raw + it[3].raw : undefined
    }
    const out: string[] = []
    for (let i = 0; i < frames.length; ) {
      const k = key(frames[i])
      let j = i + 1
      while (k !== undefined && j < frames.length && key(frames[j]) === k) j++
      out.push(...frames.slice(i, j).map((f) => f.raw).sort())
      i = j
    }
    return out.join('')
  },
  { why: "a message matching several of one client's patterns follows Redis's pattern hashtable order (random): such runs sorted" },
)

/** INFO stats is mostly timings and traffic counters: only its pubsub_* lines are compared. */
const pubsubInfoLines: Normaliser = Object.assign(
  (raw: string): string => {
    const lines = raw.match(/^pubsub\w*:\d+\r$/gm)
    if (lines?.length !== 3) throw new Error(`expected 3 pubsub lines in INFO stats, got: ${raw}`)
    return lines.join('\n')
  },
  { why: 'INFO stats holds times and byte counters that differ by nature: only the pubsub_* lines are compared' },
)

for (const resp of [2, 3] as const) {
  describeOracle(`pub/sub (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    // Ends a test: no subscriber has anything left to receive.
    const drained = async (...clients: number[]): Promise<void> => {
      for (const i of clients) {
        const c = await oracle().client(i)
        await c.expectPushes()
        if (resp === 2) await c.expectSame(['PING'])
      }
    }

    it('SUBSCRIBE / PUBLISH fan-out to several clients, in order', async () => {
      await oracle().runScript(`
        [c1 frames=3] SUBSCRIBE fan:a fan:b fan:a
        [c2 frames=1] SUBSCRIBE fan:a
        [c3 frames=2] SUBSCRIBE fan:b fan:c
        PUBLISH fan:a one
        PUBLISH fan:b two
        PUBLISH fan:c three
        PUBLISH fan:none four
        PUBLISH fan:a "bytes \\x00\\xff\\r\\n"
        PUBLISH fan:a ""
        PUBLISH "" empty-channel
        [c1] .pushes
        [c2] .pushes
        [c3] .pushes
        [c2 frames=1] UNSUBSCRIBE fan:a
        PUBLISH fan:a five
        [c1] .pushes
        [c2 frames=1] SUBSCRIBE fan:a
        [c1 frames=1] UNSUBSCRIBE fan:a
        [c1 frames=1] SUBSCRIBE fan:a
        PUBLISH fan:a six
        [c1] .pushes
        [c2] .pushes
        [c3] .pushes
        [c1 frames=2] UNSUBSCRIBE fan:a fan:b
        [c2 frames=1] UNSUBSCRIBE fan:a
        [c3 frames=3] UNSUBSCRIBE fan:b fan:c fan:b
      `)
      await drained(1, 2, 3)
    })

    it('UNSUBSCRIBE with nothing subscribed, and with no argument', async () => {
      await oracle().runScript(`
        [c4 frames=1] UNSUBSCRIBE
        [c4 frames=1] PUNSUBSCRIBE
        [c4 frames=1] SUNSUBSCRIBE
        [c4 frames=2] UNSUBSCRIBE un:x un:y
        [c4 frames=2] PUNSUBSCRIBE un:* un:?
        [c4 frames=1] SUNSUBSCRIBE un:s
        [c4 frames=3] SUBSCRIBE un:a un:b un:c
        [c4 frames=2] PSUBSCRIBE un:p1 un:p2
      `)
      const c4 = await oracle().client(4)
      await c4.expectSame(['UNSUBSCRIBE'], { frames: 3, normalise: channelOrder })
      await oracle().runScript(`
        [c4 frames=1] UNSUBSCRIBE
        [c4 frames=2] PUNSUBSCRIBE
        [c4 frames=1] PUNSUBSCRIBE
      `)
      await drained(4)
    })

    it('PSUBSCRIBE with escapes, classes, ranges and ?', async () => {
      await oracle().runScript(`
        [c5 frames=1] PSUBSCRIBE "g:a\\\\*b"
        [c6 frames=1] PSUBSCRIBE g:h[ae]llo
        [c7 frames=1] PSUBSCRIBE g:h[^e]llo
        [c8 frames=1] PSUBSCRIBE g:x[a-c]?z
        [c9 frames=2] PSUBSCRIBE g:* g:*
        PUBLISH g:a*b 1
        PUBLISH g:axb 2
        PUBLISH g:hello 3
        PUBLISH g:hallo 4
        PUBLISH g:hillo 5
        PUBLISH g:xbqz 6
        PUBLISH g:xdqz 7
        PUBLISH g:xbz 8
        PUBLISH g: 9
        PUBLISH other 10
        PUBSUB NUMPAT
        [c5] .pushes
        [c6] .pushes
        [c7] .pushes
        [c8] .pushes
        [c9] .pushes
        [c9 frames=1] PSUBSCRIBE *
        PUBLISH "" empty
        PUBLISH x y
        [c9] .pushes
        [c5 frames=1] PUNSUBSCRIBE
        [c6 frames=1] PUNSUBSCRIBE
        [c7 frames=1] PUNSUBSCRIBE
        [c8 frames=1] PUNSUBSCRIBE
        [c9 frames=2] PUNSUBSCRIBE
        PUBSUB NUMPAT
      `)
      await drained(5, 6, 7, 8, 9)
    })

    it('a client with a channel and a pattern gets both, channel first', async () => {
      await oracle().runScript(`
        [c10 frames=1] SUBSCRIBE both:x
        [c10 frames=1] PSUBSCRIBE both:*
        [c11 frames=1] PSUBSCRIBE both:?
        PUBLISH both:x m
        PUBLISH both:yy m2
        [c10] .pushes
        [c11] .pushes
        [c10 frames=1] UNSUBSCRIBE
        [c10 frames=1] PUNSUBSCRIBE
        [c11 frames=1] PUNSUBSCRIBE both:?
      `)
      await drained(10, 11)
    })

    it('shard channels: SSUBSCRIBE / SPUBLISH / SUNSUBSCRIBE', async () => {
      await oracle().runScript(`
        [c12 frames=2] SSUBSCRIBE sh:a sh:b
        [c13 frames=1] SSUBSCRIBE sh:a
        [c13 frames=1] PSUBSCRIBE sh:*
        SPUBLISH sh:a hi
        SPUBLISH sh:b there
        PUBLISH sh:a not-shard
        [c12] .pushes
        [c13] .pushes
        [unordered] PUBSUB SHARDCHANNELS
        PUBSUB SHARDCHANNELS sh:b
        PUBSUB SHARDNUMSUB sh:a sh:b sh:c
        PUBSUB SHARDNUMSUB
        PUBSUB NUMSUB sh:a
        [c12 frames=1] SUNSUBSCRIBE sh:a
        [c12 frames=1] SUNSUBSCRIBE
        [c13 frames=1] SUNSUBSCRIBE
        [c13 frames=1] SUNSUBSCRIBE
        [c13 frames=1] PUNSUBSCRIBE
        PUBSUB SHARDCHANNELS
      `)
      await drained(12, 13)
    })

    it('the subscribed context', async () => {
      await oracle().runScript(`
        [c14 frames=1] SUBSCRIBE ctx:a
        [c14] GET ctx:k
        [c14] SET ctx:k v
        [c14] CONFIG GET maxmemory
        [c14] PUBSUB NUMPAT
        [c14] PUBLISH ctx:a m
        [c14] PING
        [c14] PING hello
        [c14] PING a b
        [c14] NOSUCHCOMMAND
        [c14] GET
        [c14 frames=1] UNSUBSCRIBE ctx:a
        [c14] GET ctx:k
        [c14 frames=1] SSUBSCRIBE ctx:s
        [c14 frames=1] SUBSCRIBE ctx:b
        [c14 frames=1] UNSUBSCRIBE ctx:b
        [c14] GET ctx:k
        [c14 frames=1] SUNSUBSCRIBE
        [c14] GET ctx:k
        [c14] PING
        [c14 frames=1] PSUBSCRIBE ctx:*
        [c14] ECHO x
        [c14 frames=1] PUNSUBSCRIBE
        [c14] ECHO x
        INFO errorstats
      `)
      await drained(14)
    })

    it('PUBSUB introspection', async () => {
      await oracle().runScript(`
        [c15 frames=3] SUBSCRIBE in:a in:b in:c
        [c16 frames=2] SUBSCRIBE in:a in:other
        [c16 frames=3] PSUBSCRIBE in:* in:? x
        [c15 frames=1] PSUBSCRIBE in:*
        # hashtable order in Redis: sorted before comparing
        [unordered] PUBSUB CHANNELS
        [unordered] PUBSUB CHANNELS in:?
        [unordered] PUBSUB CHANNELS "in:[ab]"
        PUBSUB CHANNELS nomatch*
        PUBSUB CHANNELS a b
        PUBSUB NUMSUB in:a in:b in:other in:none in:*
        PUBSUB NUMSUB
        PUBSUB NUMPAT
        PUBSUB NUMPAT x
        PUBSUB HELP
        pubsub help
        PUBSUB HELP x
        PUBSUB
        PUBSUB foo
        PUBSUB SHARDCHANNELS a b
        PUBLISH in:a m
        [c15] .pushes
      `)
      await oracle().client(16).then((c) => c.expectPushes(patternOrder))
      await oracle().expectSame(['INFO', 'stats'], pubsubInfoLines)
      await oracle().runScript(`
        [c15 frames=1] PUNSUBSCRIBE
        [c16 frames=3] PUNSUBSCRIBE
        PUBSUB NUMPAT
      `)
      await oracle().client(15).then((c) => c.expectSame(['UNSUBSCRIBE'], { frames: 3, normalise: channelOrder }))
      await oracle().client(16).then((c) => c.expectSame(['UNSUBSCRIBE'], { frames: 2, normalise: channelOrder }))
      await oracle().runScript(`
        PUBSUB CHANNELS
        PUBSUB NUMSUB in:a
      `)
      await drained(15, 16)
    })

    it.skipIf(!hasMulti)('PUBLISH and SSUBSCRIBE inside MULTI', async () => {
      await oracle().runScript(`
        [c17 frames=1] SUBSCRIBE tx:a
        MULTI
        PUBLISH tx:a one
        PUBLISH tx:a two
        SSUBSCRIBE tx:s
        EXEC
        [c17] .pushes
        [c17 frames=1] UNSUBSCRIBE
        PUBSUB SHARDCHANNELS
      `)
      await drained(17)
    })

    it('arity and argument errors', async () => {
      await oracle().runScript(`
        SUBSCRIBE
        PSUBSCRIBE
        SSUBSCRIBE
        PUBLISH
        PUBLISH a
        PUBLISH a b c
        SPUBLISH a
        PUBSUB NUMPAT a
      `)
    })
  })

  describeOracle(`keyspace notifications (RESP${resp})`, () => {
    const oracle = useOracle({ resp })
    const drained = async (...clients: number[]): Promise<void> => {
      for (const i of clients) {
        const c = await oracle().client(i)
        await c.expectPushes()
        if (resp === 2) await c.expectSame(['PING'])
      }
    }

    it('CONFIG SET / GET notify-keyspace-events in canonical form', async () => {
      await oracle().runScript(`
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events KEA
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events g$lshzxetdKE
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events Anm
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events EKmnx$g
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events K
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events Kq
        CONFIG GET notify-keyspace-events
        CONFIG SET notify-keyspace-events ""
        CONFIG GET notify-keyspace-events
      `)
    })

    it('events from string and key commands', async () => {
      await oracle().runScript(`
        CONFIG SET notify-keyspace-events KEA
        [c1 frames=1] PSUBSCRIBE __keyspace@0__:ev:*
        [c2 frames=1] PSUBSCRIBE __keyevent@*
        [c3 frames=1] SUBSCRIBE __keyevent@0__:del
        SET ev:a 1
        SET ev:a 2 EX 100
        INCRBY ev:a 5
        INCRBYFLOAT ev:a 1.5
        APPEND ev:a x
        SETRANGE ev:a 0 y
        MSET ev:b 1 ev:c 2
        EXPIRE ev:b 100
        PERSIST ev:b
        PEXPIRE ev:b 0
        EXPIRE ev:c -1
        SET ev:d v
        RENAME ev:d ev:e
        DEL ev:e ev:missing ev:a
        DEL ev:missing
        SET ev:f v
        UNLINK ev:f
        SET ev:g v
        GETDEL ev:g
        GET ev:missing
        [c1] .pushes
        [c2] .pushes
        [c3] .pushes
      `)
      await drained(1, 2, 3)
      await oracle().runScript(`
        [c1 frames=1] PUNSUBSCRIBE
        [c2 frames=1] PUNSUBSCRIBE
        [c3 frames=1] UNSUBSCRIBE
        CONFIG SET notify-keyspace-events ""
      `)
    })

    it('class filters, key misses, new keys and other databases', async () => {
      await oracle().runScript(`
        [c4 frames=1] PSUBSCRIBE __key*
        CONFIG SET notify-keyspace-events E$
        SET cf:a 1
        DEL cf:a
        CONFIG SET notify-keyspace-events Kg
        SET cf:a 1
        EXPIRE cf:a 100
        DEL cf:a
        CONFIG SET notify-keyspace-events Emn
        GET cf:none
        SET cf:new v
        SET cf:new v2
        CONFIG SET notify-keyspace-events KE$g
        SELECT 5
        SET cf:db5 v
        DEL cf:db5
        SELECT 0
        CONFIG SET notify-keyspace-events ""
        SET cf:quiet v
        [c4] .pushes
      `)
      await drained(4)
      await oracle().runScript(`
        [c4 frames=1] PUNSUBSCRIBE
      `)
    })

    it('expired events from the active expire cycle', async () => {
      await oracle().runScript(`
        CONFIG SET notify-keyspace-events KEx
        [c5 frames=2] SUBSCRIBE __keyevent@0__:expired __keyspace@0__:exp:a
        # Far apart, so each is reaped by its own cycles: the order keys leave
        # within one cycle follows the expires hashtable, which is random.
        SET exp:a v PX 50
        SET exp:b v PX 700
        .sleep 400
        [c5] .pushes
        EXISTS exp:a exp:b
        .sleep 1000
        [c5] .pushes
        EXISTS exp:a exp:b
        CONFIG SET notify-keyspace-events ""
      `)
      await drained(5)
    })
  })
}

// The same traffic through the Node TCP server (decoder, encoder, socket
// writes): RESP3 only, where pushes can be told from replies on the wire.
describeOracle('pub/sub over the engine TCP server (RESP3)', () => {
  const oracle = useOracle({ resp: 3, against: 'engine-tcp' })

  it('delivers confirmations and messages to several connections', async () => {
    await oracle().runScript(`
      CONFIG SET notify-keyspace-events KE$
      [c1 frames=2] SUBSCRIBE tcp:a tcp:b
      [c2 frames=1] PSUBSCRIBE tcp:*
      [c3 frames=1] SUBSCRIBE __keyevent@0__:set
      PUBLISH tcp:a one
      PUBLISH tcp:b two
      SET tcp:k v
      [c1] .pushes
      [c2] .pushes
      [c3] .pushes
      [c1] PUBLISH tcp:a self
      [c1 frames=2] UNSUBSCRIBE tcp:a tcp:b
      [c2 frames=1] PUNSUBSCRIBE
      [c3 frames=1] UNSUBSCRIBE
      PUBSUB NUMSUB tcp:a __keyevent@0__:set
      PUBSUB NUMPAT
      CONFIG SET notify-keyspace-events ""
    `)
  })
})
