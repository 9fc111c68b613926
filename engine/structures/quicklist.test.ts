import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Quicklist, SIZE_SAFETY_LIMIT } from './quicklist.ts'
import type { QuicklistDirection } from './quicklist.ts'
import { Listpack } from './listpack.ts'
import type { ListpackValue } from './listpack.ts'
import { lzfCompress, lzfDecompress } from './lzf.ts'
import { describeOracle, startRedis } from '../../test/support/redis-server.ts'
import type { RedisProcess } from '../../test/support/redis-server.ts'
import { connectRaw, parseReply } from '../../test/support/resp-conn.ts'
import type { RawConn } from '../../test/support/resp-conn.ts'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const str = (v: ListpackValue | undefined): string | undefined => (v === undefined ? undefined : String(v))

// ---- list commands as t_list.c (7.0) drives the quicklist ---------------------------------

type ListOp =
  | { k: 'rpush' | 'lpush'; vs: string[] }
  | { k: 'linsert'; after: boolean; pivot: string; v: string }
  | { k: 'lset'; i: number; v: string }
  | { k: 'lrem'; n: number; v: string }
  | { k: 'ltrim'; start: number; end: number }
  | { k: 'rpop' | 'lpop' }
  | { k: 'lindex'; i: number }

function applyOp(ql: Quicklist, op: ListOp): void {
  switch (op.k) {
    case 'rpush':
      for (const v of op.vs) ql.pushTail(v)
      return
    case 'lpush':
      for (const v of op.vs) ql.pushHead(v)
      return
    case 'linsert': {
      // linsertCommand: walk from the head, insert at the first match.
      const iter = ql.iteratorAt('head', 0)
      if (!iter) return
      for (let e = iter.next(); e; e = iter.next()) {
        if (ql.compare(e, op.pivot)) {
          if (op.after) ql.insertAfter(iter, e, op.v)
          else ql.insertBefore(iter, e, op.v)
          break
        }
      }
      iter.release()
      return
    }
    case 'lset':
      ql.replaceAtIndex(op.i, op.v)
      return
    case 'lrem': {
      // lremCommand: negative count walks from the tail.
      const toremove = Math.abs(op.n)
      const iter = op.n < 0 ? ql.iteratorAt('tail', -1) : ql.iteratorAt('head', 0)
      if (!iter) return
      let removed = 0
      for (let e = iter.next(); e; e = iter.next()) {
        if (ql.compare(e, op.v)) {
          iter.delEntry(e)
          removed++
          if (toremove && removed === toremove) break
        }
      }
      iter.release()
      return
    }
    case 'ltrim': {
      const llen = ql.count
      let start = op.start
      let end = op.end
      if (start < 0) start = llen + start
      if (end < 0) end = llen + end
      if (start < 0) start = 0
      let ltrim: number
      let rtrim: number
      if (start > end || start >= llen) {
        ltrim = llen
        rtrim = 0
      } else {
        if (end >= llen) end = llen - 1
        ltrim = start
        rtrim = llen - end - 1
      }
      ql.delRange(0, ltrim)
      ql.delRange(-rtrim, rtrim)
      return
    }
    case 'rpop':
      ql.popTail()
      return
    case 'lpop':
      ql.popHead()
      return
    case 'lindex':
      ql.index(op.i)
      return
  }
}

function toArgv(op: ListOp): string[] {
  switch (op.k) {
    case 'rpush':
      return ['RPUSH', 'l', ...op.vs]
    case 'lpush':
      return ['LPUSH', 'l', ...op.vs]
    case 'linsert':
      return ['LINSERT', 'l', op.after ? 'AFTER' : 'BEFORE', op.pivot, op.v]
    case 'lset':
      return ['LSET', 'l', String(op.i), op.v]
    case 'lrem':
      return ['LREM', 'l', String(op.n), op.v]
    case 'ltrim':
      return ['LTRIM', 'l', String(op.start), String(op.end)]
    case 'rpop':
      return ['RPOP', 'l']
    case 'lpop':
      return ['LPOP', 'l']
    case 'lindex':
      return ['LINDEX', 'l', String(op.i)]
  }
}

/** The same ops on a plain array. */
function applyModel(a: string[], op: ListOp): string[] {
  const canon = (s: string): string => {
    const lp = Listpack.fromEntries([s])
    return String(lp.get(lp.first()!))
  }
  const eq = (x: string, y: string): boolean => canon(x) === canon(y)
  switch (op.k) {
    case 'rpush':
      return [...a, ...op.vs]
    case 'lpush':
      return [...[...op.vs].reverse(), ...a]
    case 'linsert': {
      const i = a.findIndex((x) => eq(x, op.pivot))
      if (i < 0) return a
      const at = op.after ? i + 1 : i
      return [...a.slice(0, at), op.v, ...a.slice(at)]
    }
    case 'lset': {
      const i = op.i < 0 ? a.length + op.i : op.i
      if (i < 0 || i >= a.length) return a
      const b = [...a]
      b[i] = op.v
      return b
    }
    case 'lrem': {
      const idxs: number[] = []
      if (op.n >= 0) a.forEach((x, i) => eq(x, op.v) && idxs.push(i))
      else for (let i = a.length - 1; i >= 0; i--) if (eq(a[i], op.v)) idxs.push(i)
      const gone = new Set(op.n === 0 ? idxs : idxs.slice(0, Math.abs(op.n)))
      return a.filter((_, i) => !gone.has(i))
    }
    case 'ltrim': {
      let s = op.start < 0 ? a.length + op.start : op.start
      let e = op.end < 0 ? a.length + op.end : op.end
      if (s < 0) s = 0
      if (s > e || s >= a.length) return []
      if (e >= a.length) e = a.length - 1
      return a.slice(s, e + 1)
    }
    case 'rpop':
      return a.slice(0, -1)
    case 'lpop':
      return a.slice(1)
    case 'lindex':
      return a
  }
}

// ---- value and op generators ----------------------------------------------------------------

const smallValue = fc.oneof(
  fc.constantFrom('a', 'b', 'c', '1', '42', '-7', '007', ''),
  fc.integer({ min: -100000, max: 100000 }).map(String),
)
const mediumValue = fc
  .tuple(fc.constantFrom('x', 'ab', 'q1', 'zzz'), fc.integer({ min: 3, max: 30 }))
  .map(([s, n]) => s.repeat(n))
const largeValue = fc
  .tuple(fc.constantFrom('L', 'big-', 'abc'), fc.integer({ min: 60, max: 1200 }), fc.nat(999))
  .map(([s, n, t]) => `${t}:` + s.repeat(n).slice(0, n))
const value = fc.oneof({ weight: 4, arbitrary: smallValue }, { weight: 3, arbitrary: mediumValue }, { weight: 1, arbitrary: largeValue })
const index = fc.integer({ min: -40, max: 40 })

const listOp: fc.Arbitrary<ListOp> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constantFrom('rpush' as const, 'lpush' as const), vs: fc.array(value, { minLength: 1, maxLength: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('linsert' as const), after: fc.boolean(), pivot: smallValue, v: value }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('lset' as const), i: index, v: value }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('lrem' as const), n: fc.integer({ min: -3, max: 3 }), v: smallValue }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ltrim' as const), start: fc.integer({ min: -5, max: 8 }), end: fc.integer({ min: -8, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('rpop' as const, 'lpop' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('lindex' as const), i: index }) },
)

/** Structural invariants of a quicklist. */
function checkInvariants(ql: Quicklist): void {
  let n = 0
  let total = 0
  let prev = null
  for (let node = ql.head; node; node = node.next) {
    expect(node.prev).toBe(prev)
    prev = node
    total += node.count
    if (node.compressed) {
      const raw = lzfDecompress(node.lzf!, node.sz)!
      expect(raw.length).toBe(node.sz)
      expect(node.sz).toBeGreaterThanOrEqual(48)
      expect(node.lzf!.length + 8).toBeLessThan(node.sz)
      if (!node.isPlain) expect(Listpack.fromBytes(raw).length()).toBe(node.count)
    } else if (!node.isPlain) {
      expect(node.listpack().length()).toBe(node.count)
      expect(node.listpack().byteLength).toBe(node.sz)
    } else {
      expect(node.count).toBe(1)
    }
    expect(node.count).toBeGreaterThan(0)
    if (ql.fill > 0 && !node.isPlain) expect(node.count).toBeLessThanOrEqual(ql.fill)
    n++
  }
  expect(prev).toBe(ql.tail)
  expect(n).toBe(ql.len)
  expect(total).toBe(ql.count)
  // Head and tail, and every node within the compress depth, stay uncompressed.
  const infos = ql.nodes()
  infos.forEach((info, i) => {
    if (ql.compressDepthValue === 0 || i < ql.compressDepthValue || i >= infos.length - ql.compressDepthValue) {
      expect(info.compressed).toBe(false)
    }
  })
}

const asStrings = (ql: Quicklist): string[] => ql.toArray().map(String)

describe('quicklist', () => {
  it('default settings: fill -2, compress 0, 1 GiB plain threshold; clamps', () => {
    const ql = new Quicklist()
    expect(ql.fill).toBe(-2)
    expect(ql.compressDepthValue).toBe(0)
    expect(ql.packedThreshold).toBe(1 << 30)
    ql.setFill(-9)
    expect(ql.fill).toBe(-5)
    ql.setFill(100000)
    expect(ql.fill).toBe(32767)
    ql.setCompressDepth(-1)
    expect(ql.compressDepthValue).toBe(0)
    expect(ql.setPackedThreshold(2 ** 32)).toBe(false)
    expect(ql.setPackedThreshold(0)).toBe(true)
    expect(ql.packedThreshold).toBe(1 << 30)
  })

  it('RPUSH a b builds the listpack of the facts §6 DUMP vector', () => {
    const ql = new Quicklist()
    ql.pushTail('a')
    ql.pushTail('b')
    expect(ql.len).toBe(1)
    expect(hex([...ql.storedNodes()][0].data)).toBe('0d0000000200816102816202ff')
  })

  it('fill 5: a node holds at most 5 entries', () => {
    const ql = new Quicklist({ fill: 5 })
    for (let i = 0; i < 12; i++) ql.pushTail(`v${i}`)
    expect(ql.nodes().map((n) => n.count)).toEqual([5, 5, 2])
    for (let i = 0; i < 3; i++) ql.pushHead(`h${i}`)
    expect(ql.nodes().map((n) => n.count)).toEqual([3, 5, 5, 2])
  })

  it('fill -1: nodes stop at 4096 bytes, counting the 8-byte estimate', () => {
    const ql = new Quicklist({ fill: -1 })
    const v = 'x'.repeat(100) // 102-byte entries
    while (ql.len < 2) ql.pushTail(v)
    const first = ql.nodes()[0]
    // The next one would have been estimated at sz + 100 + 8 > 4096 (it really adds 103).
    expect(first.size + 100 + 8).toBeGreaterThan(4096)
    expect(first.size).toBeLessThanOrEqual(4096 - 108 + 103)
    expect(first.count).toBe((first.size - 7) / 103)
  })

  it('positive fill still caps nodes at 8192 bytes (SIZE_SAFETY_LIMIT)', () => {
    const ql = new Quicklist({ fill: 1000 })
    for (let i = 0; i < 100; i++) ql.pushTail('y'.repeat(200))
    for (const n of ql.nodes()) expect(n.size).toBeLessThanOrEqual(SIZE_SAFETY_LIMIT)
    expect(ql.len).toBeGreaterThan(2)
  })

  it('compress depth 1: inner nodes are LZF-compressed, ends are not; small nodes never', () => {
    const ql = new Quicklist({ fill: 4, compress: 1 })
    for (let i = 0; i < 20; i++) ql.pushTail('compressible-compressible-' + (i % 3))
    const nodes = ql.nodes()
    expect(nodes.length).toBe(5)
    expect(nodes.map((n) => n.compressed)).toEqual([false, true, true, true, false])
    for (const n of nodes.slice(1, 4)) expect(n.compressedSize!).toBeLessThanOrEqual(n.size - 8)
    const tiny = new Quicklist({ fill: 1, compress: 1 })
    for (let i = 0; i < 5; i++) tiny.pushTail('t')
    expect(tiny.nodes().some((n) => n.compressed)).toBe(false)
    expect(asStrings(ql)).toEqual(Array.from({ length: 20 }, (_, i) => 'compressible-compressible-' + (i % 3)))
  })

  it('elements at or above the packed threshold get PLAIN nodes', () => {
    const ql = new Quicklist({ packedThreshold: 10 })
    ql.pushTail('small')
    ql.pushTail('a-very-large-element')
    ql.pushTail('tiny')
    expect(ql.nodes().map((n) => n.container)).toEqual(['packed', 'plain', 'packed'])
    expect(ql.index(1)).toBe('a-very-large-element')
    ql.replaceAtIndex(1, 'now small')
    expect(asStrings(ql)).toEqual(['small', 'now small', 'tiny'])
    ql.replaceAtIndex(0, 'another-large-one')
    expect(asStrings(ql)).toEqual(['another-large-one', 'now small', 'tiny'])
    ql.rotate()
    expect(asStrings(ql)).toEqual(['tiny', 'another-large-one', 'now small'])
    checkInvariants(ql)
  })

  it('iterates both ways and deletes during iteration', () => {
    const ql = new Quicklist({ fill: 3, compress: 1 })
    const model = Array.from({ length: 30 }, (_, i) => `e${i}-padding-padding-padding-padding`)
    for (const v of model) ql.pushTail(v)
    for (const dir of ['head', 'tail'] as QuicklistDirection[]) {
      const it2 = ql.iterator(dir)
      const seen: string[] = []
      for (let e = it2.next(); e; e = it2.next()) seen.push(String(e.value))
      it2.release()
      expect(seen).toEqual(dir === 'head' ? model : [...model].reverse())
    }
    const iter = ql.iterator('tail')
    for (let e = iter.next(); e; e = iter.next()) if (Number(String(e.value).slice(1).split('-')[0]) % 3 === 0) iter.delEntry(e)
    iter.release()
    expect(asStrings(ql)).toEqual(model.filter((_, i) => i % 3 !== 0))
    checkInvariants(ql)
  })

  it('index, delRange and rotate agree with an array', () => {
    const ql = new Quicklist({ fill: 2 })
    for (let i = 0; i < 9; i++) ql.pushTail(String(i))
    expect(ql.index(-1)).toBe(8)
    expect(ql.index(9)).toBeUndefined()
    expect(ql.index(-10)).toBeUndefined()
    expect(ql.delRange(-3, 2)).toBe(true)
    expect(asStrings(ql)).toEqual(['0', '1', '2', '3', '4', '5', '8'])
    expect(ql.delRange(1, 100)).toBe(true)
    expect(asStrings(ql)).toEqual(['0'])
    expect(ql.delRange(5, 1)).toBe(false)
    ql.pushTail('x')
    ql.rotate()
    expect(asStrings(ql)).toEqual(['x', '0'])
  })

  it('appendListpack / appendPlainNode rebuild a list from stored nodes (RDB load)', () => {
    const ql = new Quicklist({ fill: 3, compress: 1, packedThreshold: 50 })
    for (let i = 0; i < 20; i++) ql.pushTail(i % 7 === 0 ? 'P'.repeat(60) + i : `item-item-item-item-${i}`)
    const loaded = new Quicklist({ fill: 3, compress: 1, packedThreshold: 50 })
    for (const n of ql.storedNodes()) {
      const raw = n.compressed ? lzfDecompress(n.data, n.sz)! : n.data
      if (n.container === 1) loaded.appendPlainNode(raw)
      else loaded.appendListpack(raw)
    }
    expect(asStrings(loaded)).toEqual(asStrings(ql))
    expect(loaded.nodes().map((n) => [n.container, n.count, n.size])).toEqual(ql.nodes().map((n) => [n.container, n.count, n.size]))
    checkInvariants(loaded)
  })

  it('random op sequences match an array model (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(-5, -2, -1, 1, 2, 3, 5, 16),
        fc.constantFrom(0, 1, 2, 3),
        fc.constantFrom(1 << 30, 40, 300),
        fc.array(
          fc.oneof(
            { weight: 10, arbitrary: listOp },
            { weight: 1, arbitrary: fc.constant({ k: 'rotate' as const }) },
            { weight: 1, arbitrary: fc.record({ k: fc.constant('delrange' as const), s: index, n: fc.integer({ min: -1, max: 30 }) }) },
          ),
          { minLength: 1, maxLength: 60 },
        ),
        (fill, compress, packedThreshold, ops) => {
          const ql = new Quicklist({ fill, compress, packedThreshold })
          let model: string[] = []
          for (const op of ops) {
            if (op.k === 'rotate') {
              ql.rotate()
              if (model.length > 1) model = [model[model.length - 1], ...model.slice(0, -1)]
            } else if (op.k === 'delrange') {
              ql.delRange(op.s, op.n)
              if (op.n > 0) {
                const s = op.s < 0 ? model.length + op.s : op.s
                if (s >= 0 && s < model.length) model = [...model.slice(0, s), ...model.slice(s + op.n)]
              }
            } else {
              if (op.k === 'lindex') {
                const i = op.i < 0 ? model.length + op.i : op.i
                expect(str(ql.index(op.i))).toBe(i >= 0 && i < model.length ? canonical(model[i]) : undefined)
                continue
              }
              if (op.k === 'rpop' || op.k === 'lpop') {
                const got = op.k === 'rpop' ? ql.popTail() : ql.popHead()
                const want = op.k === 'rpop' ? model[model.length - 1] : model[0]
                expect(str(got)).toBe(want === undefined ? undefined : canonical(want))
                model = applyModel(model, op)
                continue
              }
              applyOp(ql, op)
              model = applyModel(model, op)
            }
            expect(asStrings(ql)).toEqual(model.map(canonical))
            checkInvariants(ql)
          }
          const copy = ql.dup()
          expect(asStrings(copy)).toEqual(asStrings(ql))
          checkInvariants(copy)
        },
      ),
      { numRuns: 400 },
    )
  })
})

/** Canonical text of a stored value (a listpack turns "007" into "007", "7" into 7). */
function canonical(s: string): string {
  const lp = Listpack.fromEntries([s])
  return String(lp.get(lp.first()!))
}

// ---- RDB QUICKLIST_2 body, as rdbSaveObject writes it ----------------------------------------

function rdbLenHex(n: number): string {
  if (n < 64) return hex(Uint8Array.of(n))
  if (n < 16384) return hex(Uint8Array.of(0x40 | (n >> 8), n & 0xff))
  return '80' + n.toString(16).padStart(8, '0')
}

/** rdbSaveRawString with rdbcompression yes. */
function rdbRawStringHex(data: Uint8Array): string {
  if (data.length <= 11) {
    // rdbTryIntegerEncoding: canonical integers in int32 range become int8/16/32.
    const s = String.fromCharCode(...data)
    if (/^(0|-?[1-9][0-9]*)$/.test(s)) {
      const v = Number(s)
      const le = (n: number, bytes: number): string => {
        const b = new Uint8Array(bytes)
        for (let i = 0; i < bytes; i++) b[i] = (n >> (8 * i)) & 0xff
        return hex(b)
      }
      if (v >= -128 && v <= 127) return 'c0' + le(v, 1)
      if (v >= -32768 && v <= 32767) return 'c1' + le(v, 2)
      if (v >= -2147483648 && v <= 2147483647) return 'c2' + le(v, 4)
    }
  }
  if (data.length > 20) {
    const c = lzfCompress(data, data.length - 4)
    if (c !== null) return 'c3' + rdbLenHex(c.length) + rdbLenHex(data.length) + hex(c)
  }
  return rdbLenHex(data.length) + hex(data)
}

function quicklistRdbHex(ql: Quicklist): string {
  let out = rdbLenHex(ql.len)
  for (const n of ql.storedNodes()) {
    out += rdbLenHex(n.container)
    if (n.compressed) out += 'c3' + rdbLenHex(n.data.length) + rdbLenHex(n.sz) + hex(n.data)
    else out += rdbRawStringHex(n.data)
  }
  return out
}

describeOracle('quicklist vs redis-server 7.0.15 DUMP payloads (QUICKLIST_2)', () => {
  let server: RedisProcess
  let conn: RawConn

  beforeAll(async () => {
    server = await startRedis(['--rdbcompression', 'yes', '--enable-debug-command', 'yes'])
    conn = await connectRaw(server.port)
  })

  afterAll(async () => {
    await conn?.close()
    await server?.stop()
  })

  async function dumpBody(key = 'l'): Promise<string | null> {
    const r = parseReply(await conn.call(['DUMP', key]))
    if (r.type !== '$') throw new Error(`DUMP gave ${r.raw}`)
    if (r.data === null) return null
    const b = bytesOf(r.data)
    expect(b[0]).toBe(18)
    return hex(b.subarray(1, b.length - 10))
  }

  async function run(fill: number, compress: number, ops: ListOp[], threshold = 0): Promise<void> {
    await conn.pipeline([
      ['DEL', 'l'],
      ['CONFIG', 'SET', 'list-max-listpack-size', String(fill)],
      ['CONFIG', 'SET', 'list-compress-depth', String(compress)],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(threshold)],
    ])
    const replies = await conn.pipeline(ops.map(toArgv))
    let ql = new Quicklist({ fill, compress, packedThreshold: threshold })
    ops.forEach((op, i) => {
      // A failed LSET (out of range, or no such key) changes nothing.
      if (replies[i].startsWith('-') && op.k !== 'lset') throw new Error(`${toArgv(op).join(' ')}: ${replies[i]}`)
      applyOp(ql, op)
      // Redis deletes an emptied key; the next push starts a new list.
      if (ql.count === 0) ql = new Quicklist({ fill, compress, packedThreshold: threshold })
    })
    const body = await dumpBody()
    if (ql.count === 0) {
      expect(body).toBeNull()
      return
    }
    expect(quicklistRdbHex(ql)).toBe(body)
    // COPY duplicates with quicklistDup.
    await conn.pipeline([['DEL', 'l2'], ['COPY', 'l', 'l2']])
    expect(quicklistRdbHex(ql.dup())).toBe(await dumpBody('l2'))
  }

  it('RPUSH l a b matches the facts §6 vector', async () => {
    await run(-2, 0, [{ k: 'rpush', vs: ['a', 'b'] }])
    expect(await dumpBody()).toBe('01020d0d0000000200816102816202ff')
  })

  it('random RPUSH/LPUSH/LINSERT/LSET/LREM/LTRIM/RPOP/LPOP/LINDEX sequences give identical nodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(-2, -1, 5, 1, 2, -3),
        fc.constantFrom(0, 1, 2),
        fc.array(listOp, { minLength: 1, maxLength: 50 }),
        async (fill, compress, ops) => {
          await run(fill, compress, ops)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('long lists with many nodes, compressed and not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(-2, -1, 5, 1),
        fc.constantFrom(0, 1, 2),
        fc.array(listOp, { minLength: 60, maxLength: 200 }),
        async (fill, compress, ops) => {
          await run(fill, compress, ops)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('LINSERT-heavy runs on small count-limited nodes (splits and merges) give identical nodes', async () => {
    // Pivots come from the same small pool as the values, so most LINSERTs hit, often in
    // the middle of full inner nodes: the split + merge path with compressed neighbours.
    const v = fc.constantFrom('p', 'q', 'r', 'x'.repeat(30), 'y'.repeat(70), 'pad-pad-pad-pad-pad-pad-pad-pad-pad', '12345')
    const op: fc.Arbitrary<ListOp> = fc.oneof(
      { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('rpush' as const, 'lpush' as const), vs: fc.array(v, { minLength: 1, maxLength: 8 }) }) },
      { weight: 5, arbitrary: fc.record({ k: fc.constant('linsert' as const), after: fc.boolean(), pivot: v, v }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('lrem' as const), n: fc.integer({ min: -2, max: 2 }), v }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('lindex' as const), i: index }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('lset' as const), i: index, v }) },
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(2, 3, 4, 5, -1), fc.constantFrom(1, 2), fc.array(op, { minLength: 10, maxLength: 80 }), async (fill, compress, ops) => {
        await run(fill, compress, ops)
      }),
      { numRuns: 300 },
    )
  })

  it('PLAIN nodes (DEBUG QUICKLIST-PACKED-THRESHOLD) give identical nodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(-2, 5, 1),
        fc.constantFrom(0, 1, 2),
        fc.constantFrom(30, 100),
        fc.array(listOp, { minLength: 1, maxLength: 50 }),
        async (fill, compress, threshold, ops) => {
          await run(fill, compress, ops, threshold)
        },
      ),
      { numRuns: 150 },
    )
  })
})
