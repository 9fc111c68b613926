// Text for the key browser's rows: key names escaped like redis-cli prints
// them, short TTLs, and the UTF-8 <-> byte string step for the filter box.

import { sdscatrepr } from '../repl/format.ts'

/**
 * A key name for display: as redis-cli quotes it (sdscatrepr: printable ASCII as
 * is, \n \r \t \a \b \\ \" and \xNN for the rest), without the quotes. UTF-8 text
 * shows as its bytes, as in redis-cli.
 */
export function displayKey(s: string): string {
  return sdscatrepr(s).slice(1, -1)
}

/** The key decoded as UTF-8 (for a tooltip), or null when it is plain ASCII or not valid UTF-8. */
export function utf8Name(s: string): string | null {
  let ascii = true
  const bytes = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x7e || c < 0x20) ascii = false
    bytes[i] = c
  }
  if (ascii) return null
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    // Control characters would not help as a tooltip.
    return /[\u0000-\u001f\u007f]/.test(text) ? null : text
  } catch {
    return null
  }
}

/** Typed text -> UTF-8 byte string, as the REPL sends arguments. */
export function utf8Bytes(text: string): string {
  const b = new TextEncoder().encode(text)
  let s = ''
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192))
  return s
}

/** A short TTL for a row: "", "expired", "9.5 s", "42 s", "3 min", "5 h", "12 d". */
export function shortTtl(expiresAt: number, now: number): string {
  if (expiresAt < 0) return ''
  const ms = expiresAt - now
  if (ms <= 0) return 'expired'
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`
  const s = Math.floor(ms / 1000)
  if (s < 120) return `${s} s`
  if (s < 7200) return `${Math.floor(s / 60)} min`
  if (s < 2 * 86400) return `${Math.floor(s / 3600)} h`
  return `${Math.floor(s / 86400)} d`
}

/**
 * A count with thousands separators, as toLocaleString('en-US') writes it
 * ("100,000"). By hand: the first toLocaleString of a page loads ICU's number
 * formatting, ~50 ms on the page's thread while the first screen renders.
 */
export function groupThousands(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)))
  let out = ''
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ','
    out += digits[i]
  }
  return n < 0 ? `-${out}` : out
}
