// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (db.c scanGenericCommand
// for the keyspace). The cursor is the dict's reverse-binary bucket cursor;
// HSCAN/SSCAN/ZSCAN can reuse parseScanCursor.

import { array, bulk, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import { LOOKUP_NOTOUCH } from '../../keyspace/db.ts'
import { globMatch } from '../../structures/glob.ts'
import { isReply, parseLongLong } from '../args.ts'
import { typeName } from './keys.ts'
import { cstrCaseEq, optEq } from './cstr.ts'

const ULONG_MAX = (1n << 64n) - 1n

// C isspace() in the C locale.
function isSpace(ch: number): boolean {
  return ch === 32 || (ch >= 9 && ch <= 13)
}

/**
 * parseScanCursorOrReply: the cursor as strtoul(s, &end, 10) reads it, an
 * unsigned 64-bit value. Valid when the text does not start with white space,
 * strtoul stopped at the end of the string or at a NUL byte, and the value did
 * not overflow. So "" and "\0junk" are cursor 0, "+5" is 5, and "-1" wraps to
 * 2^64-1 (strtoul negates in unsigned arithmetic); "-0x1", " 1", "1 " are not.
 */
export function parseScanCursor(s: string): bigint | undefined {
  const n = s.length
  if (n > 0 && isSpace(s.charCodeAt(0))) return undefined
  let i = 0
  let neg = false
  if (i < n && (s[i] === '+' || s[i] === '-')) {
    neg = s[i] === '-'
    i++
  }
  const digitsFrom = i
  let v = 0n
  let overflow = false
  while (i < n) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) break
    if (!overflow) {
      v = v * 10n + BigInt(d)
      if (v > ULONG_MAX) overflow = true
    }
    i++
  }
  // No digits: strtoul reports the whole string unconsumed.
  const end = i === digitsFrom ? 0 : i
  if (end < n && s.charCodeAt(end) !== 0) return undefined
  if (overflow) return undefined
  return neg ? (ULONG_MAX + 1n - v) & ULONG_MAX : v
}

export interface ScanOptions {
  /** Elements wanted per call (COUNT), >= 1. */
  count: bigint
  /** MATCH pattern, undefined for none (or for the catch-all "*"). */
  pattern: string | undefined
  /** TYPE filter (keyspace SCAN only). */
  type: string | undefined
}

/**
 * Step 1 of scanGenericCommand: the options after the cursor, from argv[first].
 * TYPE is accepted only when `allowType` (the keyspace SCAN).
 */
export function parseScanOptions(argv: readonly string[], first: number, allowType: boolean): ScanOptions | Reply {
  let count = 10n
  let pattern: string | undefined
  let type: string | undefined
  for (let i = first; i < argv.length; ) {
    const left = argv.length - i
    const opt = argv[i]
    if (optEq(opt, 'count') && left >= 2) {
      const v = parseLongLong(argv[i + 1])
      if (isReply(v)) return v
      if (v < 1n) return E.syntax
      count = v
      i += 2
    } else if (optEq(opt, 'match') && left >= 2) {
      // "*" disables the filter (and so also matches the empty key).
      pattern = argv[i + 1] === '*' ? undefined : argv[i + 1]
      i += 2
    } else if (optEq(opt, 'type') && allowType && left >= 2) {
      type = argv[i + 1]
      i += 2
    } else {
      return E.syntax
    }
  }
  return { count, pattern, type }
}

/**
 * Walk the keyspace dict from `cursor`: keep calling dictScan until the walk
 * completes, COUNT keys were collected, or COUNT*10 further buckets were
 * visited. The bucket cap is C `long` arithmetic: an overflowed product
 * just means "no practical limit", as it does in Redis.
 */
export function scanKeyspace(c: Client, cursor: bigint, opts: ScanOptions): { cursor: bigint; keys: string[] } {
  const db = c.db
  const dict = db.dict
  const keys: string[] = []
  const count = Number(opts.count)
  let maxIterations = Number(BigInt.asIntN(64, opts.count * 10n))
  // Only the bits under the table mask (< 2^30) matter; dict.scan reads 32.
  let cur = Number(cursor & 0xffffffffn)
  do {
    cur = dict.scan(cur, (key) => {
      keys.push(key)
    })
  } while (cur !== 0 && maxIterations-- !== 0 && keys.length < count)

  // Step 3: filter by pattern, then type, then drop keys that turn out to be
  // expired (expireIfNeeded deletes them).
  const out: string[] = []
  for (const key of keys) {
    if (opts.pattern !== undefined && !globMatch(opts.pattern, key)) continue
    if (opts.type !== undefined) {
      // A read lookup (counts a hit or miss): an expired key is deleted here
      // and its type reads "none", so TYPE none lets such a key through.
      const t = typeName(db.lookup(key, LOOKUP_NOTOUCH))
      if (!cstrCaseEq(opts.type, t)) continue
    }
    if (db.expireIfNeeded(key)) continue
    out.push(key)
  }
  return { cursor: BigInt(cur), keys: out }
}

export const scan: CommandImpl = {
  name: 'scan',
  run: (c, argv) => {
    const cursor = parseScanCursor(argv[1])
    if (cursor === undefined) return E.invalidCursor
    const opts = parseScanOptions(argv, 2, true)
    if (isReply(opts)) return opts
    const r = scanKeyspace(c, cursor, opts)
    return array([bulk(String(r.cursor)), array(r.keys.map(bulk))])
  },
}
