// Blocked clients that are not about collections: WAIT with no replicas,
// CLIENT PAUSE WRITE/ALL (postponed commands, MULTI, expiry held back), CLIENT
// UNBLOCK, INFO's blocked_clients, CLIENT LIST's 'b' flag, and a blocked client
// that disconnects. List and sorted-set blocking commands have their own files;
// the TCP path is covered by test/interop/blocking-tcp.test.ts.
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, type Normaliser } from '../support/oracle.ts'

// Only the client lines' flags and cmd fields are compared: ids, addresses, ages and
// memory figures differ between two servers by nature.
const flagsAndCmd: Normaliser = Object.assign(
  (raw: string) =>
    raw.replace(/id=\d+ .*?flags=(\S+) .*?cmd=(\S+) .*?(?=\n|$)/g, 'flags=$1 cmd=$2').replace(/^([$=])\d+/, '$1?'),
  { why: 'client ids, ports, ages and memory differ between the two servers' },
)

const infoBlocked: Normaliser = Object.assign(
  (raw: string) => {
    const lines = raw.split('\r\n').filter((l) => /^(blocked_clients|clients_in_timeout_table):/.test(l))
    return lines.join('|')
  },
  { why: 'only the blocked-client counters are compared; the rest of INFO clients differs by nature' },
)

for (const resp of [2, 3] as const) {
  describeOracle(`blocking: WAIT, CLIENT PAUSE, CLIENT UNBLOCK (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it('WAIT without replicas: at once, or after the timeout, or when unblocked', async () => {
      await oracle().runScript(`
        WAIT 0 0
        WAIT -1 100
        WAIT x 0
        WAIT 1 -1
        WAIT 1 x
        WAIT 1 1.5
        WAIT 1
        MULTI
        WAIT 5 0
        EXEC
        [c1 frames=0] WAIT 1 100
        .sleep 400
        [c1] .pushes
        [c1 frames=0] WAIT 2 0
        CLIENT UNBLOCK $id(c1) ERROR
        [c1] .pushes
        [c1 frames=0] WAIT 2 0
        CLIENT UNBLOCK $id(c1)
        CLIENT UNBLOCK $id(c1)
        [c1] .pushes
        [c1] PING
        CLIENT UNBLOCK $id(c1) FOO
        CLIENT UNBLOCK x
        CLIENT UNBLOCK 1 TIMEOUT extra
        INFO errorstats
      `)
    })

    it('blocked_clients, clients_in_timeout_table and the b flag', async () => {
      const o = oracle()
      await o.runScript(`
        [c2 frames=0] WAIT 1 0
        [c3 frames=0] WAIT 1 10000
      `)
      await o.expectSame(['INFO', 'clients'], infoBlocked)
      await o.expectSame(['CLIENT', 'LIST'], flagsAndCmd)
      await o.runScript(`
        CLIENT UNBLOCK $id(c2)
        CLIENT UNBLOCK $id(c3)
        [c2] .pushes
        [c3] .pushes
      `)
      await o.expectSame(['INFO', 'clients'], infoBlocked)
    })

    it('CLIENT PAUSE WRITE postpones writes (even queued ones) until CLIENT UNPAUSE', async () => {
      await oracle().runScript(`
        CLIENT PAUSE
        CLIENT PAUSE -1
        CLIENT PAUSE abc
        CLIENT PAUSE 1.5
        CLIENT PAUSE 10 FOO
        CLIENT PAUSE 10 WRITE extra
        CLIENT UNPAUSE x
        SET k 1
        CLIENT PAUSE 100000 WRITE
        [c1] GET k
        [c1 frames=0] SET k 2
        [c2] MULTI
        [c2 frames=0] INCR k
        [c3] GET k
        [c3 frames=0] PUBLISH ch x
        CLIENT UNPAUSE
        [c1] .pushes
        [c2] .pushes
        [c3] .pushes
        [c2] EXEC
        [c3] GET k
      `)
    })

    it('CLIENT PAUSE ALL postpones every command; the pause ends by itself', async () => {
      await oracle().runScript(`
        SET k 1
        CLIENT PAUSE 300 ALL
        [c1 frames=0] GET k
        [c2 frames=0] PING
        .sleep 600
        [c1] .pushes
        [c2] .pushes
        [c1] GET k
      `)
    })

    it('keys do not expire while writes are paused', async () => {
      // The TTL leaves a second for the pause to arrive, even on a loaded machine; then it has passed.
      await oracle().runScript(`
        SET k v PX 1000
        CLIENT PAUSE 100000 WRITE
        .sleep 1300
        [c1] GET k
        [c1] EXISTS k
        [c1] DBSIZE
        CLIENT UNPAUSE
        [c1] GET k
        [c1] DBSIZE
      `)
    })

    it('a blocked or postponed client that disconnects leaves nothing behind', async () => {
      const o = oracle()
      await o.runScript(`
        [c4 frames=0] WAIT 1 0
        CLIENT PAUSE 100000 WRITE
        [c5 frames=0] SET k 1
        CLIENT KILL ID $id(c4)
        CLIENT KILL ID $id(c5)
        CLIENT UNPAUSE
        GET k
      `)
      await o.expectSame(['INFO', 'clients'], infoBlocked)
    })
  })
}

