// Incremental request decoder: Redis 7.0's processInputBuffer with
// processInlineBuffer (inline commands) and processMultibulkBuffer (RESP arrays
// of bulk strings), networking.c.
//
// The server feeds socket chunks and then calls next() until it returns null,
// executing each argv before asking for the next one (Redis also executes the
// commands before a protocol error in the same buffer). A ProtocolError is final:
// the server replies "-ERR <message>" and closes the connection.
//
// Quirks kept on purpose because redis-server has them:
// - Lines are found like strchr() on the NUL-terminated query buffer: a NUL
//   byte before the line terminator hides it, so such a line never completes
//   (until the 64 KB limit turns it into an error).
// - After '\r' in a count line, and after a bulk's payload, the next byte(s)
//   are skipped without checking that they are "\n" / "\r\n".
// - Size limits are checked against what has been buffered when next() runs,
//   as Redis checks them after each read.

import type { Reply } from './reply.ts'
import { error } from './reply.ts'

/** A request the connection cannot recover from (Redis sets CLIENT_CLOSE_AFTER_REPLY). */
export class ProtocolError {
  /** Redis's text, e.g. "Protocol error: invalid bulk length" (without "ERR "). */
  readonly message: string
  constructor(message: string) {
    this.message = message
  }
  /** The reply Redis sends before closing: -ERR <message>. */
  toReply(): Reply {
    return error('ERR ' + this.message)
  }
}

export interface RequestDecoderOptions {
  /** proto-max-bulk-len, read each time a bulk header is parsed (CONFIG SET applies at once). */
  readonly maxBulkLen: () => number
  /**
   * False while the connection still has to authenticate (Redis's authRequired()):
   * then a request may have at most 10 arguments of at most 16384 bytes each.
   * Omitted: no limits.
   */
  readonly isAuthenticated?: () => boolean
}

const CR = 13
const LF = 10
const STAR = 42
const DOLLAR = 36

const PROTO_INLINE_MAX_SIZE = 64 * 1024
/** Bulks at least this long are converted while they arrive (PROTO_MBULK_BIG_ARG). */
const PROTO_MBULK_BIG_ARG = 32 * 1024
const INT_MAX = 2147483647
const UNAUTH_MAX_ARGS = 10
const UNAUTH_MAX_BULK = 16384
/**
 * The longest string V8 can build (String::kMaxLength on 64-bit). A longer bulk
 * cannot become an argument, so it is refused at its header instead of after
 * receiving it. Redis's default proto-max-bulk-len is 24 bytes longer.
 */
const MAX_ARG_LENGTH = 2 ** 29 - 24

const INITIAL_BUFFER = 16 * 1024
/** An emptied buffer larger than this is dropped (Redis also shrinks idle query buffers). */
const KEEP_BUFFER = 1024 * 1024
/** Big bulks are converted to strings in pieces of this size. */
const PIECE = 64 * 1024

const INLINE = 1
const MULTIBULK = 2

const EMPTY = new Uint8Array(0)
const NO_ARGS: string[] = []

export class RequestDecoder {
  private readonly maxBulkLen: () => number
  private readonly isAuthenticated: () => boolean

  // Query buffer: unparsed bytes are buf[pos, end).
  private buf: Uint8Array = EMPTY
  private pos = 0
  private end = 0

  private reqType = 0 // 0 until the first byte of a request is seen
  private multibulkLen = 0 // bulks still to read; 0 outside a multibulk request
  private bulkLen = -1 // length of the bulk being read, -1 before its header
  private argv: string[] = []
  private failed: ProtocolError | null = null

  // A big bulk being received: converted piece by piece, never buffered whole.
  private bigParts: string[] | null = null
  private bigGot = 0 // bytes of bulkLen + 2 consumed so far
  private stage: Uint8Array = EMPTY
  private stageLen = 0

  // Remembers how far the current line was searched, so that a line arriving
  // byte by byte is not rescanned from its start each time.
  private scanStart = -1
  private scanEnd = 0
  private scanDelim = 0
  private scanHitNul = false

  constructor(opts: RequestDecoderOptions) {
    this.maxBulkLen = opts.maxBulkLen
    this.isAuthenticated = opts.isAuthenticated ?? (() => true)
  }

  /**
   * Bytes received but not yet turned into a complete request (Redis's query
   * buffer length), for client-query-buffer-limit and CLIENT LIST.
   */
  get bufferedBytes(): number {
    return this.end - this.pos + (this.bigParts !== null ? this.bigGot : 0)
  }

  /** Appends bytes from the socket. The chunk is copied, so the caller may reuse it. */
  feed(chunk: Uint8Array): void {
    if (this.failed !== null || chunk.length === 0) return
    let off = 0
    if (this.bigParts !== null && this.pos === this.end) {
      // Payload of a big bulk goes straight to its pieces, not through buf.
      off = this.bigConsume(chunk, 0, chunk.length)
    }
    if (off < chunk.length) this.append(chunk, off)
  }

  /**
   * The next complete request as an argv of byte strings, a ProtocolError (final:
   * every later call returns it again), or null when more bytes are needed.
   * Empty inline lines and `*0` / `*-1` requests are skipped, as Redis does.
   */
  next(): string[] | ProtocolError | null {
    if (this.failed !== null) return this.failed
    for (;;) {
      if (this.reqType === 0) {
        if (this.pos >= this.end) {
          this.compactIfEmpty()
          return null
        }
        this.reqType = this.buf[this.pos] === STAR ? MULTIBULK : INLINE
      }
      const r = this.reqType === INLINE ? this.inline() : this.multibulk()
      if (r === null) return null
      if (r instanceof ProtocolError) return this.fail(r)
      this.reqType = 0
      if (r.length > 0) return r
    }
  }

  // processInlineBuffer
  private inline(): string[] | ProtocolError | null {
    const start = this.pos
    const nl = this.findDelim(LF)
    if (nl < 0) {
      if (this.end - start > PROTO_INLINE_MAX_SIZE) return new ProtocolError('Protocol error: too big inline request')
      return null
    }
    const lineEnd = nl > start && this.buf[nl - 1] === CR ? nl - 1 : nl
    const argv = splitArgsBytes(this.buf, start, lineEnd)
    if (argv === null) return new ProtocolError('Protocol error: unbalanced quotes in request')
    this.pos = nl + 1
    return argv
  }

  // processMultibulkBuffer
  private multibulk(): string[] | ProtocolError | null {
    if (this.multibulkLen === 0) {
      const start = this.pos
      const cr = this.findDelim(CR)
      if (cr < 0) {
        if (this.end - start > PROTO_INLINE_MAX_SIZE) {
          return new ProtocolError('Protocol error: too big mbulk count string')
        }
        return null
      }
      if (cr + 1 >= this.end) return null // the byte after '\r' is not here yet
      const ll = parseLongLong(this.buf, start + 1, cr)
      if (ll !== ll || ll > INT_MAX) return new ProtocolError('Protocol error: invalid multibulk length')
      if (ll > UNAUTH_MAX_ARGS && !this.isAuthenticated()) {
        return new ProtocolError('Protocol error: unauthenticated multibulk length')
      }
      this.pos = cr + 2
      if (ll <= 0) return NO_ARGS
      this.multibulkLen = ll
    }

    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const start = this.pos
        const cr = this.findDelim(CR)
        if (cr < 0) {
          if (this.end - start > PROTO_INLINE_MAX_SIZE) {
            return new ProtocolError('Protocol error: too big bulk count string')
          }
          return null
        }
        if (cr + 1 >= this.end) return null
        const first = this.buf[start]
        if (first !== DOLLAR) {
          // addReplyErrorFormat turns CR and LF into spaces.
          const got = first === CR || first === LF ? ' ' : String.fromCharCode(first)
          return new ProtocolError(`Protocol error: expected '$', got '${got}'`)
        }
        const ll = parseLongLong(this.buf, start + 1, cr)
        if (ll !== ll || ll < 0 || ll > this.maxBulkLen() || ll > MAX_ARG_LENGTH) {
          return new ProtocolError('Protocol error: invalid bulk length')
        }
        if (ll > UNAUTH_MAX_BULK && !this.isAuthenticated()) {
          return new ProtocolError('Protocol error: unauthenticated bulk length')
        }
        this.pos = cr + 2
        this.bulkLen = ll
      }

      const need = this.bulkLen + 2 // payload plus two bytes that are skipped unchecked
      if (this.bigParts !== null) {
        this.pos = this.bigConsume(this.buf, this.pos, this.end)
        if (this.bigGot < need) return null
        this.argv.push(this.bigFinish())
      } else if (this.end - this.pos >= need) {
        this.argv.push(byteString(this.buf, this.pos, this.pos + this.bulkLen))
        this.pos += need
      } else if (this.bulkLen >= PROTO_MBULK_BIG_ARG) {
        this.bigParts = []
        this.bigGot = 0
        this.pos = this.bigConsume(this.buf, this.pos, this.end)
        return null
      } else {
        return null
      }
      this.bulkLen = -1
      this.multibulkLen--
    }

    const argv = this.argv
    this.argv = []
    return argv
  }

  /**
   * Index of the first `delim` at or after pos, or -1 when it is not buffered or
   * a NUL byte comes first (strchr on the query buffer).
   */
  private findDelim(delim: number): number {
    const start = this.pos
    let i = start
    if (this.scanStart === start && this.scanDelim === delim) {
      if (this.scanHitNul) return -1
      i = this.scanEnd
    }
    const b = this.buf
    const end = this.end
    for (; i < end; i++) {
      const c = b[i]
      if (c === delim) return i
      if (c === 0) break
    }
    this.scanStart = start
    this.scanDelim = delim
    this.scanEnd = i
    this.scanHitNul = i < end
    return -1
  }

  /** Takes up to the rest of the big bulk (payload + 2) from src[s, e); returns the new s. */
  private bigConsume(src: Uint8Array, s: number, e: number): number {
    const payloadLeft = this.bulkLen - this.bigGot
    const take = Math.min(e - s, payloadLeft + 2)
    const data = Math.min(take, payloadLeft > 0 ? payloadLeft : 0)
    if (data > 0) this.bigAppend(src, s, s + data)
    this.bigGot += take
    return s + take
  }

  private bigAppend(src: Uint8Array, s: number, e: number): void {
    const parts = this.bigParts!
    while (s < e) {
      if (this.stageLen === 0 && e - s >= PIECE) {
        parts.push(byteString(src, s, s + PIECE))
        s += PIECE
        continue
      }
      if (this.stage.length === 0) this.stage = new Uint8Array(PIECE)
      const n = Math.min(PIECE - this.stageLen, e - s)
      this.stage.set(src.subarray(s, s + n), this.stageLen)
      this.stageLen += n
      s += n
      if (this.stageLen === PIECE) {
        parts.push(byteString(this.stage, 0, PIECE))
        this.stageLen = 0
      }
    }
  }

  private bigFinish(): string {
    const parts = this.bigParts!
    if (this.stageLen > 0) parts.push(byteString(this.stage, 0, this.stageLen))
    this.bigParts = null
    this.bigGot = 0
    this.stage = EMPTY
    this.stageLen = 0
    return parts.length === 1 ? parts[0] : parts.join('')
  }

  private append(chunk: Uint8Array, off: number): void {
    const n = chunk.length - off
    if (this.pos === this.end) this.resetBuffer()
    if (this.end + n > this.buf.length) {
      const live = this.end - this.pos
      if (this.pos > 0 && live + n <= this.buf.length >>> 1) {
        this.shift(this.buf)
      } else {
        const next = new Uint8Array(Math.max(INITIAL_BUFFER, (live + n) * 2))
        this.shift(next)
      }
    }
    this.buf.set(off === 0 ? chunk : chunk.subarray(off), this.end)
    this.end += n
  }

  /** Moves the unparsed bytes to the start of `to` (which may be buf itself). */
  private shift(to: Uint8Array): void {
    const d = this.pos
    if (to === this.buf) to.copyWithin(0, this.pos, this.end)
    else to.set(this.buf.subarray(this.pos, this.end))
    this.buf = to
    this.end -= d
    this.pos = 0
    if (this.scanStart >= 0) {
      this.scanStart -= d
      this.scanEnd -= d
    }
  }

  private resetBuffer(): void {
    this.pos = 0
    this.end = 0
    this.scanStart = -1
    if (this.buf.length > KEEP_BUFFER) this.buf = EMPTY
  }

  private compactIfEmpty(): void {
    if (this.pos === this.end && this.end > 0) this.resetBuffer()
  }

  private fail(e: ProtocolError): ProtocolError {
    this.failed = e
    this.buf = EMPTY
    this.pos = this.end = 0
    this.argv = []
    this.bigParts = null
    this.stage = EMPTY
    return e
  }
}

/**
 * Redis's string2ll over buf[s, e): optional '-', no '+', no leading zeros
 * ("0" alone is fine, "-0" is not), no spaces, must fit a signed 64-bit integer.
 * Returns NaN when invalid. Values beyond 2^53 come back rounded to the nearest
 * double, which is harmless for the limit comparisons made with them.
 */
export function parseLongLong(b: Uint8Array, s: number, e: number): number {
  const n = e - s
  if (n === 0 || n >= 21) return NaN
  let i = s
  let negative = false
  if (b[i] === 45 /* - */) {
    negative = true
    i++
    if (i === e) return NaN
  }
  const first = b[i]
  if (first === 48) return n === 1 ? 0 : NaN
  if (first < 49 || first > 57) return NaN
  const digitsStart = i
  let v = 0
  for (; i < e; i++) {
    const c = b[i] - 48
    if (c < 0 || c > 9) return NaN
    v = v * 10 + c
  }
  const digits = e - digitsStart
  if (digits > 19) return NaN
  if (digits === 19) {
    // Compare with 9223372036854775807 (or ...808 when negative) exactly.
    const limit = negative ? '9223372036854775808' : '9223372036854775807'
    for (let k = 0; k < 19; k++) {
      const c = b[digitsStart + k]
      const l = limit.charCodeAt(k)
      if (c < l) break
      if (c > l) return NaN
    }
  }
  if (digits > 15) v = Number(byteString(b, digitsStart, e)) // correctly rounded
  return negative ? -v : v
}

// C isspace() in the "C" locale: space, \t, \n, \v, \f, \r.
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 102) return c - 87
  if (c >= 65 && c <= 70) return c - 55
  return -1
}

/**
 * sdssplitargs (also used by redis.conf parsing) on a byte string: arguments
 * separated by blanks; "double quotes" with \n \r \t \b \a \xHH and \<any> escapes;
 * 'single quotes' with only \'; a closing quote must be followed by a blank or the
 * end. Returns null for unbalanced quotes. Like the C function it stops at a NUL.
 */
export function splitArgs(line: string): string[] | null {
  let n = line.indexOf('\0')
  if (n < 0) n = line.length
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = line.charCodeAt(i)
  return splitArgsBytes(b, 0, n)
}

/** splitArgs over b[s, e), which must not contain a NUL (the decoder never passes one). */
export function splitArgsBytes(b: Uint8Array, s: number, e: number): string[] | null {
  const out: string[] = []
  let p = s
  for (;;) {
    while (p < e && isSpace(b[p])) p++
    if (p >= e) return out

    // Fast path: a plain token is a slice of the line.
    const tokStart = p
    while (p < e) {
      const c = b[p]
      if (c === 32 || c === LF || c === CR || c === 9 || c === 34 || c === 39) break
      p++
    }
    if (p >= e || (b[p] !== 34 && b[p] !== 39)) {
      out.push(byteString(b, tokStart, p))
      if (p < e) p++ // the terminating blank
      continue
    }

    // Slow path: the token has quotes somewhere; collect its bytes.
    const codes: number[] = []
    for (let k = tokStart; k < p; k++) codes.push(b[k])
    let inq = false
    let insq = false
    for (;;) {
      const c = p < e ? b[p] : 0
      if (inq) {
        if (
          c === 92 /* \ */ &&
          p + 3 < e &&
          b[p + 1] === 120 /* x */ &&
          hexValue(b[p + 2]) >= 0 &&
          hexValue(b[p + 3]) >= 0
        ) {
          codes.push(hexValue(b[p + 2]) * 16 + hexValue(b[p + 3]))
          p += 3
        } else if (c === 92 && p + 1 < e) {
          p++
          const x = b[p]
          codes.push(x === 110 ? 10 : x === 114 ? 13 : x === 116 ? 9 : x === 98 ? 8 : x === 97 ? 7 : x)
        } else if (c === 34 /* " */) {
          if (p + 1 < e && !isSpace(b[p + 1])) return null
          p++
          break
        } else if (p >= e) {
          return null
        } else {
          codes.push(c)
        }
      } else if (insq) {
        if (c === 92 && p + 1 < e && b[p + 1] === 39) {
          p++
          codes.push(39)
        } else if (c === 39 /* ' */) {
          if (p + 1 < e && !isSpace(b[p + 1])) return null
          p++
          break
        } else if (p >= e) {
          return null
        } else {
          codes.push(c)
        }
      } else {
        if (p >= e || c === 32 || c === LF || c === CR || c === 9) {
          if (p < e) p++
          break
        }
        if (c === 34) inq = true
        else if (c === 39) insq = true
        else codes.push(c)
      }
      if (p < e) p++
    }
    out.push(codesToString(codes))
  }
}

function codesToString(codes: number[]): string {
  let r = ''
  for (let i = 0; i < codes.length; i += 8192) {
    r += String.fromCharCode.apply(null, codes.slice(i, i + 8192))
  }
  return r
}

// Reused argument arrays for String.fromCharCode.apply on short slices: cheaper
// than creating a subarray per argument.
const SMALL_MAX = 64
const smallArrays: number[][] = []
for (let n = 0; n <= SMALL_MAX; n++) smallArrays.push(new Array<number>(n).fill(0))
const PIECE_CHARS = 4096
const pieceArray = new Array<number>(PIECE_CHARS).fill(0)
const utf8 = new TextDecoder()

/** Bytes b[s, e) as a byte string (one char per byte). */
export function byteString(b: Uint8Array, s: number, e: number): string {
  const n = e - s
  const f = String.fromCharCode
  switch (n) {
    case 0:
      return ''
    case 1:
      return f(b[s])
    case 2:
      return f(b[s], b[s + 1])
    case 3:
      return f(b[s], b[s + 1], b[s + 2])
    case 4:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3])
    case 5:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4])
    case 6:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5])
    case 7:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6])
    case 8:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7])
  }
  if (n <= SMALL_MAX) {
    const a = smallArrays[n]
    for (let i = 0; i < n; i++) a[i] = b[s + i]
    // eslint-disable-next-line prefer-spread -- apply with a reused array is the fast path
    return f.apply(null, a)
  }
  if (n >= 1024) {
    // Text values decode natively, far faster than fromCharCode: UTF-8 is the
    // identity on ASCII, and the result can be trusted when every byte became
    // exactly one char and none was replaced (U+FFFD). A quick look at the first
    // bytes keeps binary data off this path.
    let binary = false
    for (let i = s; i < s + 32; i++) {
      if (b[i] > 127) {
        binary = true
        break
      }
    }
    if (!binary) {
      const str = utf8.decode(b.subarray(s, e))
      if (str.length === n && str.indexOf('\ufffd') < 0) return str
    }
  }
  // Binary data: pieces copied into a reused plain array, the fastest
  // fromCharCode.apply argument, give a one-byte string rope.
  const a = pieceArray
  let r = ''
  let i = s
  for (; i + PIECE_CHARS <= e; i += PIECE_CHARS) {
    for (let j = 0; j < PIECE_CHARS; j++) a[j] = b[i + j]
    // eslint-disable-next-line prefer-spread -- see above
    r += f.apply(null, a)
  }
  if (i < e) {
    // eslint-disable-next-line prefer-spread -- spreading a typed array goes through its iterator
    r += f.apply(null, b.subarray(i, e) as unknown as number[])
  }
  return r
}
