// Checks shared by the collection oracle suites (test/oracle/{hash,set,zset,
// collections-random}.test.ts) for replies that cannot be compared byte for
// byte as they are: reply readers, normalisers for orders that follow the
// per-process hash seed, random picks of a set, and MEMORY USAGE comparisons.
// Each normaliser says why it is needed; use one only where that reason holds
// (e.g. a listpack or intset reply is compared exactly, order included).
import { expect } from 'vitest'
import { unordered, type Normaliser, type OracleClient } from './oracle.ts'
import { parseReply, type RespNode } from './resp-conn.ts'

// ---------------------------------------------------------------- reading replies

/** The integer a reply carries (":123\r\n"), or NaN. */
export function intOf(raw: string): number {
  const m = /^:(-?\d+)\r\n$/.exec(raw)
  return m ? Number(m[1]) : NaN
}

/** The elements of an aggregate (none for a null or a non-aggregate). */
export function itemsOf(n: RespNode): RespNode[] {
  return 'items' in n && n.items ? n.items : []
}

/** A bulk string's bytes; throws on anything else. */
export function bulkData(n: RespNode): string {
  if (n.type !== '$' || n.data === null) throw new Error(`expected a bulk, got ${JSON.stringify(n.raw)}`)
  return n.data
}

/** A bulk's bytes, or a RESP3 double's text (scores). */
function bulkOrDouble(n: RespNode): string {
  if (n.type === ',') return n.text
  return bulkData(n)
}

/**
 * The [name, value|null] pairs of a flat (RESP2) or nested (RESP3 [name, value]
 * pairs) reply: HRANDFIELD / ZRANDMEMBER with a count, HGETALL, ZRANGE
 * WITHSCORES. Names must be bulks; values bulks, or doubles when `doubleValues`
 * (RESP3 scores).
 */
export function pairsOf(node: RespNode, withValues: boolean, doubleValues = false): [string, string | null][] {
  if (!('items' in node) || node.items === null) throw new Error(`not an aggregate: ${node.raw}`)
  const items = node.items
  const value = doubleValues ? bulkOrDouble : bulkData
  if (!withValues) return items.map((n) => [bulkData(n), null])
  const out: [string, string | null][] = []
  if (items.length > 0 && items[0].type === '*') {
    for (const it of items) {
      if (!('items' in it) || it.items === null || it.items.length !== 2) throw new Error(`not a pair: ${it.raw}`)
      out.push([bulkData(it.items[0]), value(it.items[1])])
    }
    return out
  }
  if (items.length % 2 !== 0) throw new Error(`odd number of items for pairs: ${node.raw}`)
  for (let i = 0; i < items.length; i += 2) out.push([bulkData(items[i]), value(items[i + 1])])
  return out
}

/** The shape of a reply: types and aggregate lengths, bulk and double contents dropped (random picks). */
export function shape(n: RespNode): string {
  if ('items' in n) return n.items === null ? n.raw : `${n.type}${n.len}[${n.items.map(shape).join(',')}]`
  if ('data' in n) return n.data === null ? n.raw : n.type
  if (n.type === ',') return ','
  return n.raw
}

/** OBJECT ENCODING of a key, compared on both sides: the encoding, or null when there is no key. */
export async function encodingOf(c: OracleClient, key: string): Promise<string | null> {
  const r = await c.expectSame(['OBJECT', 'ENCODING', key])
  const n = parseReply(r.redis)
  return n.type === '$' ? n.data : null
}

// ---------------------------------------------------------------- normalisers

/**
 * SCAN / SSCAN replies [cursor, [item, ...]]: the items sorted, the cursor and
 * every header kept. Needed where the scanned dict is a hashtable (the keyspace,
 * a hashtable set): it is walked in bucket order, which follows the hash seed.
 */
export const scanUnordered: Normaliser = Object.assign(
  (raw: string): string => {
    const n = parseReply(raw)
    const [cursor, list] = itemsOf(n)
    if (cursor === undefined || list === undefined || !('items' in list) || list.items === null) return raw
    const head = (x: RespNode): string => x.raw.slice(0, x.raw.indexOf('\r\n') + 2)
    return head(n) + cursor.raw + head(list) + list.items.map((i) => i.raw).sort().join('')
  },
  { why: 'a scan of a hashtable (keyspace, set) lists items in bucket order, which follows the hash seed (items sorted)' },
)

/**
 * HSCAN / ZSCAN replies [cursor, [field, value, ...]]: the pairs sorted, the
 * cursor and every header kept. Needed where the scanned dict is a hashtable
 * (a hashtable hash, a skiplist zset's member dict): it is walked in bucket
 * order, which follows the hash seed.
 */
export const scanPairsUnordered: Normaliser = Object.assign(
  (raw: string): string => {
    const n = parseReply(raw)
    const [cursor, list] = itemsOf(n)
    if (cursor === undefined || list === undefined || !('items' in list) || list.items === null) return raw
    const head = (x: RespNode): string => x.raw.slice(0, x.raw.indexOf('\r\n') + 2)
    const pairs: string[] = []
    for (let i = 0; i < list.items.length; i += 2) pairs.push(list.items[i].raw + (list.items[i + 1]?.raw ?? ''))
    return head(n) + cursor.raw + head(list) + pairs.sort().join('')
  },
  { why: 'a hashtable is scanned in bucket order, which follows the hash seed (pairs sorted)' },
)

// ---------------------------------------------------------------- random picks of a set

/** The members of a set (SMEMBERS on both sides, compared unordered: a hashtable lists them in bucket order). */
export async function membersOf(c: OracleClient, key: string): Promise<string[]> {
  const r = await c.expectSame(['SMEMBERS', key], unordered)
  return itemsOf(parseReply(r.redis)).map(bulkData)
}

/**
 * SPOP / SRANDMEMBER picks are random: the same reply type and count on both
 * sides, every pick a member of `universe`, distinct when `distinct`. Errors
 * are compared exactly.
 */
export async function expectRandom(c: OracleClient, argv: readonly string[], universe: Iterable<string>, distinct: boolean): Promise<{ redis: string[]; engine: string[] }> {
  const r = await c.run(argv)
  const a = parseReply(r.redis)
  const b = parseReply(r.engine)
  const where = `${argv.join(' ')}: redis ${JSON.stringify(r.redis)} engine ${JSON.stringify(r.engine)}`
  expect(b.type, where).toBe(a.type)
  if (a.type === '-') {
    expect(r.engine, where).toBe(r.redis)
    return { redis: [], engine: [] }
  }
  const pool = new Set(universe)
  const list = (n: RespNode): string[] => {
    if (n.type === '$') return n.data === null ? [] : [n.data]
    if (n.type === '_') return []
    return itemsOf(n).map(bulkData)
  }
  const ra = list(a)
  const rb = list(b)
  expect(rb.length, where).toBe(ra.length)
  for (const m of [...ra, ...rb]) expect(pool.has(m), `${where}: ${JSON.stringify(m)} is not a member`).toBe(true)
  if (distinct) {
    expect(new Set(ra).size, where).toBe(ra.length)
    expect(new Set(rb).size, where).toBe(rb.length)
  }
  return { redis: ra, engine: rb }
}

/**
 * After a random SPOP the two servers hold different members: rebuild the key
 * on both sides from Redis's members (DEL + SADD, and its TTL) so the sequence
 * can go on.
 */
export async function rebuild(c: OracleClient, key: string): Promise<void> {
  const r = await c.run(['SMEMBERS', key])
  const members = itemsOf(parseReply(r.redis)).map(bulkData).sort()
  const ttl = await c.run(['PTTL', key])
  await c.run(['DEL', key])
  if (members.length === 0) return
  await c.run(['SADD', key, ...members])
  const ms = /^:(\d+)\r\n$/.exec(ttl.redis)
  if (ms) await c.run(['PEXPIRE', key, ms[1]])
}

// ---------------------------------------------------------------- MEMORY USAGE

/**
 * MEMORY USAGE (argv as given, e.g. with SAMPLES) on both sides: a reply that
 * is not an integer (no key, an error) must be the same bytes; integers must
 * be equal when `exact`, else within 10 % (a hashtable's size is estimated
 * from its first entries in bucket order, which follows the hash seed, so
 * unequal entries may be sampled differently). Returns both figures (NaN for
 * no integer).
 */
export async function expectMemoryUsage(c: OracleClient, argv: readonly string[], exact: boolean): Promise<{ redis: number; engine: number }> {
  const r = await c.run(argv)
  const theirs = intOf(r.redis)
  const ours = intOf(r.engine)
  const where = `${argv.join(' ')}: redis ${JSON.stringify(r.redis)}, engine ${JSON.stringify(r.engine)}`
  if (Number.isNaN(theirs)) {
    expect(r.engine, where).toBe(r.redis)
    return { redis: theirs, engine: ours }
  }
  expect(Number.isNaN(ours), where).toBe(false)
  if (exact) expect(ours, where).toBe(theirs)
  else expect(Math.abs(ours - theirs) / theirs, where).toBeLessThanOrEqual(0.1)
  return { redis: theirs, engine: ours }
}
