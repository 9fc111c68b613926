// Differential tests of every string command against redis-server 7.0.15,
// byte for byte, in RESP2 and RESP3. Each `it` uses its own key names, so the
// blocks do not depend on each other's state (both sides share one server per
// protocol).
import { it } from 'vitest'
import { describeOracle } from '../support/redis-server.ts'
import { useOracle, type Normaliser } from '../support/oracle.ts'
import { allCommands } from '../../engine/commands/index.ts'

// The notification test needs PSUBSCRIBE, which another group provides; until it
// lands the events are checked engine-side in engine/commands/string/string.test.ts.
const hasPubSub = allCommands.some((c) => c.name === 'psubscribe')

/**
 * TTL replies depend on how much real time passed between the write and the
 * read on each side. A reply of at least `unit` is rounded to the nearest
 * `unit` (TTL of EX 10000 is 10000 or 9999 -> 10000; PTTL of PX 10000000 is a
 * few ms below -> 10000000); small replies such as -1 / -2 / 0 stay exact.
 */
function approxTtl(unit: number): Normaliser {
  return Object.assign(
    (raw: string) =>
      raw.replace(/^:(\d+)\r\n$/, (m, d: string) => {
        const v = Number(d)
        return v < unit ? m : `:~${Math.round(v / unit) * unit}\r\n`
      }),
    { why: `a TTL counts down in real time on each side (rounded to ${unit})` },
  )
}
const ttlSeconds = approxTtl(10)
const ttlMillis = approxTtl(1000)

/** Every byte value once, 0..255. */
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')
/** UTF-8 bytes of some text, as a byte string. */
const utf8 = (s: string): string => String.fromCharCode(...new TextEncoder().encode(s))

for (const resp of [2, 3] as const) {
  describeOracle(`string commands (RESP${resp})`, () => {
    const oracle = useOracle({ resp })

    it('GET and SET basics, arity', async () => {
      await oracle().runScript(`
        GET basic:missing
        SET basic:k v
        GET basic:k
        SET basic:k ""
        GET basic:k
        SET "" empty-key
        GET ""
        SET basic:k 1 2
        SET basic:k
        SET
        GET
        GET a b
        get basic:k
        sEt basic:k V
        GET basic:k
        SET basic:sp "with spaces \\r\\n and CRLF"
        GET basic:sp
      `)
    })

    it('binary and UTF-8 keys and values', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'bin:all', ALL_BYTES])
      await o.expectSame(['GET', 'bin:all'])
      await o.expectSame(['STRLEN', 'bin:all'])
      await o.expectSame(['SET', ALL_BYTES, 'value under a key of all bytes'])
      await o.expectSame(['GET', ALL_BYTES])
      await o.expectSame(['GETRANGE', 'bin:all', '250', '-1'])
      await o.expectSame(['GETRANGE', 'bin:all', '0', '3'])
      await o.expectSame(['APPEND', 'bin:all', '\x00\xff'])
      await o.expectSame(['GET', 'bin:all'])
      await o.expectSame(['SETRANGE', 'bin:all', '128', '\r\n\x00'])
      await o.expectSame(['GETRANGE', 'bin:all', '120', '140'])
      for (let b = 0; b < 256; b += 17) {
        const ch = String.fromCharCode(b)
        await o.expectSame(['SET', `bin:one:${ch}`, ch])
        await o.expectSame(['GET', `bin:one:${ch}`])
        await o.expectSame(['APPEND', `bin:one:${ch}`, ch])
      }
      const text = utf8('héllo wörld ✓ 😀 日本語')
      await o.expectSame(['SET', utf8('ключ'), text])
      await o.expectSame(['GET', utf8('ключ')])
      await o.expectSame(['STRLEN', utf8('ключ')])
      // Byte ranges may cut a UTF-8 sequence in half.
      await o.expectSame(['GETRANGE', utf8('ключ'), '1', '2'])
      await o.expectSame(['GETRANGE', utf8('ключ'), '-5', '-2'])
      await o.expectSame(['LCS', utf8('ключ'), utf8('ключ')])
      await o.expectSame(['MGET', utf8('ключ'), 'bin:all', 'bin:none'])
    })

    it('large values (read by Redis into their own buffer from 32 KB up)', async () => {
      const o = oracle()
      const big = ALL_BYTES.repeat(400) // 100 KB
      await o.expectSame(['SET', 'big:a', big])
      await o.expectSame(['OBJECT', 'ENCODING', 'big:a'])
      await o.expectSame(['STRLEN', 'big:a'])
      await o.expectSame(['APPEND', 'big:a', big])
      await o.expectSame(['GETRANGE', 'big:a', '102395', '102405'])
      await o.expectSame(['SETRANGE', 'big:a', '300000', 'tail'])
      await o.expectSame(['GET', 'big:a'])
      await o.expectSame(['GETSET', 'big:a', '1'])
      await o.expectSame(['OBJECT', 'ENCODING', 'big:a'])
      await o.expectSame(['SET', 'big:b', '7'.repeat(40000)])
      await o.expectSame(['OBJECT', 'ENCODING', 'big:b'])
      await o.expectSame(['INCR', 'big:b'])
      await o.expectSame(['INCRBYFLOAT', 'big:b', '1'])
      await o.expectSame(['SET', 'big:c', 'ab'.repeat(1500)])
      await o.expectSame(['SET', 'big:d', 'ba'.repeat(1400)])
      await o.expectSame(['LCS', 'big:c', 'big:d', 'LEN'])
      await o.expectSame(['LCS', 'big:c', 'big:d', 'IDX', 'MINMATCHLEN', '100', 'WITHMATCHLEN'])
      await o.expectSame(['GETDEL', 'big:c'])
    })

    it('SET options: NX XX GET KEEPTTL and their combinations', async () => {
      await oracle().runScript(`
        SET opt:a 1 NX
        SET opt:a 2 NX
        GET opt:a
        SET opt:a 3 XX
        GET opt:a
        SET opt:b 1 XX
        GET opt:b
        SET opt:a 4 GET
        SET opt:none 4 GET
        GET opt:none
        SET opt:a 5 NX GET
        GET opt:a
        SET opt:new 5 NX GET
        GET opt:new
        SET opt:a 6 XX GET
        SET opt:missing 6 XX GET
        GET opt:missing
        SET opt:a 7 GET GET
        SET opt:a 8 nx nx
        SET opt:a 8 xx XX
        SET opt:a 9 Get
        SET opt:a 9 keepttl
        SET opt:a 9 KEEPTTL KEEPTTL
        SET opt:a 9 KEEPTTL GET
        SET opt:a 9 NX XX
        SET opt:a 9 XX NX
        SET opt:a 9 NX XX GET
        SET opt:a 9 FOO
        SET opt:a 9 GETX
        SET opt:a 9 N
        SET opt:a 9 ""
        GET opt:a
      `)
    })

    it('SET options: keywords are compared as C strings (a NUL ends them)', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'nul:a', '1', 'NX\x00junk'])
      await o.expectSame(['GET', 'nul:a'])
      await o.expectSame(['SET', 'nul:a', '2', 'get\x00'])
      await o.expectSame(['SET', 'nul:a', '3', 'XX\x00', 'GET\x00x'])
      await o.expectSame(['SET', 'nul:a', '4', 'keepttl\x00zz'])
      await o.expectSame(['SET', 'nul:a', '5', 'PX\x00', '100000'])
      await o.expectSame(['SET', 'nul:a', '6', '\x00NX'])
      await o.expectSame(['GETEX', 'nul:a', 'PERSIST\x00x'])
      await o.expectSame(['GET', 'nul:a'])
      await o.expectSame(['LCS', 'nul:a', 'nul:a', 'LEN\x00'])
    })

    it('SET expire options: EX PX EXAT PXAT and their errors', async () => {
      await oracle().runScript(`
        SET exp:a v EX 100000
        SET exp:a v PX 100000000
        SET exp:a v EXAT 4102444800
        SET exp:a v PXAT 4102444800000
        SET exp:a v ex 100 EX 200
        SET exp:a v EX 100 PX 100
        SET exp:a v PX 100 EX 100
        SET exp:a v EX 100 EXAT 100
        SET exp:a v EXAT 100 PXAT 100
        SET exp:a v PXAT 100 PX 100
        SET exp:a v EX 100 KEEPTTL
        SET exp:a v KEEPTTL EX 100
        SET exp:a v KEEPTTL PXAT 100
        SET exp:a v EX
        SET exp:a v PX
        SET exp:a v EXAT
        SET exp:a v PXAT
        SET exp:a v NX EX
        SET exp:a v EX NX
        SET exp:a v EX 0
        SET exp:a v EX -1
        SET exp:a v PX 0
        SET exp:a v PX -100
        SET exp:a v EXAT 0
        SET exp:a v PXAT -1
        SET exp:a v EX abc
        SET exp:a v EX 1.5
        SET exp:a v EX " 1"
        SET exp:a v EX 01
        SET exp:a v EX ""
        SET exp:a v EX 9223372036854775807
        SET exp:a v EX 9223372036854775808
        SET exp:a v EX 9223372036854776
        SET exp:a v EX 9223372036854775
        SET exp:a v EX 9223372036854
        SET exp:a v PX 9223372036854775807
        SET exp:a v PX 9223372036854775806
        SET exp:a v PX -9223372036854775808
        SET exp:a v EXAT 9223372036854776
        SET exp:a v EXAT -9223372036854775808
        SET exp:a v PXAT 9223372036854775808
        SET exp:a v EX 0 NX
        SET exp:nx v NX EX 0
        GET exp:nx
        SET exp:g v GET EX 0
        SET exp:b v EX 100000 GET
        SET exp:b w PX 100000 NX GET
        SET exp:b w PX 100000 XX GET
        GET exp:b
      `)
    })

    it('SET expire: EXAT/PXAT that overflow nothing are accepted as given', async () => {
      // Absolute times far in the future; reading their TTL back exactly is left to the
      // generic TTL tests (values beyond 2^53 ms are out of a double's exact range).
      await oracle().runScript(`
        SET expbig:a v EXAT 9223372036854775
        GET expbig:a
        SET expbig:b v PXAT 9223372036854775807
        GET expbig:b
        SET expbig:c v EX 9223372036854
        GET expbig:c
      `)
    })

    it('SET expire: TTLs set, kept and removed', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'ttl:a', 'v', 'EX', '10000'])
      await o.expectSame(['TTL', 'ttl:a'], ttlSeconds)
      await o.expectSame(['PTTL', 'ttl:a'], ttlMillis)
      await o.expectSame(['SET', 'ttl:a', 'w', 'KEEPTTL'])
      await o.expectSame(['TTL', 'ttl:a'], ttlSeconds)
      await o.expectSame(['SET', 'ttl:a', 'x', 'GET', 'KEEPTTL'])
      await o.expectSame(['TTL', 'ttl:a'], ttlSeconds)
      await o.expectSame(['SET', 'ttl:a', 'y'])
      await o.expectSame(['TTL', 'ttl:a'])
      await o.expectSame(['SET', 'ttl:b', 'v', 'PX', '10000000'])
      await o.expectSame(['PTTL', 'ttl:b'], ttlMillis)
      await o.expectSame(['SET', 'ttl:b', 'v', 'XX', 'EX', '20000'])
      await o.expectSame(['TTL', 'ttl:b'], ttlSeconds)
      await o.expectSame(['SET', 'ttl:b', 'v', 'NX', 'EX', '30000'])
      await o.expectSame(['TTL', 'ttl:b'], ttlSeconds)
      await o.expectSame(['SET', 'ttl:c', 'v', 'EXAT', '4102444800'])
      await o.expectSame(['EXPIRETIME', 'ttl:c'])
      await o.expectSame(['PEXPIRETIME', 'ttl:c'])
      await o.expectSame(['SET', 'ttl:d', 'v', 'PXAT', '4102444800123'])
      await o.expectSame(['PEXPIRETIME', 'ttl:d'])
      await o.expectSame(['EXPIRETIME', 'ttl:d'])
      // An absolute time in the past: the key is set, then gone on the next access.
      await o.expectSame(['SET', 'ttl:past', 'v', 'PXAT', '1'])
      await o.expectSame(['GET', 'ttl:past'])
      await o.expectSame(['EXISTS', 'ttl:past'])
      await o.expectSame(['SET', 'ttl:past', 'v', 'EXAT', '1', 'GET'])
      await o.expectSame(['SET', 'ttl:past2', 'v'])
      await o.expectSame(['SET', 'ttl:past2', 'w', 'EXAT', '1', 'GET'])
      await o.expectSame(['GET', 'ttl:past2'])
      // Short TTLs expire for real.
      await o.expectSame(['SET', 'ttl:short', 'v', 'PX', '30'])
      await o.expectSame(['PSETEX', 'ttl:short2', '30', 'v'])
      await new Promise((r) => setTimeout(r, 80))
      await o.expectSame(['GET', 'ttl:short'])
      await o.expectSame(['GET', 'ttl:short2'])
      await o.expectSame(['SET', 'ttl:short', 'again', 'XX'])
      await o.expectSame(['GET', 'ttl:short'])
    })

    it('SETNX, SETEX, PSETEX', async () => {
      const o = oracle()
      await o.runScript(`
        SETNX snx:a 1
        SETNX snx:a 2
        GET snx:a
        SETNX snx:a
        SETNX snx:a 1 2
        SETEX sex:a 100 v
        GET sex:a
        SETEX sex:a 0 v
        SETEX sex:a -10 v
        SETEX sex:a abc v
        SETEX sex:a 1.5 v
        SETEX sex:a 9223372036854776 v
        SETEX sex:a 9223372036854775 v
        SETEX sex:a 9223372036854775808 v
        SETEX sex:a 100
        SETEX sex:a 100 v extra
        PSETEX psex:a 100000 v
        GET psex:a
        PSETEX psex:a 0 v
        PSETEX psex:a -1 v
        PSETEX psex:a x v
        PSETEX psex:a 9223372036854775807 v
        PSETEX psex:a 100
        GET psex:a
      `)
      await o.expectSame(['SETEX', 'sex:b', '10000', '12'])
      await o.expectSame(['TTL', 'sex:b'], ttlSeconds)
      await o.expectSame(['PSETEX', 'psex:b', '10000000', '12'])
      await o.expectSame(['PTTL', 'psex:b'], ttlMillis)
      await o.expectSame(['SETNX', 'psex:b', 'x'])
      await o.expectSame(['PTTL', 'psex:b'], ttlMillis)
    })

    it('GETSET and GETDEL', async () => {
      const o = oracle()
      await o.runScript(`
        GETSET gs:a 1
        GETSET gs:a 2
        GET gs:a
        GETSET gs:a
        GETSET gs:a 1 2
        GETDEL gs:a
        GETDEL gs:a
        GET gs:a
        GETDEL
        GETDEL gs:a gs:b
        SET gs:int 12345
        GETDEL gs:int
        SET gs:e ""
        GETDEL gs:e
        GETDEL gs:e
      `)
      await o.expectSame(['SET', 'gs:ttl', 'v', 'EX', '10000'])
      await o.expectSame(['GETSET', 'gs:ttl', 'w'])
      await o.expectSame(['TTL', 'gs:ttl'])
      await o.expectSame(['SET', 'gs:ttl2', 'v', 'EX', '10000'])
      await o.expectSame(['GETDEL', 'gs:ttl2'])
      await o.expectSame(['TTL', 'gs:ttl2'])
      await o.expectSame(['EXISTS', 'gs:ttl2'])
    })

    it('GETEX: options, errors and their order', async () => {
      await oracle().runScript(`
        GETEX gx:missing
        GETEX gx:missing EX 100
        GETEX gx:missing EX -1
        GETEX gx:missing EX abc
        GETEX gx:missing PERSIST
        GETEX gx:missing EX 1 PERSIST
        GETEX gx:missing NX
        SET gx:a v
        GETEX gx:a
        GETEX gx:a EX 0
        GETEX gx:a EX -5
        GETEX gx:a PX 0
        GETEX gx:a EXAT 0
        GETEX gx:a PXAT -1
        GETEX gx:a EX abc
        GETEX gx:a EX 9223372036854776
        GETEX gx:a PX 9223372036854775807
        GETEX gx:a EX
        GETEX gx:a NX
        GETEX gx:a XX
        GETEX gx:a GET
        GETEX gx:a KEEPTTL
        GETEX gx:a EX 100 PX 100
        GETEX gx:a EX 100 PERSIST
        GETEX gx:a PERSIST EX 100
        GETEX gx:a PERSIST PERSIST
        GETEX gx:a EX 100 EX 200
        GETEX gx:a persist
        GETEX gx:a FOO
        GETEX
        GET gx:a
      `)
    })

    it('GETEX: setting, removing and passing TTLs', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'gxt:a', '12345'])
      await o.expectSame(['GETEX', 'gxt:a', 'EX', '10000'])
      await o.expectSame(['TTL', 'gxt:a'], ttlSeconds)
      await o.expectSame(['GETEX', 'gxt:a', 'PX', '20000000'])
      await o.expectSame(['PTTL', 'gxt:a'], ttlMillis)
      await o.expectSame(['GETEX', 'gxt:a'])
      await o.expectSame(['PTTL', 'gxt:a'], ttlMillis)
      await o.expectSame(['GETEX', 'gxt:a', 'EXAT', '4102444800'])
      await o.expectSame(['EXPIRETIME', 'gxt:a'])
      await o.expectSame(['GETEX', 'gxt:a', 'PXAT', '4102444800999'])
      await o.expectSame(['PEXPIRETIME', 'gxt:a'])
      await o.expectSame(['GETEX', 'gxt:a', 'PERSIST'])
      await o.expectSame(['TTL', 'gxt:a'])
      await o.expectSame(['GETEX', 'gxt:a', 'PERSIST'])
      await o.expectSame(['OBJECT', 'ENCODING', 'gxt:a'])
      // An absolute time already past deletes the key after replying its value.
      await o.expectSame(['GETEX', 'gxt:a', 'EXAT', '1'])
      await o.expectSame(['EXISTS', 'gxt:a'])
      await o.expectSame(['GETEX', 'gxt:a'])
      await o.expectSame(['SET', 'gxt:b', 'v'])
      await o.expectSame(['GETEX', 'gxt:b', 'PXAT', '1000'])
      await o.expectSame(['GET', 'gxt:b'])
    })

    it('MGET, MSET, MSETNX', async () => {
      await oracle().runScript(`
        MSET ms:a 1 ms:b 2 ms:c 3
        MGET ms:a ms:b ms:c ms:d
        MGET ms:d
        MGET
        MSET ms:a
        MSET ms:a 1 ms:b
        MSET
        MSET ms:a 10 ms:a 11
        GET ms:a
        MSETNX ms:a 1 ms:x 2
        GET ms:x
        MSETNX ms:x 1 ms:y 2
        MGET ms:x ms:y
        MSETNX ms:z 1 ms:z 2
        GET ms:z
        MSETNX ms:q
        MSETNX ms:q 1 ms:r
        MSET "" "" ms:bin "\\x00\\xff"
        MGET "" ms:bin
      `)
    })

    it('INCR DECR INCRBY DECRBY: values, errors, overflow', async () => {
      await oracle().runScript(`
        INCR ctr:a
        INCR ctr:a
        DECR ctr:a
        DECR ctr:a
        DECR ctr:a
        INCRBY ctr:a 100
        INCRBY ctr:a -1000
        DECRBY ctr:a -5
        DECRBY ctr:a 5
        GET ctr:a
        INCRBY ctr:a abc
        INCRBY ctr:a 1.5
        INCRBY ctr:a ""
        INCRBY ctr:a " 1"
        INCRBY ctr:a 01
        INCRBY ctr:a +1
        INCRBY ctr:a -0
        INCRBY ctr:a 9223372036854775808
        DECRBY ctr:a abc
        DECRBY ctr:a -9223372036854775808
        DECRBY ctr:missing -9223372036854775808
        INCRBY ctr:a 0
        DECRBY ctr:a 0
        SET ctr:max 9223372036854775807
        INCR ctr:max
        INCRBY ctr:max 0
        DECR ctr:max
        INCR ctr:max
        INCR ctr:max
        SET ctr:min -9223372036854775808
        DECR ctr:min
        DECRBY ctr:min 1
        INCRBY ctr:min -1
        INCRBY ctr:min 9223372036854775807
        INCRBY ctr:min 1
        INCRBY ctr:min 9223372036854775807
        SET ctr:big 9007199254740993
        INCR ctr:big
        INCRBY ctr:big 9007199254740993
        DECRBY ctr:big 36028797018963970
        SET ctr:bad abc
        INCR ctr:bad
        DECR ctr:bad
        SET ctr:bad " 1"
        INCR ctr:bad
        SET ctr:bad "1 "
        INCR ctr:bad
        SET ctr:bad 01
        INCR ctr:bad
        SET ctr:bad 1.0
        INCR ctr:bad
        SET ctr:bad -0
        INCR ctr:bad
        SET ctr:bad ""
        INCR ctr:bad
        SET ctr:bad 9223372036854775808
        INCR ctr:bad
        SET ctr:bad "1\\x00"
        INCR ctr:bad
        INCR
        INCR a b
        INCRBY ctr:a
        DECRBY ctr:a 1 2
      `)
    })

    it('INCR family keeps the TTL', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'ctrttl:a', '10', 'EX', '10000'])
      await o.expectSame(['INCR', 'ctrttl:a'])
      await o.expectSame(['TTL', 'ctrttl:a'], ttlSeconds)
      await o.expectSame(['INCRBY', 'ctrttl:a', '100000'])
      await o.expectSame(['TTL', 'ctrttl:a'], ttlSeconds)
      await o.expectSame(['INCRBYFLOAT', 'ctrttl:a', '0.5'])
      await o.expectSame(['TTL', 'ctrttl:a'], ttlSeconds)
      await o.expectSame(['APPEND', 'ctrttl:a', '1'])
      await o.expectSame(['TTL', 'ctrttl:a'], ttlSeconds)
      await o.expectSame(['SETRANGE', 'ctrttl:a', '0', '9'])
      await o.expectSame(['TTL', 'ctrttl:a'], ttlSeconds)
      await o.expectSame(['GET', 'ctrttl:a'])
    })

    it('INCRBYFLOAT', async () => {
      await oracle().runScript(`
        INCRBYFLOAT fl:a 10.5
        INCRBYFLOAT fl:a 0.1
        INCRBYFLOAT fl:a -5
        INCRBYFLOAT fl:a 5.0e3
        INCRBYFLOAT fl:a 1E-3
        INCRBYFLOAT fl:a 0x10
        INCRBYFLOAT fl:a -5005.6
        GET fl:a
        INCRBYFLOAT fl:b 3
        INCRBYFLOAT fl:b -3
        INCRBYFLOAT fl:b -0.0
        INCRBYFLOAT fl:c 1.1
        INCRBYFLOAT fl:c 2.2
        INCRBYFLOAT fl:d 1e308
        INCRBYFLOAT fl:d 1e308
        INCRBYFLOAT fl:e 0.1
        INCRBYFLOAT fl:e 0.2
        INCRBYFLOAT fl:f 1e-20
        INCRBYFLOAT fl:g 123456789012345678901234567890
        INCRBYFLOAT fl:g 1
        INCRBYFLOAT fl:h 1e400
        INCRBYFLOAT fl:h 1e-400
        INCRBYFLOAT fl:h inf
        INCRBYFLOAT fl:h -inf
        INCRBYFLOAT fl:h +inf
        INCRBYFLOAT fl:h nan
        INCRBYFLOAT fl:h abc
        INCRBYFLOAT fl:h ""
        INCRBYFLOAT fl:h " 1"
        INCRBYFLOAT fl:h "1 "
        INCRBYFLOAT fl:h 1..1
        INCRBYFLOAT fl:h "1\\x00"
        GET fl:h
        SET fl:i 5
        INCRBYFLOAT fl:i 2
        SET fl:j abc
        INCRBYFLOAT fl:j 1
        SET fl:j " 1"
        INCRBYFLOAT fl:j 1
        SET fl:j 1e3
        INCRBYFLOAT fl:j 1
        SET fl:j 9223372036854775807
        INCRBYFLOAT fl:j 1
        SET fl:j inf
        INCRBYFLOAT fl:j 1
        INCRBYFLOAT fl:j -inf
        SET fl:k 1.7976931348623157e308
        INCRBYFLOAT fl:k 1.7976931348623157e308
        SET fl:l 1e4931
        INCRBYFLOAT fl:l 1e4931
        INCRBYFLOAT
        INCRBYFLOAT fl:a
        INCRBYFLOAT fl:a 1 2
      `)
    })

    it('APPEND and STRLEN', async () => {
      await oracle().runScript(`
        APPEND ap:a hello
        APPEND ap:a " world"
        GET ap:a
        STRLEN ap:a
        APPEND ap:a ""
        APPEND ap:new ""
        EXISTS ap:new
        GET ap:new
        STRLEN ap:new
        APPEND ap:n 12
        APPEND ap:n 34
        GET ap:n
        INCR ap:n
        STRLEN ap:n
        STRLEN ap:missing
        SET ap:int -9223372036854775808
        STRLEN ap:int
        APPEND ap:int 0
        APPEND
        APPEND ap:a
        APPEND ap:a b c
        STRLEN
        STRLEN a b
      `)
    })

    it('GETRANGE and SUBSTR', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'gr:s', 'This is a string'])
      await o.expectSame(['SET', 'gr:i', '1234567890'])
      await o.expectSame(['SET', 'gr:e', ''])
      const idx = ['0', '1', '3', '-1', '-3', '-16', '-17', '-100', '15', '16', '100', '9223372036854775807', '-9223372036854775808', '9007199254740993']
      for (const key of ['gr:s', 'gr:i', 'gr:e', 'gr:missing']) {
        for (const a of idx) {
          for (const b of idx) await o.expectSame(['GETRANGE', key, a, b])
        }
      }
      await o.runScript(`
        SUBSTR gr:s 0 3
        SUBSTR gr:s -3 -1
        SUBSTR gr:missing 0 -1
        GETRANGE gr:s a 1
        GETRANGE gr:s 1 a
        GETRANGE gr:s 1.5 2
        GETRANGE gr:missing a 1
        GETRANGE gr:s 9223372036854775808 1
        GETRANGE gr:s 0
        GETRANGE gr:s 0 1 2
        SUBSTR gr:s 0
      `)
    })

    it('SETRANGE', async () => {
      await oracle().runScript(`
        SETRANGE sr:a 0 hello
        SETRANGE sr:a 6 world
        GET sr:a
        SETRANGE sr:a 1 EL
        GET sr:a
        SETRANGE sr:a 11 !
        SETRANGE sr:a 20 end
        GET sr:a
        SETRANGE sr:a 0 ""
        SETRANGE sr:a 1000 ""
        STRLEN sr:a
        SETRANGE sr:new 0 ""
        EXISTS sr:new
        SETRANGE sr:new 5 ""
        EXISTS sr:new
        SETRANGE sr:gap 3 x
        GET sr:gap
        SETRANGE sr:a -1 x
        SETRANGE sr:a -1 ""
        SETRANGE sr:missing -1 x
        SETRANGE sr:a abc x
        SETRANGE sr:a 1.5 x
        SETRANGE sr:a 9223372036854775808 x
        SETRANGE sr:a 9223372036854775807 x
        SETRANGE sr:a 9223372036854775807 ""
        SETRANGE sr:a 536870912 x
        SETRANGE sr:a 536870911 xy
        SETRANGE sr:missing2 536870912 x
        SETRANGE sr:missing2 9223372036854775807 x
        EXISTS sr:missing2
        SET sr:int 12345
        SETRANGE sr:int 1 x
        GET sr:int
        SET sr:int 12345
        SETRANGE sr:int 5 6
        GET sr:int
        INCR sr:int
        SETRANGE
        SETRANGE sr:a 1
        SETRANGE sr:a 1 x y
      `)
    })

    it('LCS', async () => {
      await oracle().runScript(`
        MSET lcs:k1 ohmytext lcs:k2 mynewtext
        LCS lcs:k1 lcs:k2
        LCS lcs:k1 lcs:k2 LEN
        LCS lcs:k1 lcs:k2 IDX
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN 4
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN 4 WITHMATCHLEN
        LCS lcs:k1 lcs:k2 IDX WITHMATCHLEN
        LCS lcs:k1 lcs:k2 idx withmatchlen minmatchlen 2
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN -5
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN 0
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN 9223372036854775807
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN abc
        LCS lcs:k1 lcs:k2 IDX MINMATCHLEN
        LCS lcs:k1 lcs:k2 MINMATCHLEN 2
        LCS lcs:k1 lcs:k2 WITHMATCHLEN
        LCS lcs:k1 lcs:k2 LEN IDX
        LCS lcs:k1 lcs:k2 IDX LEN
        LCS lcs:k1 lcs:k2 LEN LEN
        LCS lcs:k1 lcs:k2 FOO
        LCS lcs:k2 lcs:k1 IDX WITHMATCHLEN
        LCS lcs:k1 lcs:missing
        LCS lcs:missing lcs:k1 IDX
        LCS lcs:missing lcs:missing2 LEN
        LCS lcs:missing lcs:missing2 IDX
        LCS lcs:k1 lcs:k1 IDX WITHMATCHLEN
        MSET lcs:a ABCBDAB lcs:b BDCABA
        LCS lcs:a lcs:b
        LCS lcs:a lcs:b IDX WITHMATCHLEN
        LCS lcs:b lcs:a IDX WITHMATCHLEN
        MSET lcs:x aaaa lcs:y aa
        LCS lcs:x lcs:y IDX WITHMATCHLEN
        LCS lcs:y lcs:x IDX WITHMATCHLEN
        MSET lcs:n1 1234567 lcs:n2 2468
        LCS lcs:n1 lcs:n2 IDX WITHMATCHLEN
        MSET lcs:p "abc\\x00def\\xff" lcs:q "\\x00\\xffxyzabc"
        LCS lcs:p lcs:q
        LCS lcs:p lcs:q IDX WITHMATCHLEN
        MSET lcs:e ""
        LCS lcs:e lcs:k1 IDX
        LCS lcs:k1
        LCS
      `)
    })

    it('LCS on longer, varied strings', async () => {
      const o = oracle()
      // A deterministic pseudo-random generator, so both sides get the same strings.
      let seed = 12345
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        return seed % n
      }
      const word = (len: number, alphabet: string): string =>
        Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('')
      for (const [la, lb, alpha] of [[40, 50, 'ab'], [100, 80, 'acgt'], [200, 200, 'abcdefghij'], [7, 300, 'xyz']] as const) {
        const a = word(la, alpha)
        const b = word(lb, alpha)
        await o.expectSame(['MSET', 'lcsr:a', a, 'lcsr:b', b])
        await o.expectSame(['LCS', 'lcsr:a', 'lcsr:b'])
        await o.expectSame(['LCS', 'lcsr:a', 'lcsr:b', 'LEN'])
        await o.expectSame(['LCS', 'lcsr:a', 'lcsr:b', 'IDX', 'WITHMATCHLEN'])
        await o.expectSame(['LCS', 'lcsr:b', 'lcsr:a', 'IDX', 'MINMATCHLEN', '3', 'WITHMATCHLEN'])
      }
    })

    it('random command sequences over a few keys', async () => {
      const o = oracle()
      // Deterministic, so both sides and every run see the same commands.
      let seed = 987654321
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        return seed % n
      }
      const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]
      const keys = ['rnd:a', 'rnd:b', 'rnd:c', 'rnd:d']
      const ints = ['0', '1', '-1', '7', '9999', '10000', '-10000', '123456789', '9223372036854775807', '-9223372036854775808', '4611686018427387904']
      const floats = ['0.1', '-0.1', '1e3', '2.5', '-7.25', '1e-5', '3.0e2', '100', '0x1p3', '1e20']
      const texts = ['', 'x', 'hello', '12', '-3', '1.5', ' 1', 'a'.repeat(44), 'b'.repeat(45), '\x00\xff\r\n', ALL_BYTES.slice(200, 230)]
      const value = (): string => pick([pick(ints), pick(floats), pick(texts)])
      const index = (): string => pick(['0', '1', '2', '5', '-1', '-2', '-10', '40', '100', String(rnd(60) - 30)])
      const gens: Array<() => string[]> = [
        () => ['SET', pick(keys), value()],
        () => ['SET', pick(keys), value(), pick(['NX', 'XX', 'GET', 'KEEPTTL'])],
        () => ['GET', pick(keys)],
        () => ['MGET', pick(keys), pick(keys), pick(keys)],
        () => ['MSET', pick(keys), value(), pick(keys), value()],
        () => ['MSETNX', pick(keys), value(), pick(keys), value()],
        () => ['INCR', pick(keys)],
        () => ['DECR', pick(keys)],
        () => ['INCRBY', pick(keys), pick(ints)],
        () => ['DECRBY', pick(keys), pick(ints)],
        () => ['INCRBYFLOAT', pick(keys), pick([...floats, ...ints])],
        () => ['APPEND', pick(keys), value()],
        () => ['STRLEN', pick(keys)],
        () => ['GETRANGE', pick(keys), index(), index()],
        () => ['SETRANGE', pick(keys), String(rnd(50)), pick(texts)],
        () => ['GETSET', pick(keys), value()],
        () => ['GETDEL', pick(keys)],
        () => ['GETEX', pick(keys)],
        () => ['SETNX', pick(keys), value()],
        () => ['LCS', pick(keys), pick(keys), pick(['LEN', 'IDX', 'WITHMATCHLEN', 'MINMATCHLEN'])],
        () => ['OBJECT', 'ENCODING', pick(keys)],
      ]
      for (let i = 0; i < 1500; i++) await o.expectSame(pick(gens)())
    })

    it('encodings: int, embstr, raw on every write path', async () => {
      await oracle().runScript(`
        SET enc:a 12345
        OBJECT ENCODING enc:a
        SET enc:a -9223372036854775808
        OBJECT ENCODING enc:a
        SET enc:a 9223372036854775807
        OBJECT ENCODING enc:a
        SET enc:a 9223372036854775808
        OBJECT ENCODING enc:a
        SET enc:a " 1"
        OBJECT ENCODING enc:a
        SET enc:a 01
        OBJECT ENCODING enc:a
        SET enc:a -0
        OBJECT ENCODING enc:a
        SET enc:a 1.5
        OBJECT ENCODING enc:a
        SET enc:a +1
        OBJECT ENCODING enc:a
        SET enc:a 0
        OBJECT ENCODING enc:a
        SET enc:a ""
        OBJECT ENCODING enc:a
        SET enc:a 00000000000000000001
        OBJECT ENCODING enc:a
        SET enc:a -0000000000000000001
        OBJECT ENCODING enc:a
        SET enc:a abcdefghijabcdefghijabcdefghijabcdefghij1234
        OBJECT ENCODING enc:a
        SET enc:a abcdefghijabcdefghijabcdefghijabcdefghij12345
        OBJECT ENCODING enc:a
        STRLEN enc:a
        SET enc:a 123456789012345678901234567890123456789012345
        OBJECT ENCODING enc:a
        APPEND enc:b hello
        OBJECT ENCODING enc:b
        APPEND enc:b x
        OBJECT ENCODING enc:b
        APPEND enc:c 42
        OBJECT ENCODING enc:c
        APPEND enc:c ""
        OBJECT ENCODING enc:c
        APPEND enc:c 3
        OBJECT ENCODING enc:c
        APPEND enc:d abcdefghijabcdefghijabcdefghijabcdefghij12345
        OBJECT ENCODING enc:d
        SETRANGE enc:e 0 x
        OBJECT ENCODING enc:e
        SET enc:f 12
        SETRANGE enc:f 0 ""
        OBJECT ENCODING enc:f
        SETRANGE enc:f 0 3
        OBJECT ENCODING enc:f
        INCR enc:f
        OBJECT ENCODING enc:f
        SET enc:g 10
        INCR enc:g
        OBJECT ENCODING enc:g
        SET enc:g abc
        OBJECT ENCODING enc:g
        INCRBYFLOAT enc:h 3
        OBJECT ENCODING enc:h
        INCRBYFLOAT enc:h 1e40
        OBJECT ENCODING enc:h
        INCRBYFLOAT enc:h 1e50
        OBJECT ENCODING enc:h
        INCRBYFLOAT enc:h -1e50
        OBJECT ENCODING enc:h
        SET enc:i 7
        INCRBYFLOAT enc:i 0
        OBJECT ENCODING enc:i
        GETSET enc:j 5
        OBJECT ENCODING enc:j
        GETSET enc:j abcdefghijabcdefghijabcdefghijabcdefghij12345
        OBJECT ENCODING enc:j
        MSET enc:k 1 enc:l x enc:m abcdefghijabcdefghijabcdefghijabcdefghij12345
        OBJECT ENCODING enc:k
        OBJECT ENCODING enc:l
        OBJECT ENCODING enc:m
        SETNX enc:n 99
        OBJECT ENCODING enc:n
        SETEX enc:o 1000 99
        OBJECT ENCODING enc:o
        PSETEX enc:p 100000 hello
        OBJECT ENCODING enc:p
        SET enc:q 77 GET
        OBJECT ENCODING enc:q
        GETEX enc:q PERSIST
        OBJECT ENCODING enc:q
        INCR enc:r
        OBJECT ENCODING enc:r
        DECRBY enc:s 100000
        OBJECT ENCODING enc:s
        OBJECT ENCODING enc:missing
      `)
    })

    it('MEMORY USAGE after each write path (sds sizes, greedy growth)', async () => {
      const o = oracle()
      const mu = (k: string) => o.expectSame(['MEMORY', 'USAGE', k])
      for (const [k, v] of [['mu:int', '123456'], ['mu:shared', '5'], ['mu:e', 'hello'], ['mu:e44', 'e'.repeat(44)],
        ['mu:r45', 'r'.repeat(45)], ['mu:r100', 'r'.repeat(100)], ['mu:r300', 'r'.repeat(300)], ['mu:r70k', 'r'.repeat(70000)]] as const) {
        await o.expectSame(['SET', k, v])
        await mu(k)
      }
      for (const add of ['x', 'yy', 'z'.repeat(40), 'w'.repeat(300), '', 'v'.repeat(5000)]) {
        await o.expectSame(['APPEND', 'mu:e', add])
        await mu('mu:e')
        await o.expectSame(['APPEND', 'mu:r100', add])
        await mu('mu:r100')
      }
      for (const [off, v] of [['0', 'a'], ['10', 'b'], ['200', 'c'], ['199', 'dd'], ['5000', 'e'], ['0', '']] as const) {
        await o.expectSame(['SETRANGE', 'mu:sr', off, v])
        await mu('mu:sr')
        await o.expectSame(['SETRANGE', 'mu:r300', off, v])
        await mu('mu:r300')
      }
      await o.expectSame(['INCR', 'mu:c'])
      await mu('mu:c')
      await o.expectSame(['INCRBY', 'mu:c', '100000'])
      await mu('mu:c')
      await o.expectSame(['INCRBYFLOAT', 'mu:c', '0.5'])
      await mu('mu:c')
      await o.expectSame(['INCRBYFLOAT', 'mu:c', '1e50'])
      await mu('mu:c')
      await o.expectSame(['GETSET', 'mu:c', 'r'.repeat(64)])
      await mu('mu:c')
      await o.expectSame(['MSET', 'mu:m1', '1', 'mu:m2', 'm'.repeat(50)])
      await mu('mu:m1')
      await mu('mu:m2')
    })

    // An unshared copy of a 1..31-byte value is made by sdsnewlen, which keeps the
    // sdshdr5 header (no spare room), so the first APPEND grows it greedily into an sdshdr8.
    it('MEMORY USAGE after APPEND to a short int or embstr value', async () => {
      const o = oracle()
      await o.expectSame(['SET', 'mu2:int', '123456'])
      await o.expectSame(['SET', 'mu2:e', 'hello world'])
      for (const add of ['x', 'yy', '', 'z'.repeat(40)]) {
        await o.expectSame(['APPEND', 'mu2:int', add])
        await o.expectSame(['MEMORY', 'USAGE', 'mu2:int'])
        await o.expectSame(['APPEND', 'mu2:e', add])
        await o.expectSame(['MEMORY', 'USAGE', 'mu2:e'])
      }
      await o.expectSame(['APPEND', 'mu2:new', 'abc'])
      await o.expectSame(['APPEND', 'mu2:new', 'd'])
      await o.expectSame(['MEMORY', 'USAGE', 'mu2:new'])
      await o.expectSame(['SET', 'mu2:s', '12'])
      await o.expectSame(['SETRANGE', 'mu2:s', '0', '9'])
      await o.expectSame(['MEMORY', 'USAGE', 'mu2:s'])
      await o.expectSame(['SETRANGE', 'mu2:s', '20', '9'])
      await o.expectSame(['MEMORY', 'USAGE', 'mu2:s'])
    })

    it('shared integers: OBJECT REFCOUNT', async () => {
      await oracle().runScript(`
        SET ref:a 0
        OBJECT REFCOUNT ref:a
        SET ref:a 9999
        OBJECT REFCOUNT ref:a
        SET ref:a 10000
        OBJECT REFCOUNT ref:a
        SET ref:a -1
        OBJECT REFCOUNT ref:a
        SET ref:a abc
        OBJECT REFCOUNT ref:a
        INCR ref:a2
        OBJECT REFCOUNT ref:a2
        INCRBY ref:a2 9998
        OBJECT REFCOUNT ref:a2
        OBJECT ENCODING ref:a2
        INCR ref:a2
        OBJECT REFCOUNT ref:a2
        DECR ref:a2
        OBJECT REFCOUNT ref:a2
        SET ref:b 20000
        DECRBY ref:b 19000
        OBJECT REFCOUNT ref:b
        DECRBY ref:b 2000
        OBJECT REFCOUNT ref:b
        OBJECT ENCODING ref:b
        INCRBY ref:b 1001
        OBJECT REFCOUNT ref:b
        APPEND ref:c 5
        OBJECT REFCOUNT ref:c
        APPEND ref:c 5
        OBJECT REFCOUNT ref:c
        MSET ref:d 1 ref:e 1
        OBJECT REFCOUNT ref:d
        INCRBYFLOAT ref:f 1
        OBJECT REFCOUNT ref:f
        OBJECT ENCODING ref:f
      `)
    })

  })
}

// Limits and notifications are set at start-up on both sides, so these tests
// need nothing but the commands under test (and PSUBSCRIBE).
for (const resp of [2, 3] as const) {
  describeOracle(`string commands with proto-max-bulk-len 1mb (RESP${resp})`, () => {
    const oracle = useOracle({
      resp,
      redisArgs: ['--proto-max-bulk-len', '1mb'],
      engineConfig: { 'proto-max-bulk-len': '1mb' },
    })

    it('proto-max-bulk-len limits APPEND and SETRANGE', async () => {
      const o = oracle()
      const mb = 1024 * 1024
      await o.expectSame(['SETRANGE', 'pm:a', String(mb), 'x'])
      await o.expectSame(['SETRANGE', 'pm:a', String(mb - 1), 'xy'])
      await o.expectSame(['SETRANGE', 'pm:a', String(mb - 1), 'x'])
      await o.expectSame(['STRLEN', 'pm:a'])
      await o.expectSame(['APPEND', 'pm:a', 'y'])
      await o.expectSame(['APPEND', 'pm:a', ''])
      await o.expectSame(['SETRANGE', 'pm:a', String(mb - 1), 'z'])
      await o.expectSame(['SETRANGE', 'pm:a', String(mb), 'z'])
      await o.expectSame(['GETRANGE', 'pm:a', '-3', '-1'])
      await o.expectSame(['SET', 'pm:b', 'x'.repeat(mb - 2)])
      await o.expectSame(['APPEND', 'pm:b', 'yy'])
      await o.expectSame(['APPEND', 'pm:b', 'z'])
      await o.expectSame(['STRLEN', 'pm:b'])
      // The LCS table is limited too: (alen+1)*(blen+1)*4 bytes.
      await o.expectSame(['SET', 'pm:l1', 'a'.repeat(511)])
      await o.expectSame(['SET', 'pm:l2', 'a'.repeat(511)])
      await o.expectSame(['LCS', 'pm:l1', 'pm:l2', 'LEN'])
      await o.expectSame(['APPEND', 'pm:l1', 'a'])
      await o.expectSame(['LCS', 'pm:l1', 'pm:l2', 'LEN'])
      await o.expectSame(['LCS', 'pm:l1', 'pm:l2'])
      await o.expectSame(['LCS', 'pm:l1', 'pm:l2', 'LEN', 'IDX'])
      await o.expectSame(['LCS', 'pm:l1', 'pm:l2', 'BADOPT'])
    })
  })

  describeOracle(`string commands' keyspace notifications (RESP${resp})`, () => {
    const oracle = useOracle({
      resp,
      redisArgs: ['--notify-keyspace-events', 'KEA'],
      engineConfig: { 'notify-keyspace-events': 'KEA' },
    })

    it.skipIf(!hasPubSub)('keyspace notifications name the events like Redis', async () => {
      const o = oracle()
      const sub = await o.client(1)
      await sub.expectSame(['PSUBSCRIBE', '__key*__:ev:*'], { frames: 1 })
      await o.runScript(`
        SET ev:a 1
        SET ev:a 2 EX 100
        SET ev:a 3 KEEPTTL
        SET ev:a 3 NX
        SETNX ev:a 1
        SETEX ev:b 100 v
        PSETEX ev:b 100000 v
        GETSET ev:a 4
        MSET ev:c 1 ev:d 2
        MSETNX ev:e 1 ev:c 2
        MSETNX ev:e 1 ev:f 2
        INCR ev:c
        DECRBY ev:c 5
        INCRBYFLOAT ev:c 1.5
        APPEND ev:d x
        APPEND ev:g x
        SETRANGE ev:d 5 y
        SETRANGE ev:d 0 ""
        GETEX ev:d EX 100
        GETEX ev:d PERSIST
        GETEX ev:d PERSIST
        GETEX ev:d
        GETEX ev:d PXAT 1
        GETDEL ev:c
        GETDEL ev:c
        GET ev:missing
        MGET ev:missing ev:a
        SET ev:h v PXAT 1
        GET ev:h
      `)
      await sub.expectPushes()
    })
  })
}

// With maxmemory and an LRU/LFU policy each key needs its own access clock, so
// integers are not shared (MAXMEMORY_FLAG_NO_SHARED_INTEGERS).
for (const policy of ['allkeys-lru', 'volatile-lfu', 'allkeys-random'] as const) {
  describeOracle(`string commands with maxmemory-policy ${policy}`, () => {
    const oracle = useOracle({
      resp: 2,
      redisArgs: ['--maxmemory', '100mb', '--maxmemory-policy', policy],
      engineConfig: { maxmemory: '100mb', 'maxmemory-policy': policy },
    })

    it('shares integers only when the policy allows', async () => {
      await oracle().runScript(`
        SET mm:a 5
        OBJECT REFCOUNT mm:a
        OBJECT ENCODING mm:a
        INCR mm:b
        OBJECT REFCOUNT mm:b
        INCRBY mm:b 20000
        OBJECT REFCOUNT mm:b
        DECRBY mm:b 19999
        OBJECT REFCOUNT mm:b
        MSET mm:c 7 mm:d 70000
        OBJECT REFCOUNT mm:c
        OBJECT REFCOUNT mm:d
        APPEND mm:e 9
        OBJECT REFCOUNT mm:e
        GETSET mm:f 3
        OBJECT REFCOUNT mm:f
        OBJECT ENCODING mm:f
      `)
    })
  })
}
