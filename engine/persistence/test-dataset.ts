// Test support (not engine code): a dataset with every type and encoding, and
// an order-free dump of a server's keyspace to compare two servers key by key.

import type { Reply } from '../protocol/reply.ts'
import type { Server } from '../server/server.ts'

const T0 = 1_700_000_000_000

/** Every type and encoding, expiries, two databases. */
export function populate(r: (...argv: string[]) => Reply): void {
  r('SET', 'int', '12345')
  r('SET', 'embstr', 'hello')
  r('SET', 'raw', 'x'.repeat(100))
  r('SET', 'neg', '-9223372036854775808')
  r('RPUSH', 'list', 'a', 'b', '1', '2')
  r('HSET', 'hlp', 'f', 'v', 'g', '1')
  for (let i = 0; i < 600; i++) r('HSET', 'hht', `f${i}`, `v${i}`)
  r('SADD', 'sint', '1', '2', '3')
  r('SADD', 'sht', 'a', 'b')
  r('ZADD', 'zlp', '1.5', 'm', '2', 'n')
  for (let i = 0; i < 200; i++) r('ZADD', 'zsl', String(i / 3), `m${i}`)
  r('SET', 'ttl', 'v', 'PX', '100000')
  r('SELECT', '3')
  r('SET', 'other', 'db3')
  r('PEXPIREAT', 'other', String(T0 + 5_000_000))
  r('SELECT', '0')
}

/** Every key of every db: type, encoding, value (order-free for hashtables) and expire. */
export function snapshot(server: Server): Record<string, string> {
  const out: Record<string, string> = {}
  const c = server.connect()
  const call = (...argv: string[]): unknown => JSON.stringify(c.call(argv))
  for (const db of server.dbs) {
    c.call(['SELECT', String(db.id)])
    for (const key of [...db.dict.keys()].sort()) {
      const o = db.dict.get(key)!
      let v: unknown
      if (o.type === 'string') v = call('GET', key)
      else if (o.type === 'list') v = call('LRANGE', key, '0', '-1')
      else if (o.type === 'zset') v = call('ZRANGE', key, '0', '-1', 'WITHSCORES')
      else if (o.type === 'set') v = [...(c.call(['SMEMBERS', key]) as unknown as { value: { value: string }[] }).value.map((x) => x.value)].sort()
      else {
        const flat = (c.call(['HGETALL', key]) as unknown as { value: { value: string }[] }).value.map((x) => x.value)
        const pairs: string[] = []
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`)
        v = pairs.sort()
      }
      out[`${db.id}:${key}`] = JSON.stringify([o.type, o.encoding, v, db.getExpire(key)])
    }
  }
  server.disconnect(c)
  return out
}

