// The AOF form of a dataset (aof.c rewriteAppendOnlyFileRio, Redis 7.0.15):
// what a base file holds when aof-use-rdb-preamble is no. Per non-empty db a
// SELECT, then per key the commands that rebuild it: SET for strings; RPUSH,
// SADD, ZADD and HMSET with at most AOF_REWRITE_ITEMS_PER_CMD (64) items per
// command; PEXPIREAT after the value when the key has a TTL. Numbers go out as
// Redis writes them (integers in decimal, scores with %.17g).
//
// AofRewriteWriter has the same shape as RdbFileWriter so the simulated fork
// (snapshot.ts) can drive either, key by key.

import type { ExpireTime } from '../keyspace/db.ts'
import type { RObj } from '../keyspace/object.ts'
import type { Server } from '../server/server.ts'
import { formatDouble17g } from '../protocol/double.ts'
import { listTypeRange } from '../types/list.ts'
import { setTypeMembers } from '../types/set.ts'
import { zsetEntries } from '../types/zset.ts'
import { hashTypeForEach } from '../types/hash.ts'
import { RdbReader, RdbWriter, rdbLoadObject } from './rdb-value.ts'

/** AOF_REWRITE_ITEMS_PER_CMD. */
export const AOF_REWRITE_ITEMS_PER_CMD = 64

/** What the simulated fork writes through: an RDB file or an AOF rewrite. */
export interface DatasetWriter {
  /** rdbcompression, for the copy-on-write copies of values. */
  readonly compression: boolean
  /** Bytes handed out by take() so far. */
  written: number
  /** Bytes buffered and not yet taken. */
  readonly pending: number
  selectDb(id: number, size: number, expires: number): void
  keyValue(key: string, o: RObj, expire: ExpireTime): void
  /** keyValue for a value copied (RDB-serialised) before the parent changed it. */
  keyValueBytes(key: string, o: RObj, type: number, value: Uint8Array, expire: ExpireTime): void
  end(): void
  take(): Uint8Array
}

/** RESP writer for rewriteAppendOnlyFileRio. */
export class AofRewriteWriter implements DatasetWriter {
  private out = new RdbWriter(4096)
  readonly compression: boolean
  written = 0

  constructor(
    private readonly server: Server,
    opts: { timestampSec?: number } = {},
  ) {
    this.compression = server.config.bool('rdbcompression')
    // The rewrite records when it started (genAofTimestampAnnotationIfNeeded(1)).
    if (opts.timestampSec !== undefined) this.out.byteString(`#TS:${opts.timestampSec}\r\n`)
  }

  get pending(): number {
    return this.out.length
  }

  private count(prefix: string, n: number): void {
    this.out.byteString(`${prefix}${n}\r\n`)
  }

  private bulk(s: string): void {
    this.out.byteString(`$${s.length}\r\n`)
    this.out.byteString(s)
    this.out.byteString('\r\n')
  }

  selectDb(id: number): void {
    this.out.byteString('*2\r\n$6\r\nSELECT\r\n')
    this.bulk(String(id))
  }

  keyValue(key: string, o: RObj, expire: ExpireTime): void {
    switch (o.type) {
      case 'string':
        this.out.byteString('*3\r\n$3\r\nSET\r\n')
        this.bulk(key)
        this.bulk(o.value)
        break
      case 'list':
        this.batched('RPUSH', key, listTypeRange(o, 0, -1), 1)
        break
      case 'set':
        this.batched('SADD', key, [...setTypeMembers(o)], 1)
        break
      case 'zset': {
        const flat: string[] = []
        for (const e of zsetEntries(o)) flat.push(formatDouble17g(e.score), e.member)
        this.batched('ZADD', key, flat, 2)
        break
      }
      case 'hash': {
        const flat: string[] = []
        hashTypeForEach(o, (f, v) => flat.push(f, v))
        this.batched('HMSET', key, flat, 2)
        break
      }
    }
    if (expire !== -1) {
      this.out.byteString('*3\r\n$9\r\nPEXPIREAT\r\n')
      this.bulk(key)
      this.bulk(String(expire))
    }
  }

  /** rewriteListObject & co: `flat` holds items of `width` arguments each, 64 items per command. */
  private batched(cmd: string, key: string, flat: string[], width: number): void {
    let items = flat.length / width
    for (let i = 0; i < flat.length; ) {
      const n = Math.min(items, AOF_REWRITE_ITEMS_PER_CMD)
      this.count('*', 2 + n * width)
      this.bulk(cmd)
      this.bulk(key)
      const end = i + n * width
      for (; i < end; i++) this.bulk(flat[i])
      items -= n
    }
  }

  keyValueBytes(key: string, _o: RObj, type: number, value: Uint8Array, expire: ExpireTime): void {
    // The copy is the value as it was at fork time: rebuild it, then write it like any other.
    const o = rdbLoadObject(type, new RdbReader(value), { server: this.server, deep: false })
    this.keyValue(key, o, expire)
  }

  end(): void {
    // An AOF has no trailer.
  }

  take(): Uint8Array {
    const b = this.out.toBytes()
    this.out = new RdbWriter(4096)
    this.written += b.length
    return b
  }
}

/** rewriteAppendOnlyFileRio over the whole dataset, in memory. */
export function aofRewriteToBytes(server: Server, opts: { timestampSec?: number } = {}): Uint8Array {
  const w = new AofRewriteWriter(server, opts)
  const chunks: Uint8Array[] = []
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue
    w.selectDb(db.id)
    const expires = db.expires
    const hasExpires = expires.size > 0
    db.dict.forEach((o, key) => {
      w.keyValue(key, o, hasExpires ? (expires.get(key) ?? -1) : -1)
      if (w.pending > 1 << 22) chunks.push(w.take())
    })
  }
  chunks.push(w.take())
  return concatBytes(chunks)
}

export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]
  let total = 0
  for (const c of chunks) total += c.length
  const out = new Uint8Array(total)
  let p = 0
  for (const c of chunks) {
    out.set(c, p)
    p += c.length
  }
  return out
}
