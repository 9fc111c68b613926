// The memory model (design.md "Memory accounting"): what Redis 7.0 allocates
// for a key and its value, rounded the way jemalloc 5.3 rounds allocations,
// so MEMORY USAGE and INFO memory print Redis's numbers rather than the JS
// heap's.
//
// Sizes mirror object.c objectComputeSize and memoryCommand (MEMORY USAGE):
// - robj: 16 bytes (sizeof(robj) on 64-bit);
// - int-encoded strings: the robj only (the integer lives in the pointer
//   field), shared integers included;
// - embstr: one allocation holding the robj, an sdshdr8 and the bytes plus NUL,
//   counted with its allocator size (zmalloc_size of the object);
// - raw: the robj plus the allocator size of the sds (header class sdshdr8/16/
//   32/64 picked by length, or by the allocation when it grew greedily);
// - the key: the allocator size of its own sds (sdsdup'ed in dbAdd, so short
//   keys use the 1-byte sdshdr5);
// - the dict entry: 24 bytes (sizeof(dictEntry); no metadata outside cluster
//   mode).
// Types other than strings register their own sizer (registerObjectSizer).

import type { RObj, StringObject } from './object.ts'
import { BINARY64, formatFixed, ldFromNumber } from '../structures/long-double.ts'

/** sizeof(robj) on 64-bit. */
export const ROBJ_SIZE = 16
/** sizeof(dictEntry) on 64-bit. */
export const DICT_ENTRY_SIZE = 24
/** sizeof(dictEntry*): one bucket of a dict table. */
export const DICT_BUCKET_SIZE = 8
/** OBJ_COMPUTE_SIZE_DEF_SAMPLES: how many nested elements MEMORY USAGE samples by default. */
export const OBJ_COMPUTE_SIZE_DEF_SAMPLES = 5

/**
 * jemalloc 5.3 usable size for a request of n bytes on x86-64 (16-byte quantum,
 * 4 KiB pages): 8, then multiples of 16 up to 128, then four classes per
 * doubling (160, 192, 224, 256, 320, ...), which continue unchanged through the
 * large classes (16 KiB, 20 KiB, 24 KiB, 28 KiB, 32 KiB, 40 KiB, ...).
 */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8
  if (n <= 128) return Math.ceil(n / 16) * 16
  // The group of n: (2^lg, 2^(lg+1)] split into four classes of 2^(lg-2).
  const lg = Math.floor(Math.log2(n - 1))
  // log2 of a huge n - 1 may round up to the next integer: correct the estimate.
  const base = 2 ** lg > n - 1 ? lg - 1 : lg
  const delta = 2 ** (base - 2)
  return Math.ceil(n / delta) * delta
}

/** sds header classes (sds.h SDS_TYPE_*) and their header sizes. */
export type SdsType = 5 | 8 | 16 | 32 | 64

const SDS_HDR: Record<SdsType, number> = { 5: 1, 8: 3, 16: 5, 32: 9, 64: 17 }

/** sdsReqType: the smallest header class that can describe a string of this length. */
export function sdsReqType(len: number): SdsType {
  if (len < 1 << 5) return 5
  if (len < 1 << 8) return 8
  if (len < 1 << 16) return 16
  if (len < 2 ** 32) return 32
  return 64
}

/** sdsHdrSize. */
export function sdsHdrSize(type: SdsType): number {
  return SDS_HDR[type]
}

/**
 * Allocator size of a string made by sdsnewlen (e.g. a key sdsdup'ed into the
 * keyspace): header + bytes + NUL, with the empty string using sdshdr8.
 */
export function sdsNewAllocSize(len: number): number {
  let type = sdsReqType(len)
  if (type === 5 && len === 0) type = 8
  return jemallocSize(sdsHdrSize(type) + len + 1)
}

/** An sds buffer: its header class and sdsalloc (bytes it can hold without growing). */
export interface SdsState {
  type: SdsType
  alloc: number
}

/** sdsnewlen(len): the smallest header class (sdshdr5 except for the empty string), the allocator's spare room kept. */
export function sdsNew(len: number): SdsState {
  let type = sdsReqType(len)
  if (type === 5 && len === 0) type = 8
  // sdshdr5 has no room for an alloc field: it holds exactly its length.
  if (type === 5) return { type, alloc: len }
  const hdr = sdsHdrSize(type)
  return { type, alloc: Math.min(jemallocSize(hdr + len + 1) - hdr - 1, sdsTypeMax(type)) }
}

/** zmalloc_size of an sds buffer. */
export function sdsZmallocSize(st: SdsState): number {
  return jemallocSize(sdsHdrSize(st.type) + st.alloc + 1)
}

function sdsTypeMax(type: SdsType): number {
  return type === 5 ? 31 : type === 8 ? 255 : type === 16 ? 65535 : type === 32 ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER
}

/**
 * sdsMakeRoomFor (greedy): the buffer after making room for `addlen` more bytes
 * on a string of `len` bytes. Below 1 MB the needed length is doubled, above it
 * 1 MB is added; the allocator's spare room becomes part of the buffer, capped
 * at the header class's maximum; appending never uses sdshdr5.
 */
export function sdsMakeRoomFor(st: SdsState, len: number, addlen: number): SdsState {
  if (st.alloc - len >= addlen) return st
  let newlen = len + addlen
  const SDS_MAX_PREALLOC = 1024 * 1024
  if (newlen < SDS_MAX_PREALLOC) newlen *= 2
  else newlen += SDS_MAX_PREALLOC
  let type = sdsReqType(newlen)
  if (type === 5) type = 8
  const hdr = sdsHdrSize(type)
  return { type, alloc: Math.min(jemallocSize(hdr + newlen + 1) - hdr - 1, sdsTypeMax(type)) }
}

// The sds buffer of raw strings that did not come straight from a client
// argument: APPEND, SETRANGE and SETBIT grow it greedily, and an unshared copy
// (dbUnshareStringValue) starts as sdsnewlen made it. Keyed by the value
// object; the string type records it (noteRawSdsCopy, noteSdsGrowth).
const sdsStates = new WeakMap<StringObject, SdsState>()

/**
 * The sds buffer of a raw string: what was recorded for it, else that of a
 * client argument made raw by SET & co.: created by sdsnewlen, then trimmed to
 * its length (trimStringObjectIfNeeded) when the spare room exceeds a tenth of
 * the length.
 */
export function rawSdsState(o: StringObject): SdsState {
  const recorded = sdsStates.get(o)
  if (recorded !== undefined) return recorded
  const len = o.value.length
  const st = sdsNew(len)
  return st.alloc - len > Math.floor(len / 10) ? { type: st.type, alloc: len } : st
}

/** A raw copy made by createRawStringObject (dbUnshareStringValue, SETRANGE on a new key). */
export function noteRawSdsCopy(o: StringObject): void {
  sdsStates.set(o, sdsNew(o.value.length))
}

/** Call before appending `addlen` bytes to a raw string in place (sdscatlen's sdsMakeRoomFor). */
export function noteSdsGrowth(o: StringObject, addlen: number): void {
  sdsStates.set(o, sdsMakeRoomFor(rawSdsState(o), o.value.length, addlen))
}

/** Allocator size of a raw string's sds (sdsZmallocSize). */
export function rawSdsZmallocSize(o: StringObject): number {
  return sdsZmallocSize(rawSdsState(o))
}

/** objectComputeSize for a string. */
export function stringObjectSize(o: StringObject): number {
  switch (o.encoding) {
    case 'int':
      return ROBJ_SIZE
    case 'embstr':
      // robj + sdshdr8 + bytes + NUL in one allocation.
      return jemallocSize(ROBJ_SIZE + 3 + o.value.length + 1)
    case 'raw':
      return ROBJ_SIZE + rawSdsZmallocSize(o)
  }
}

/** sdsavail of a key's sds: sdsdup keeps the allocator's spare room, except in sdshdr5 strings. */
export function keySdsAvail(len: number): number {
  return sdsNew(len).alloc - len
}

/** Size of a non-string value, sampling up to `samples` nested elements (0 = all). */
export type ObjectSizer = (o: RObj, samples: number) => number

const sizers = new Map<string, ObjectSizer>()

/** Each type module registers how big its encodings are (objectComputeSize's other branches). */
export function registerObjectSizer(type: string, fn: ObjectSizer): void {
  sizers.set(type, fn)
}

/** objectComputeSize: the bytes a value takes, estimated from `samples` elements for big aggregates. */
export function objectComputeSize(o: RObj, samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES): number {
  if (o.type === 'string') return stringObjectSize(o)
  const fn = sizers.get((o as { type: string }).type)
  return fn ? fn(o, samples) : ROBJ_SIZE
}

/** MEMORY USAGE: the value, the key's sds and the dict entry that holds them. */
export function keyMemoryUsage(key: string, o: RObj, samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES): number {
  return objectComputeSize(o, samples) + sdsNewAllocSize(key.length) + DICT_ENTRY_SIZE
}

/**
 * The overhead of one database's hash tables as getMemoryOverheadData counts
 * it: an entry and a robj per key plus the bucket arrays, and an entry per TTL
 * plus the expires buckets.
 */
export function dbOverhead(keys: number, slots: number, expires: number, expireSlots: number): { main: number; expires: number } {
  return {
    main: keys * DICT_ENTRY_SIZE + slots * DICT_BUCKET_SIZE + keys * ROBJ_SIZE,
    expires: expires * DICT_ENTRY_SIZE + expireSlots * DICT_BUCKET_SIZE,
  }
}

/** printf("%.{digits}f", x) as glibc prints it (exact value, ties to even). */
export function printfFixed(x: number, digits: number): string {
  return formatFixed(ldFromNumber(x, BINARY64), digits)
}

/** server.c bytesToHuman: 100B, 1.50K, 2.00M, ... up to P, then bytes again. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`
  const units = ['K', 'M', 'G', 'T', 'P']
  for (let i = 0; i < units.length; i++) {
    const scale = 1024 ** (i + 2)
    if (n < scale) return `${printfFixed(n / 1024 ** (i + 1), 2)}${units[i]}`
  }
  return `${n}B`
}
