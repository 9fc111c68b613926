// The reply model: what a command answers, independent of the wire protocol.
// The encoder turns it into RESP2 or RESP3 bytes; the REPL formats it like
// redis-cli. All strings here are byte strings (one char per byte, 0-255),
// except where noted.

export type Reply =
  | { readonly kind: 'status'; readonly value: string } // +OK
  | { readonly kind: 'error'; readonly value: string } // "ERR ..." without '-' or CRLF
  | { readonly kind: 'integer'; readonly value: number | bigint }
  | { readonly kind: 'bulk'; readonly value: string }
  | { readonly kind: 'null' } // RESP2 $-1, RESP3 _  (Redis addReplyNull)
  | { readonly kind: 'nullArray' } // RESP2 *-1, RESP3 _  (Redis addReplyNullArray)
  | { readonly kind: 'array'; readonly value: readonly Reply[] }
  // Alternating key, value. RESP2 sends a flat array of 2n items.
  | { readonly kind: 'map'; readonly value: readonly Reply[] }
  // RESP2 sends an array.
  | { readonly kind: 'set'; readonly value: readonly Reply[] }
  // RESP2 sends a bulk string formatted like Redis's addReplyDouble (%.17g, inf, -inf).
  | { readonly kind: 'double'; readonly value: number }
  // RESP2 sends :1 / :0.
  | { readonly kind: 'bool'; readonly value: boolean }
  // RESP3 =len\r\ntxt:...; RESP2 sends a plain bulk of the value.
  | { readonly kind: 'verbatim'; readonly format: string; readonly value: string }
  // RESP3 >n push; RESP2 sends an array.
  | { readonly kind: 'push'; readonly value: readonly Reply[] }

export const OK: Reply = { kind: 'status', value: 'OK' }
export const PONG: Reply = { kind: 'status', value: 'PONG' }
export const QUEUED: Reply = { kind: 'status', value: 'QUEUED' }
export const NULL: Reply = { kind: 'null' }
export const NULL_ARRAY: Reply = { kind: 'nullArray' }
export const EMPTY_ARRAY: Reply = { kind: 'array', value: [] }
export const ZERO: Reply = { kind: 'integer', value: 0 }
export const ONE: Reply = { kind: 'integer', value: 1 }

export const status = (value: string): Reply => ({ kind: 'status', value })
export const error = (value: string): Reply => ({ kind: 'error', value })
export const integer = (value: number | bigint): Reply =>
  value === 0 ? ZERO : value === 1 ? ONE : { kind: 'integer', value }
export const bulk = (value: string): Reply => ({ kind: 'bulk', value })
export const bulkOrNull = (value: string | undefined | null): Reply =>
  value == null ? NULL : { kind: 'bulk', value }
export const array = (value: readonly Reply[]): Reply => ({ kind: 'array', value })
export const bulks = (values: readonly string[]): Reply => ({ kind: 'array', value: values.map(bulk) })
export const map = (value: readonly Reply[]): Reply => ({ kind: 'map', value })
export const set = (value: readonly Reply[]): Reply => ({ kind: 'set', value })
export const double = (value: number): Reply => ({ kind: 'double', value })
export const bool = (value: boolean): Reply => ({ kind: 'bool', value })
export const verbatim = (value: string, format = 'txt'): Reply => ({ kind: 'verbatim', format, value })
export const push = (value: readonly Reply[]): Reply => ({ kind: 'push', value })

export const isError = (r: Reply): r is { kind: 'error'; value: string } => r.kind === 'error'
