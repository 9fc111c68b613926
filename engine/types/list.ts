// The list type (Redis 7.0's t_list.c "List API"): a list is always a
// quicklist of listpack nodes. The node options (list-max-listpack-size as the
// fill, list-compress-depth) are read once, when the list is created, exactly
// as pushGenericCommand / lmoveHandlePush do: CONFIG SET never reshapes a list
// that already exists (observed on redis-server 7.0.15).
//
// Elements go in and come out as byte strings; a listpack may store an element
// as an integer, which comes back here as its canonical decimal text (what
// Redis's createStringObjectFromLongLong would reply).

import type { ListObject } from '../keyspace/object.ts'
import { Quicklist, type QuicklistIter } from '../structures/quicklist.ts'
import type { ListpackValue } from '../structures/listpack.ts'
import { jemallocSize, registerObjectSizer, ROBJ_SIZE } from '../keyspace/memory.ts'
import { registerDup } from '../commands/generic/rename.ts'
import { rdbLenSize, rdbRawStringSize, registerSerializedLength } from '../commands/server/serialized-length.ts'

/** Which end of a list: LIST_HEAD (left) or LIST_TAIL (right). */
export type ListEnd = 'head' | 'tail'

/** What creating a list needs from the server: its config. */
export interface ListHost {
  readonly config: { num(name: string): number }
}

/** sizeof(quicklist) on 64-bit (two pointers, two counters, the fill/compress/bookmark bit fields). */
export const QUICKLIST_STRUCT_SIZE = 40
/** sizeof(quicklistNode) on 64-bit. */
export const QUICKLIST_NODE_SIZE = 40
/** sizeof(quicklistLZF) in 7.0: the size_t length in front of the compressed bytes. */
export const QUICKLIST_LZF_HEADER = 8

const asString = (v: ListpackValue): string => (typeof v === 'string' ? v : String(v))

// Redis's quicklist packed_threshold is one process-wide static (set by DEBUG
// QUICKLIST-PACKED-THRESHOLD); the engine's quicklists each carry one, so the
// server-wide value lives here and every new list starts from it.
const packedThresholds = new WeakMap<ListHost, number>()

/**
 * quicklistisSetPackedThreshold for the whole server: 0 restores 1 GiB, more than 4 GiB - 1 MiB is refused
 * (false). Lists created afterwards use it; the caller updates existing lists (see DEBUG).
 */
export function setListPackedThreshold(server: ListHost, sz: number): boolean {
  if (!new Quicklist().setPackedThreshold(sz)) return false
  packedThresholds.set(server, sz)
  return true
}

/** createQuicklistObject + quicklistSetOptions(list-max-listpack-size, list-compress-depth). */
export function createQuicklistObject(server: ListHost): ListObject {
  const ql = new Quicklist({
    fill: server.config.num('list-max-listpack-size'),
    compress: server.config.num('list-compress-depth'),
  })
  const threshold = packedThresholds.get(server)
  if (threshold !== undefined) ql.setPackedThreshold(threshold)
  return { type: 'list', encoding: 'quicklist', value: ql, lru: 0 }
}

/** listTypeLength. */
export function listTypeLength(o: ListObject): number {
  return o.value.count
}

/** listTypePush. */
export function listTypePush(o: ListObject, value: string, where: ListEnd): void {
  o.value.push(value, where)
}

/** listTypePop: the element, or undefined when the list is empty. */
export function listTypePop(o: ListObject, where: ListEnd): string | undefined {
  const v = o.value.pop(where)
  return v === undefined ? undefined : asString(v)
}

/** LINDEX (quicklistGetIteratorEntryAtIdx): the element at `index` (negative from the tail), or undefined. */
export function listTypeIndex(o: ListObject, index: number): string | undefined {
  const v = o.value.index(index)
  return v === undefined ? undefined : asString(v)
}

/** LSET (quicklistReplaceAtIndex): false when `index` is out of range. */
export function listTypeReplaceAtIndex(o: ListObject, index: number, value: string): boolean {
  return o.value.replaceAtIndex(index, value)
}

/**
 * listTypeInitIterator(index, direction): 'tail' walks head to tail (LIST_TAIL),
 * 'head' walks tail to head (LIST_HEAD). Null when `index` is out of range.
 */
function iteratorAt(o: ListObject, index: number, towards: ListEnd): QuicklistIter | null {
  return o.value.iteratorAt(towards === 'tail' ? 'head' : 'tail', index)
}

/**
 * addListRangeReply's walk: elements start..end (inclusive, negative from the
 * tail, clamped like LRANGE), or from end down to start when `reverse`.
 */
export function listTypeRange(o: ListObject, start: number, end: number, reverse = false): string[] {
  const llen = listTypeLength(o)
  if (start < 0) start = llen + start
  if (end < 0) end = llen + end
  if (start < 0) start = 0
  if (start > end || start >= llen) return []
  if (end >= llen) end = llen - 1
  let n = end - start + 1
  const out: string[] = new Array<string>(n)
  const iter = iteratorAt(o, reverse ? end : start, reverse ? 'head' : 'tail')
  if (!iter) return []
  let i = 0
  while (n-- > 0) {
    const e = iter.next()
    if (!e) break
    out[i++] = asString(e.value)
  }
  iter.release()
  return out
}

/** listTypeDelRange (quicklistDelRange): `count` elements from `start` (negative from the tail). */
export function listTypeDelRange(o: ListObject, start: number, count: number): void {
  o.value.delRange(start, count)
}

/**
 * LINSERT: inserts `value` before or after the first element equal to `pivot`
 * (searching from the head). False when there is no such element.
 */
export function listTypeInsert(o: ListObject, pivot: string, value: string, after: boolean): boolean {
  const ql = o.value
  const iter = iteratorAt(o, 0, 'tail')
  if (!iter) return false
  let inserted = false
  for (let e = iter.next(); e; e = iter.next()) {
    if (ql.compare(e, pivot)) {
      if (after) ql.insertAfter(iter, e, value)
      else ql.insertBefore(iter, e, value)
      inserted = true
      break
    }
  }
  iter.release()
  return inserted
}

/**
 * LREM: removes elements equal to `value`; count > 0 from the head, < 0 from
 * the tail, at most |count| of them (0: all). Returns how many went.
 */
export function listTypeRemove(o: ListObject, value: string, count: number): number {
  const ql = o.value
  let toremove = count
  let iter: QuicklistIter | null
  if (toremove < 0) {
    toremove = -toremove
    iter = iteratorAt(o, -1, 'head')
  } else {
    iter = iteratorAt(o, 0, 'tail')
  }
  if (!iter) return 0
  let removed = 0
  for (let e = iter.next(); e; e = iter.next()) {
    if (ql.compare(e, value)) {
      iter.delEntry(e)
      removed++
      if (toremove && removed === toremove) break
    }
  }
  iter.release()
  return removed
}

/** LTRIM's deletions: `ltrim` elements from the head, then `rtrim` from the tail. */
export function listTypeTrim(o: ListObject, ltrim: number, rtrim: number): void {
  o.value.delRange(0, ltrim)
  o.value.delRange(-rtrim, rtrim)
}

export interface LposOptions {
  /** 1-based rank of the first match to report; negative searches from the tail. `-Infinity` mirrors RANK LONG_MIN. */
  rank: number
  /** Matches to report (0 = all), or -1 for a single index (no COUNT option). */
  count: number
  /** Elements to compare at most (0 = all). */
  maxlen: number
}

/**
 * LPOS: indexes (as LINDEX counts them) of elements equal to `value`. With
 * count -1 the result holds at most one index.
 */
export function listTypePositions(o: ListObject, value: string, opts: LposOptions): number[] {
  const ql = o.value
  let rank = opts.rank
  let towards: ListEnd = 'tail'
  // RANK LONG_MIN: Redis negates it and overflows back to LONG_MIN, so every
  // match qualifies and `matches - rank + 1` overflows: COUNT never stops it.
  const unbounded = rank === -Infinity
  if (rank < 0) {
    rank = -rank
    towards = 'head'
  }
  const llen = listTypeLength(o)
  const out: number[] = []
  const iter = iteratorAt(o, towards === 'head' ? -1 : 0, towards)
  if (!iter) return out
  let index = 0
  let matches = 0
  for (let e = iter.next(); e && (opts.maxlen === 0 || index < opts.maxlen); e = iter.next()) {
    if (ql.compare(e, value)) {
      matches++
      if (unbounded || matches >= rank) {
        out.push(towards === 'tail' ? index : llen - index - 1)
        if (opts.count === -1) break
        if (!unbounded && opts.count && matches - rank + 1 >= opts.count) break
      }
    }
    index++
  }
  iter.release()
  return out
}

/** listTypeDup (COPY): same nodes, same fill and compress depth. */
export function listTypeDup(o: ListObject): ListObject {
  return { type: 'list', encoding: 'quicklist', value: o.value.dup(), lru: 0 }
}

/**
 * objectComputeSize for a list: the robj and the quicklist, plus the average of
 * the first `samples` nodes (node struct + its allocation: listpack, plain
 * element, or sizeof(quicklistLZF) + compressed bytes) times the node count.
 */
export function listObjectSize(o: ListObject, samples: number): number {
  const ql = o.value
  let asize = ROBJ_SIZE + QUICKLIST_STRUCT_SIZE
  let elesize = 0
  let n = 0
  for (let node = ql.head; node; node = node.next) {
    const entry = node.lzf ? QUICKLIST_LZF_HEADER + node.lzf.length : node.sz
    elesize += QUICKLIST_NODE_SIZE + jemallocSize(entry)
    n++
    if (samples !== 0 && n >= samples) break
  }
  if (n > 0) asize += (elesize / n) * ql.len
  return Math.trunc(asize)
}

/**
 * rdbSavedObjectLen for a list (RDB_TYPE_LIST_QUICKLIST_2): node count, then
 * per node its container and its bytes: an LZF blob as stored when compressed,
 * else the raw listpack (or element), which rdbSaveRawString may compress.
 */
export function listSerializedLength(o: ListObject, compression: boolean): number {
  const ql = o.value
  let n = rdbLenSize(ql.len)
  for (const node of ql.storedNodes()) {
    n += rdbLenSize(node.container)
    if (node.compressed) {
      n += 1 + rdbLenSize(node.data.length) + rdbLenSize(node.sz) + node.data.length
    } else {
      let s = ''
      for (let i = 0; i < node.data.length; i += 8192) s += String.fromCharCode(...node.data.subarray(i, i + 8192))
      n += rdbRawStringSize(s, compression)
    }
  }
  return n
}

registerObjectSizer('list', (o, samples) => listObjectSize(o as ListObject, samples))
registerDup('list', (o) => listTypeDup(o as ListObject))
registerSerializedLength('list', (o, compression) => listSerializedLength(o as ListObject, compression))
