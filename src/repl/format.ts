// What redis-cli 7.0.15 prints for a reply (redis-cli.c: cliFormatReplyTTY,
// cliFormatReplyRaw, cliFormatReply, cliFormatInvalidateTTY; sds.c: sdscatrepr).
// Input and output are byte strings (one char per byte); line ends are '\n'
// (the terminal layer turns them into CRLF, as the tty driver does for redis-cli).
import type { RespValue } from './resp.ts'

export type OutputMode = 'tty' | 'raw'

/** sds.c sdscatrepr: a double-quoted, C-escaped rendering of a byte string. */
export function sdscatrepr(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    switch (c) {
      case 0x5c: out += '\\\\'; break
      case 0x22: out += '\\"'; break
      case 0x0a: out += '\\n'; break
      case 0x0d: out += '\\r'; break
      case 0x09: out += '\\t'; break
      case 0x07: out += '\\a'; break
      case 0x08: out += '\\b'; break
      default:
        // isprint() in the C locale: 0x20..0x7e. Everything else, UTF-8 included, is \xNN.
        out += c >= 0x20 && c <= 0x7e ? s[i] : '\\x' + c.toString(16).padStart(2, '0')
    }
  }
  return out + '"'
}

/** hiredis hands out C strings; printf("%s") stops at the first NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

/**
 * Replies hiredis 1.0 / redis-cli 7.0.15 cannot print: redis-cli writes this text to
 * stderr and exits (bignum: "Unknown reply type: 13"; attribute: hiredis protocol
 * error). Returns null for every printable reply.
 */
export function fatalReplyText(v: RespValue): string | null {
  switch (v.type) {
    case 'bignum': return 'Unknown reply type: 13'
    case 'attribute': return 'Error: Protocol error, got "|" as reply type byte'
    case 'array': case 'set': case 'push':
      for (const item of v.items) { const f = fatalReplyText(item); if (f) return f }
      return null
    case 'map':
      for (const [k, val] of v.entries) {
        const f = fatalReplyText(k) ?? fatalReplyText(val)
        if (f) return f
      }
      return null
    default: return null
  }
}

/** cliIsMultilineValueTTY: does the TTY rendering of `v` span several lines? */
function isMultiline(v: RespValue): boolean {
  switch (v.type) {
    case 'array': case 'set': case 'push':
      if (v.items.length === 0) return false
      if (v.items.length > 1) return true
      return isMultiline(v.items[0]!)
    case 'map':
      if (v.entries.length === 0) return false
      if (v.entries.length > 1) return true
      return isMultiline(v.entries[0]![1])
    default:
      return false
  }
}

/** cliFormatReplyTTY (what `redis-cli --no-raw` and the interactive prompt print). */
export function formatTTY(v: RespValue, prefix = ''): string {
  switch (v.type) {
    case 'error': return `(error) ${cstr(v.value)}\n`
    case 'simple': return cstr(v.value) + '\n'
    case 'integer': return `(integer) ${v.value}\n`
    case 'double': return `(double) ${cstr(v.value)}\n`
    case 'bulk': return sdscatrepr(v.value) + '\n'
    // Verbatim strings are printed as they are (no quoting), minus the "txt:" tag.
    case 'verbatim': return v.value + '\n'
    case 'null': return '(nil)\n'
    case 'boolean': return v.value ? '(true)\n' : '(false)\n'
    case 'array': case 'set': case 'push': case 'map': {
      const n = v.type === 'map' ? v.entries.length : v.items.length
      if (n === 0) {
        return v.type === 'array' ? '(empty array)\n'
          : v.type === 'map' ? '(empty hash)\n'
            : v.type === 'set' ? '(empty set)\n'
              : '(empty push)\n'
      }
      const idxlen = String(n).length
      const childPrefix = prefix + ' '.repeat(idxlen + 2)
      const sep = v.type === 'set' ? '~' : v.type === 'map' ? '#' : ')'
      let out = ''
      for (let i = 0; i < n; i++) {
        // The first index goes right after the parent's own "N) ", so no prefix.
        out += (i === 0 ? '' : prefix) + String(i + 1).padStart(idxlen, ' ') + sep + ' '
        if (v.type === 'map') {
          const [key, val] = v.entries[i]!
          out += formatTTY(key, childPrefix)
          out = out.slice(0, -1) + ' => '
          if (isMultiline(val)) out += '\n' + childPrefix
          out += formatTTY(val, childPrefix)
        } else {
          out += formatTTY(v.items[i]!, childPrefix)
        }
      }
      return out
    }
    case 'bignum':
    case 'attribute':
      return fatalReplyText(v)! + '\n'
  }
}

/** cliFormatReplyRaw with the default multi-bulk delimiter "\n" (no trailing delimiter). */
export function formatRawBody(v: RespValue): string {
  switch (v.type) {
    case 'null': return ''
    case 'error': return v.value + '\n'
    case 'simple': case 'bulk': case 'verbatim': return v.value
    case 'boolean': return v.value ? '(true)' : '(false)'
    case 'integer': return String(v.value)
    case 'double': return cstr(v.value)
    case 'array': case 'set': case 'push':
      return v.items.map(formatRawBody).join('\n')
    case 'map':
      return v.entries.map(([k, val]) => formatRawBody(k) + ' ' + formatRawBody(val)).join('\n')
    case 'bignum':
    case 'attribute':
      return fatalReplyText(v)!
  }
}

/**
 * What redis-cli 7.0.15 prints for one reply: tty = cliFormatReplyTTY (`--no-raw`, the
 * default on a terminal); raw = cliFormatReplyRaw followed by the command delimiter "\n"
 * (`--raw`). Bignum and attribute replies yield redis-cli's fatal error text (see
 * fatalReplyText); redis-cli itself exits on them.
 */
export function formatReply(v: RespValue, mode: OutputMode): string {
  const fatal = fatalReplyText(v)
  if (fatal !== null) return fatal + '\n'
  return mode === 'tty' ? formatTTY(v, '') : formatRawBody(v) + '\n'
}

/**
 * cliSendCommand's output_raw list: for these commands redis-cli prints the reply with
 * cliFormatReplyRaw and no trailing delimiter in every mode, so INFO, CLIENT LIST,
 * LOLWUT, ... show their text as is.
 */
export function isRawOutputCommand(argv: readonly string[]): boolean {
  const argc = argv.length
  if (argc === 0) return false
  const cmd = argv[0]!.toLowerCase()
  const a1 = argc >= 2 ? argv[1]!.toLowerCase() : ''
  if (cmd === 'info' || cmd === 'lolwut') return true
  if (argc >= 2 && cmd === 'debug' && (a1 === 'htstats' || a1 === 'htstats-key' || a1 === 'client-eviction')) return true
  if (argc >= 2 && cmd === 'memory' && (a1 === 'malloc-stats' || a1 === 'doctor')) return true
  if (argc === 2 && cmd === 'cluster' && (a1 === 'nodes' || a1 === 'info')) return true
  if (argc >= 2 && cmd === 'client' && (a1 === 'list' || a1 === 'info')) return true
  if (argc === 3 && cmd === 'latency' && a1 === 'graph') return true
  if (argc === 2 && cmd === 'latency' && a1 === 'doctor') return true
  if (argc >= 2 && cmd === 'proxy' && a1 === 'info') return true
  return false
}

/**
 * The full text redis-cli prints for the reply to `argv` (cliReadReply -> cliFormatReply):
 * the raw-output commands above bypass `mode`.
 */
export function formatCommandReply(argv: readonly string[], v: RespValue, mode: OutputMode): string {
  const fatal = fatalReplyText(v)
  if (fatal !== null) return fatal + '\n'
  if (isRawOutputCommand(argv)) return formatRawBody(v)
  return formatReply(v, mode)
}

/** isInvalidateReply: a RESP3 client-tracking invalidation push. */
function isInvalidate(v: RespValue): v is { type: 'push'; items: RespValue[] } {
  if (v.type !== 'push' || v.items.length !== 2) return false
  const [kind, keys] = v.items
  return kind!.type === 'bulk' && kind!.value.startsWith('invalidate') && keys!.type === 'array'
}

/**
 * An out-of-band push (cliPushHandler): RESP3 pushes that arrive while redis-cli waits
 * at the prompt or for another reply. In tty mode an invalidation push prints as
 * "-> invalidate: 'k1', 'k2'" (cliFormatInvalidateTTY); anything else as formatReply.
 * (While subscribed, redis-cli reads pushes as ordinary replies: use formatCommandReply.)
 */
export function formatPush(v: RespValue, mode: OutputMode): string {
  if (mode === 'tty' && isInvalidate(v)) {
    const keys = (v.items[1] as { items: RespValue[] }).items
    return '-> invalidate: ' + keys.map((k) => `'${k.type === 'bulk' ? cstr(k.value) : ''}'`).join(', ') + '\n'
  }
  return formatReply(v, mode)
}

/** The "(0.52s)" line redis-cli prints in tty mode after a command that took >= 500 ms. */
export function formatElapsed(ms: number, mode: OutputMode): string {
  return ms >= 500 && mode === 'tty' ? `(${(ms / 1000).toFixed(2)}s)\n` : ''
}
