// Reading a whole dataset the same way from the engine (in process) and from a
// real redis-server (ioredis), for the persistence interop tests: RDB and AOF
// files written by one side and loaded by the other must read back equal.
import type Redis from 'ioredis'
import type { Reply } from '../../engine/protocol/reply.ts'
import { formatDouble17g } from '../../engine/protocol/double.ts'

/** A reply reduced to what both sides can express: byte strings, numbers, nulls, arrays. */
export type Val = string | number | null | Val[]
export type Call = (...argv: string[]) => Promise<Val>

/** Encodings whose DUMP payload Redis fixes byte for byte (the others follow the hash seed). */
const COMPACT = new Set(['int', 'embstr', 'raw', 'listpack', 'intset', 'quicklist'])

/**
 * Every key of every non-empty db: type, encoding, value (order-free for
 * unordered types), PEXPIRETIME, and with `dumps` the DUMP payload of compact
 * encodings.
 */
export async function canonical(call: Call, opts: { dumps?: boolean } = {}): Promise<Record<string, Val>> {
  const out: Record<string, Val> = {}
  for (let db = 0; db < 16; db++) {
    await call('SELECT', String(db))
    const keys = ((await call('KEYS', '*')) as string[]).sort()
    for (const key of keys) {
      const type = (await call('TYPE', key)) as string
      const enc = (await call('OBJECT', 'ENCODING', key)) as string
      let v: Val
      if (type === 'string') v = await call('GET', key)
      else if (type === 'list') v = await call('LRANGE', key, '0', '-1')
      // The engine's reply model pairs member and score (RESP3's shape); RESP2 flattens them.
      else if (type === 'zset') v = ((await call('ZRANGE', key, '0', '-1', 'WITHSCORES')) as Val[]).flat()
      else if (type === 'set') v = ((await call('SMEMBERS', key)) as string[]).sort()
      else {
        const flat = (await call('HGETALL', key)) as string[]
        const pairs: string[] = []
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`)
        v = pairs.sort()
      }
      const entry: Val[] = [type, enc, v, await call('PEXPIRETIME', key)]
      if (opts.dumps) entry.push(COMPACT.has(enc) ? await call('DUMP', key) : null)
      out[`${db}:${key}`] = entry
    }
  }
  await call('SELECT', '0')
  return out
}

/** An engine reply as a Val (errors throw). */
export function plain(r: Reply | undefined): Val {
  if (r === undefined) return null
  switch (r.kind) {
    case 'bulk':
    case 'status':
    case 'verbatim':
      return r.value as string
    case 'integer':
      return Number(r.value)
    case 'double':
      return formatDouble17g(r.value)
    case 'array':
    case 'map':
    case 'set':
    case 'push':
      return (r.value as readonly Reply[]).map(plain)
    case 'error':
      throw new Error(r.value)
    default:
      return null
  }
}

/** Commands to a redis-server through ioredis, with byte strings in and out (latin1: one char per byte). */
export function redisCall(r: Redis): Call {
  const conv = (x: unknown): Val => {
    if (x === null || x === undefined) return null
    if (typeof x === 'number') return x
    if (Buffer.isBuffer(x)) return x.toString('latin1')
    if (Array.isArray(x)) return x.map(conv)
    return String(x)
  }
  return async (...argv) => conv(await r.callBuffer(argv[0], ...argv.slice(1).map((a) => Buffer.from(a, 'latin1'))))
}
