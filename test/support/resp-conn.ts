// A raw RESP connection for tests: sends argv as a RESP multibulk and hands
// back each reply's exact bytes, so the oracle can compare byte for byte.
// Bytes are carried as latin1 "byte strings" (one char per byte), like the
// engine's keys and values.
import net from 'node:net'

/** Thrown when the bytes cannot be a RESP2/RESP3 reply. */
export class RespFramingError extends Error {}

const CR = 13
const LF = 10

/** Byte string (chars 0-255) -> bytes. Throws on chars above 255 so UTF-16 text cannot sneak in. */
export function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 255) throw new RangeError(`char ${c} at ${i} is not a byte (use byte strings, not UTF-16 text)`)
    out[i] = c
  }
  return out
}

/** Bytes -> byte string (latin1). */
export function fromBytes(b: Uint8Array, start = 0, end = b.length): string {
  let s = ''
  // Chunked to stay under the argument limit of String.fromCharCode.
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(end, i + 8192)))
  }
  return s
}

/** Encodes argv the way a client does: `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per argument. */
export function encodeCommand(argv: readonly string[]): Uint8Array {
  let s = `*${argv.length}\r\n`
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`
  return toBytes(s)
}

// Finds the CRLF that ends the header line starting at `from`; -1 if not here yet.
function lineEnd(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end - 1; i++) {
    if (buf[i] === CR) {
      if (buf[i + 1] !== LF) throw new RespFramingError(`CR without LF at byte ${i}`)
      return i
    }
    if (buf[i] === LF) throw new RespFramingError(`LF without CR at byte ${i}`)
  }
  return -1
}

function parseLength(buf: Uint8Array, from: number, to: number, type: string): number {
  const text = fromBytes(buf, from, to)
  if (!/^-?\d+$/.test(text)) throw new RespFramingError(`bad length '${text}' after '${type}'`)
  const n = Number(text)
  if (n < -1) throw new RespFramingError(`negative length ${n} after '${type}'`)
  return n
}

/**
 * Finds where the reply starting at `start` ends. Returns the index just past
 * it, or -1 if the buffer does not hold the whole reply yet. Throws
 * RespFramingError on bytes that cannot be RESP.
 *
 * Every value is a header line plus, for blobs, a payload, plus, for
 * aggregates, child values. Counting the values still owed (children are
 * added as their parent's header is read) walks the tree in prefix order
 * without recursion. An attribute (`|`) owes its key/value pairs and then
 * the value it annotates, so both travel as one reply.
 */
export function frameReply(buf: Uint8Array, start = 0, end = buf.length): number {
  let pos = start
  let owed = 1
  while (owed > 0) {
    if (pos >= end) return -1
    const type = String.fromCharCode(buf[pos])
    const eol = lineEnd(buf, pos + 1, end)
    if (eol < 0) return -1
    owed--
    switch (type) {
      case '+': // simple string
      case '-': // simple error
      case ':': // integer
      case ',': // double
      case '(': // big number
        pos = eol + 2
        break
      case '#': {
        const v = fromBytes(buf, pos + 1, eol)
        if (v !== 't' && v !== 'f') throw new RespFramingError(`bad boolean '${v}'`)
        pos = eol + 2
        break
      }
      case '_':
        if (eol !== pos + 1) throw new RespFramingError('null (_) with a payload')
        pos = eol + 2
        break
      case '$': // bulk string, $-1 = RESP2 null
      case '=': // verbatim string
      case '!': { // blob error
        if (buf[pos + 1] === 0x3f) throw new RespFramingError(`streamed strings ('${type}?') are not supported`)
        const n = parseLength(buf, pos + 1, eol, type)
        if (n === -1) {
          if (type !== '$') throw new RespFramingError(`'${type}-1' is not valid`)
          pos = eol + 2
          break
        }
        const payloadEnd = eol + 2 + n
        if (payloadEnd + 2 > end) return -1
        if (buf[payloadEnd] !== CR || buf[payloadEnd + 1] !== LF) {
          throw new RespFramingError(`'${type}${n}' payload not followed by CRLF`)
        }
        pos = payloadEnd + 2
        break
      }
      case '*': // array, *-1 = RESP2 null array
      case '~': // set
      case '>': // push
      case '%': // map
      case '|': { // attribute
        if (buf[pos + 1] === 0x3f) throw new RespFramingError(`streamed aggregates ('${type}?') are not supported`)
        const n = parseLength(buf, pos + 1, eol, type)
        if (n === -1 && type !== '*') throw new RespFramingError(`'${type}-1' is not valid`)
        if (n > 0) owed += type === '%' || type === '|' ? 2 * n : n
        if (type === '|') owed += 1
        pos = eol + 2
        break
      }
      default:
        throw new RespFramingError(`unknown type byte 0x${buf[pos].toString(16).padStart(2, '0')} at ${pos}`)
    }
  }
  return pos
}

/** Splits a byte string holding whole replies into one string per reply. Throws if bytes are left over. */
export function splitReplies(raw: string): string[] {
  const buf = toBytes(raw)
  const out: string[] = []
  let pos = 0
  while (pos < buf.length) {
    const end = frameReply(buf, pos)
    if (end < 0) throw new RespFramingError(`incomplete reply at byte ${pos}: ${escapeBytes(raw.slice(pos))}`)
    out.push(raw.slice(pos, end))
    pos = end
  }
  return out
}

/** A parsed reply, kept close to the wire: each node remembers its raw bytes. */
export type RespNode =
  | { type: '+' | '-' | ':' | ',' | '(' | '#' | '_'; raw: string; text: string }
  | { type: '$' | '=' | '!'; raw: string; len: number; data: string | null }
  | { type: '*' | '~' | '>' | '%'; raw: string; len: number; items: RespNode[] | null }
  | { type: '|'; raw: string; attrs: RespNode[]; value: RespNode }

/** Parses one whole reply (as given by frameReply) into a tree; for normalisers and tests. */
export function parseReply(raw: string): RespNode {
  let pos = 0
  const node = (): RespNode => {
    const begin = pos
    const type = raw[pos]
    const eol = raw.indexOf('\r\n', pos + 1)
    if (eol < 0) throw new RespFramingError('incomplete reply')
    const head = raw.slice(pos + 1, eol)
    pos = eol + 2
    switch (type) {
      case '+': case '-': case ':': case ',': case '(': case '#': case '_':
        return { type, raw: raw.slice(begin, pos), text: head }
      case '$': case '=': case '!': {
        const len = Number(head)
        if (len < 0) return { type, raw: raw.slice(begin, pos), len, data: null }
        const data = raw.slice(pos, pos + len)
        pos += len + 2
        return { type, raw: raw.slice(begin, pos), len, data }
      }
      case '*': case '~': case '>': case '%': {
        const len = Number(head)
        if (len < 0) return { type, raw: raw.slice(begin, pos), len, items: null }
        const items: RespNode[] = []
        for (let i = 0; i < (type === '%' ? 2 * len : len); i++) items.push(node())
        return { type, raw: raw.slice(begin, pos), len, items }
      }
      case '|': {
        const attrs: RespNode[] = []
        for (let i = 0; i < 2 * Number(head); i++) attrs.push(node())
        const value = node()
        return { type, raw: raw.slice(begin, pos), attrs, value }
      }
      default:
        throw new RespFramingError(`unknown type '${type}'`)
    }
  }
  frameReply(toBytes(raw)) // validates first, so node() only sees well-formed input
  const n = node()
  if (pos !== raw.length) throw new RespFramingError(`${raw.length - pos} bytes after the reply`)
  return n
}

/** Printable form of a byte string: CR, LF and non-ASCII bytes escaped (\r \n \xHH). */
export function escapeBytes(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 13) out += '\\r'
    else if (c === 10) out += '\\n'
    else if (c === 9) out += '\\t'
    else if (c === 92) out += '\\\\'
    else if (c < 32 || c > 126) out += `\\x${c.toString(16).padStart(2, '0')}`
    else out += s[i]
  }
  return out
}

/** Incremental framer: push in bytes, pull out whole replies; top-level pushes (`>`) can be told apart. */
export class ReplyFramer {
  private buf = new Uint8Array(4096)
  private start = 0
  private end = 0

  /** Appends bytes read from the socket. */
  feed(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start
      if (live + chunk.length <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end)
      } else {
        const next = new Uint8Array(Math.max(2 * this.buf.length, 2 * (live + chunk.length)))
        next.set(this.buf.subarray(this.start, this.end))
        this.buf = next
      }
      this.start = 0
      this.end = live
    }
    this.buf.set(chunk, this.end)
    this.end += chunk.length
  }

  /** Next whole reply as a byte string, or undefined if it has not fully arrived. */
  next(): string | undefined {
    const stop = frameReply(this.buf, this.start, this.end)
    if (stop < 0) return undefined
    const s = fromBytes(this.buf, this.start, stop)
    this.start = stop
    if (this.start === this.end) this.start = this.end = 0
    return s
  }

  /** Bytes received but not yet part of a whole reply. */
  get pending(): number {
    return this.end - this.start
  }
}

export const isPush = (reply: string): boolean => reply.charCodeAt(0) === 0x3e /* '>' */

export interface RawConn {
  /** Writes argv as a RESP multibulk (does not wait). */
  send(argv: readonly string[]): void
  /** Writes bytes as they are (inline commands, broken protocol). */
  sendRaw(bytes: string | Uint8Array): void
  /** Next reply that is not a RESP3 push; pushes that arrive meanwhile go to `pushes`. */
  read(timeoutMs?: number): Promise<string>
  /** Next frame of any kind, push or not, taken in arrival order (pushes queued earlier come first). */
  readFrame(timeoutMs?: number): Promise<string>
  /** Next RESP3 push (taken from `pushes` first). */
  readPush(timeoutMs?: number): Promise<string>
  /** send + read. */
  call(argv: readonly string[], timeoutMs?: number): Promise<string>
  /** Sends all commands in one write, then reads one reply per command. */
  pipeline(argvs: readonly (readonly string[])[], timeoutMs?: number): Promise<string[]>
  /** RESP3 pushes received and not yet taken, oldest first. */
  readonly pushes: string[]
  /** Bytes received and not yet taken by a reader (whole frames, pushes and an incomplete reply): grows when anything comes. */
  readonly buffered: number
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>
  readonly isClosed: boolean
  close(): Promise<void>
}

export const DEFAULT_TIMEOUT_MS = 10_000

/** Opens a raw connection to 127.0.0.1:port. */
export function connectRaw(port: number, host = '127.0.0.1'): Promise<RawConn> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ port, host })
    sock.setNoDelay(true)
    const framer = new ReplyFramer()
    // Frames in arrival order; readers take from the front.
    const frames: string[] = []
    const pushes: string[] = []
    let waiter: (() => void) | undefined
    let failure: Error | undefined
    let isClosed = false
    let connected = false
    let closedResolve!: () => void
    const closed = new Promise<void>((r) => (closedResolve = r))

    const wake = (): void => {
      const w = waiter
      waiter = undefined
      w?.()
    }
    sock.on('data', (chunk: Buffer) => {
      try {
        framer.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
        for (let f = framer.next(); f !== undefined; f = framer.next()) frames.push(f)
      } catch (e) {
        failure = e as Error
        sock.destroy()
      }
      wake()
    })
    sock.on('close', () => {
      isClosed = true
      closedResolve()
      wake()
    })
    sock.on('error', (e) => {
      if (!connected) reject(e)
      failure ??= e
      wake()
    })

    // Waits until pick() finds something in `frames`, the socket fails, or time runs out.
    const take = async (what: string, pick: () => string | undefined, timeoutMs: number): Promise<string> => {
      const deadline = Date.now() + timeoutMs
      while (true) {
        const got = pick()
        if (got !== undefined) return got
        if (failure) throw failure
        if (isClosed) throw new Error(`connection closed while waiting for ${what}` + (framer.pending ? ` (${framer.pending} bytes of an incomplete reply)` : ''))
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` + (framer.pending ? ` (${framer.pending} bytes of an incomplete reply)` : ''))
        await new Promise<void>((r) => {
          const t = setTimeout(r, left)
          waiter = () => {
            clearTimeout(t)
            r()
          }
        })
      }
    }
    const pickReply = (): string | undefined => {
      // Pushes in front of the reply are moved aside, in order.
      while (frames.length > 0) {
        const f = frames.shift()!
        if (isPush(f)) pushes.push(f)
        else return f
      }
      return undefined
    }
    const pickFrame = (): string | undefined => pushes.shift() ?? frames.shift()
    const pickPush = (): string | undefined => {
      if (pushes.length > 0) return pushes.shift()
      const i = frames.findIndex(isPush)
      return i < 0 ? undefined : frames.splice(i, 1)[0]
    }

    const conn: RawConn = {
      send(argv) {
        sock.write(encodeCommand(argv))
      },
      sendRaw(bytes) {
        sock.write(typeof bytes === 'string' ? toBytes(bytes) : bytes)
      },
      read(timeoutMs = DEFAULT_TIMEOUT_MS) {
        return take('a reply', pickReply, timeoutMs)
      },
      readFrame(timeoutMs = DEFAULT_TIMEOUT_MS) {
        return take('a frame', pickFrame, timeoutMs)
      },
      readPush(timeoutMs = DEFAULT_TIMEOUT_MS) {
        return take('a push', pickPush, timeoutMs)
      },
      call(argv, timeoutMs) {
        conn.send(argv)
        return conn.read(timeoutMs)
      },
      async pipeline(argvs, timeoutMs) {
        const parts = argvs.map(encodeCommand)
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
        let at = 0
        for (const p of parts) {
          all.set(p, at)
          at += p.length
        }
        sock.write(all)
        const out: string[] = []
        for (let i = 0; i < argvs.length; i++) out.push(await conn.read(timeoutMs))
        return out
      },
      pushes,
      get buffered() {
        return frames.reduce((n, f) => n + f.length, 0) + pushes.reduce((n, f) => n + f.length, 0) + framer.pending
      },
      closed,
      get isClosed() {
        return isClosed
      },
      async close() {
        if (isClosed) return
        sock.end()
        const t = setTimeout(() => sock.destroy(), 1000)
        await closed
        clearTimeout(t)
      },
    }
    sock.once('connect', () => {
      connected = true
      resolve(conn)
    })
  })
}
