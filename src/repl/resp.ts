// A RESP2/RESP3 reply as a plain tree, parsed from the exact bytes a client would
// read from the socket. Strings are byte strings (one char per byte, 0-255), as
// everywhere in Glassbox; the REPL decodes UTF-8 only for display.

export type RespValue =
  | { type: 'simple'; value: string } // +OK
  | { type: 'error'; value: string; blob?: boolean } // -ERR ... or RESP3 !<len> blob error
  | { type: 'integer'; value: bigint } // :123
  | { type: 'bulk'; value: string } // $3 foo
  | { type: 'null'; kind: 'bulk' | 'array' | 'null' } // $-1, *-1, RESP3 _
  | { type: 'array'; items: RespValue[] } // *
  | { type: 'double'; value: string } // ,3.14 (the text as sent: inf, -inf, nan, 1e+20 ...)
  | { type: 'boolean'; value: boolean } // #t / #f
  | { type: 'bignum'; value: string } // (123456789...
  | { type: 'verbatim'; format: string; value: string } // =15 txt:... (format is the 3-byte tag)
  | { type: 'map'; entries: Array<[RespValue, RespValue]> } // %
  | { type: 'set'; items: RespValue[] } // ~
  | { type: 'push'; items: RespValue[] } // >
  | { type: 'attribute'; entries: Array<[RespValue, RespValue]>; value: RespValue } // |n ... then the reply it decorates

export class RespParseError extends Error {}

/** Parse exactly one complete reply; trailing bytes are an error. */
export function parseResp(bytes: Uint8Array): RespValue {
  const { value, next } = parseRespAt(bytes, 0)
  if (next !== bytes.length) throw new RespParseError(`trailing bytes after reply at offset ${next}`)
  return value
}

/** Parse every complete reply in a buffer (e.g. a push followed by the command's reply). */
export function parseRespAll(bytes: Uint8Array): RespValue[] {
  const out: RespValue[] = []
  let pos = 0
  while (pos < bytes.length) {
    const { value, next } = parseRespAt(bytes, pos)
    out.push(value)
    pos = next
  }
  return out
}

/** Parse one reply starting at `offset`; returns the value and the offset after it. */
export function parseRespAt(bytes: Uint8Array, offset: number): { value: RespValue; next: number } {
  const p = new Parser(bytes, offset)
  const value = p.value()
  return { value, next: p.pos }
}

/** Byte string -> Uint8Array (chars must be 0-255). */
export function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff
  return out
}

/** Uint8Array -> byte string. */
export function byteString(b: Uint8Array, start = 0, end = b.length): string {
  let s = ''
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(end, i + 8192)))
  }
  return s
}

class Parser {
  constructor(private readonly b: Uint8Array, public pos: number) {}

  private line(): string {
    const start = this.pos
    for (let i = start; i + 1 < this.b.length; i++) {
      if (this.b[i] === 13 && this.b[i + 1] === 10) {
        this.pos = i + 2
        return byteString(this.b, start, i)
      }
    }
    throw new RespParseError('incomplete reply: missing CRLF')
  }

  private int(): number {
    const s = this.line()
    if (!/^-?\d+$/.test(s)) throw new RespParseError(`bad length ${JSON.stringify(s)}`)
    return Number(s)
  }

  private blob(len: number): string {
    if (this.pos + len + 2 > this.b.length) throw new RespParseError('incomplete bulk')
    const s = byteString(this.b, this.pos, this.pos + len)
    if (this.b[this.pos + len] !== 13 || this.b[this.pos + len + 1] !== 10) throw new RespParseError('bulk without CRLF')
    this.pos += len + 2
    return s
  }

  private items(n: number): RespValue[] {
    const out: RespValue[] = []
    for (let i = 0; i < n; i++) out.push(this.value())
    return out
  }

  private pairs(n: number): Array<[RespValue, RespValue]> {
    const out: Array<[RespValue, RespValue]> = []
    for (let i = 0; i < n; i++) {
      const k = this.value()
      out.push([k, this.value()])
    }
    return out
  }

  value(): RespValue {
    if (this.pos >= this.b.length) throw new RespParseError('incomplete reply: empty')
    const t = String.fromCharCode(this.b[this.pos]!)
    this.pos++
    switch (t) {
      case '+': return { type: 'simple', value: this.line() }
      case '-': return { type: 'error', value: this.line() }
      case ':': {
        const s = this.line()
        if (!/^[+-]?\d+$/.test(s)) throw new RespParseError(`bad integer ${JSON.stringify(s)}`)
        return { type: 'integer', value: BigInt(s) }
      }
      case '$': {
        const n = this.int()
        if (n < 0) return { type: 'null', kind: 'bulk' }
        return { type: 'bulk', value: this.blob(n) }
      }
      case '*': {
        const n = this.int()
        if (n < 0) return { type: 'null', kind: 'array' }
        return { type: 'array', items: this.items(n) }
      }
      case '_': this.line(); return { type: 'null', kind: 'null' }
      case ',': return { type: 'double', value: this.line() }
      case '#': {
        const s = this.line()
        if (s !== 't' && s !== 'f') throw new RespParseError(`bad boolean ${JSON.stringify(s)}`)
        return { type: 'boolean', value: s === 't' }
      }
      case '(': return { type: 'bignum', value: this.line() }
      case '!': return { type: 'error', value: this.blob(this.int()), blob: true }
      case '=': {
        const s = this.blob(this.int())
        // The first 4 bytes are "xxx:"; hiredis keeps the tag aside and hands out the rest.
        if (s.length < 4 || s[3] !== ':') throw new RespParseError('bad verbatim string')
        return { type: 'verbatim', format: s.slice(0, 3), value: s.slice(4) }
      }
      case '%': return { type: 'map', entries: this.pairs(this.int()) }
      case '~': return { type: 'set', items: this.items(this.int()) }
      case '>': return { type: 'push', items: this.items(this.int()) }
      case '|': {
        const entries = this.pairs(this.int())
        return { type: 'attribute', entries, value: this.value() }
      }
      default:
        throw new RespParseError(`Protocol error, got ${JSON.stringify(t)} as reply type byte`)
    }
  }
}
