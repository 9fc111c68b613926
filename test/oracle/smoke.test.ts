// First oracle run against the engine: connection and string basics, byte for
// byte in RESP2 and RESP3.
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle } from '../support/oracle.ts'

for (const [resp, against] of [[2, 'engine'], [3, 'engine'], [2, 'engine-tcp'], [3, 'engine-tcp']] as const) {
  describeOracle(`oracle smoke (RESP${resp}, ${against})`, () => {
    const oracle = useOracle({ resp, against })

    it('PING and ECHO', async () => {
      await oracle().runScript(`
        PING
        PING hello
        PING "a b" c
        ECHO ""
        ECHO "\\x00\\xff\\r\\n"
        ECHO
        ping
      `)
    })

    it('SET and GET', async () => {
      await oracle().runScript(`
        GET k
        SET k v
        GET k
        SET k "new value"
        GET k
        SET "" ""
        GET ""
        SET bin "\\x00\\x01\\xfe\\xff"
        GET bin
        SET n 12345
        GET n
        GET
        SET k
        GET k extra
      `)
    })

    it('unknown commands', async () => {
      await oracle().runScript(`
        NOSUCH
        nosuch a "b c" d
      `)
    })
  })
}
