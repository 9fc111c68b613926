// RESP2 / RESP3 encoder for the reply model (reply.ts).
//
// ReplyWriter appends replies into one growable Uint8Array, so a server can
// batch the replies of a whole pipeline into a single socket write. Byte strings
// (one char per byte) are copied with charCodeAt: no TextEncoder, whose UTF-8
// would turn bytes 0x80-0xff into two bytes.

import type { Reply } from './reply.ts'
import { formatDouble17g } from './double.ts'

const CR = 13
const LF = 10
const INITIAL_CAPACITY = 16 * 1024
/** take() hands out larger buffers without copying and starts a fresh one. */
const TAKE_WITHOUT_COPY = 64 * 1024

export class ReplyWriter {
  private buf: Uint8Array
  private len = 0

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.buf = new Uint8Array(Math.max(64, initialCapacity))
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.len
  }

  /** Appends one reply encoded for protocol version `resp`. */
  write(reply: Reply, resp: 2 | 3): void {
    switch (reply.kind) {
      case 'status':
        this.byte(43 /* + */)
        this.text(reply.value)
        this.crlf()
        return
      case 'error':
        this.byte(45 /* - */)
        this.text(reply.value)
        this.crlf()
        return
      case 'integer':
        this.header(58 /* : */, reply.value)
        return
      case 'bulk':
        this.bulk(reply.value)
        return
      case 'null':
        if (resp === 3) this.ascii('_\r\n')
        else this.ascii('$-1\r\n')
        return
      case 'nullArray':
        if (resp === 3) this.ascii('_\r\n')
        else this.ascii('*-1\r\n')
        return
      case 'array':
        this.aggregate(42 /* * */, reply.value, reply.value.length, resp)
        return
      case 'map':
        // value holds key, value, key, value...: RESP3 counts pairs.
        if (resp === 3) this.aggregate(37 /* % */, reply.value, reply.value.length >>> 1, resp)
        else this.aggregate(42, reply.value, reply.value.length, resp)
        return
      case 'set':
        this.aggregate(resp === 3 ? 126 /* ~ */ : 42, reply.value, reply.value.length, resp)
        return
      case 'push':
        this.aggregate(resp === 3 ? 62 /* > */ : 42, reply.value, reply.value.length, resp)
        return
      case 'double': {
        // addReplyDouble: RESP2 a bulk string, RESP3 ",<%.17g>"; inf/-inf spelled out.
        const text = formatDouble17g(reply.value)
        if (resp === 3) {
          this.byte(44 /* , */)
          this.ascii(text)
          this.crlf()
        } else {
          this.bulk(text)
        }
        return
      }
      case 'bool':
        if (resp === 3) this.ascii(reply.value ? '#t\r\n' : '#f\r\n')
        else this.ascii(reply.value ? ':1\r\n' : ':0\r\n')
        return
      case 'verbatim':
        if (resp === 3) {
          // "=<len>\r\n<fmt>:<value>\r\n"; addReplyVerbatim always writes a 3-byte
          // format (space padded or cut) and counts it and the ':' in len.
          const fmt = reply.format.length === 3 ? reply.format : (reply.format + '   ').slice(0, 3)
          this.header(61 /* = */, 4 + reply.value.length)
          this.raw(fmt)
          this.byte(58 /* : */)
          this.raw(reply.value)
          this.crlf()
        } else {
          this.bulk(reply.value)
        }
        return
    }
  }

  /** Appends already encoded protocol bytes (e.g. a cached reply). */
  writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length)
    this.buf.set(bytes, this.len)
    this.len += bytes.length
  }

  /**
   * Returns everything written since the last take() and empties the writer.
   * The returned array is owned by the caller (never reused by the writer).
   */
  take(): Uint8Array {
    const n = this.len
    this.len = 0
    if (n >= TAKE_WITHOUT_COPY) {
      const out = this.buf.subarray(0, n)
      this.buf = new Uint8Array(INITIAL_CAPACITY)
      return out
    }
    return this.buf.slice(0, n)
  }

  private aggregate(type: number, items: readonly Reply[], count: number, resp: 2 | 3): void {
    this.header(type, count)
    for (let i = 0; i < items.length; i++) this.write(items[i], resp)
  }

  private bulk(value: string): void {
    this.header(36 /* $ */, value.length)
    this.raw(value)
    this.crlf()
  }

  /** `<type><integer>\r\n` */
  private header(type: number, n: number | bigint): void {
    this.byte(type)
    if (typeof n === 'number') {
      if (!Number.isInteger(n)) throw new RangeError(`RESP integer expected, got ${n}`)
      if (n >= 0 && n < 10) {
        this.byte(48 + n)
        this.crlf()
        return
      }
      this.ascii(Number.isSafeInteger(n) ? String(n) : BigInt(n).toString())
    } else {
      this.ascii(n.toString())
    }
    this.crlf()
  }

  /**
   * Status and error texts: Redis never lets CR or LF through in a simple
   * string (addReplyErrorFormat / addReplyStatusLength callers map them to
   * spaces; Debian's 7.0.15 also strips them in the reply functions), so a text
   * cannot break the framing.
   */
  private text(s: string): void {
    const n = s.length
    this.reserve(n)
    const b = this.buf
    let p = this.len
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      b[p++] = c === CR || c === LF ? 32 : c
    }
    this.len = p
  }

  /** Byte string copy; chars are assumed to be 0-255 (house rule). */
  private raw(s: string): void {
    const n = s.length
    this.reserve(n)
    const b = this.buf
    let p = this.len
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i)
    this.len = p
  }

  private ascii(s: string): void {
    this.raw(s)
  }

  private byte(c: number): void {
    if (this.len === this.buf.length) this.grow(1)
    this.buf[this.len++] = c
  }

  private crlf(): void {
    if (this.len + 2 > this.buf.length) this.grow(2)
    this.buf[this.len++] = CR
    this.buf[this.len++] = LF
  }

  private reserve(n: number): void {
    if (this.len + n > this.buf.length) this.grow(n)
  }

  private grow(extra: number): void {
    const need = this.len + extra
    let cap = this.buf.length * 2
    if (cap < need) cap = need
    const next = new Uint8Array(cap)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }
}

/** Encodes one reply for protocol version `resp` (2 or 3). */
export function encodeReply(reply: Reply, resp: 2 | 3): Uint8Array {
  const w = new ReplyWriter(256)
  w.write(reply, resp)
  return w.take()
}
