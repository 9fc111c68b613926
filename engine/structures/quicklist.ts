// Redis 7.0 quicklist (quicklist.c): a doubly linked list of nodes, each holding a listpack
// (PACKED) or one huge element (PLAIN). Node boundaries and compression follow Redis step
// by step (fill rules, split and merge, the compress-depth walk, the "recompress" flag of
// nodes decompressed for use), so the nodes and their bytes, LZF-compressed or not, are
// the ones redis-server 7.0.15 would hold after the same operations.
//
// Values go in as byte strings (one char per byte); they come out as listpack values
// (string, or number/bigint for entries a listpack stores as integers; PLAIN nodes give
// the string back).

import { Listpack, LP_HDR_NUMELE_UNKNOWN, LP_HDR_SIZE } from './listpack.ts'
import type { ListpackValue } from './listpack.ts'
import { lzfCompress, lzfDecompress } from './lzf.ts'

/** Per-node byte limits for fill -1..-5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536]
/** With a positive fill (entry count), a multi-element node still never passes this many bytes. */
export const SIZE_SAFETY_LIMIT = 8192
/** Over-estimate of one entry's listpack overhead used by the insert check. */
const SIZE_ESTIMATE_OVERHEAD = 8
/** Nodes smaller than this are never compressed. */
export const MIN_COMPRESS_BYTES = 48
/** Compression is kept only if it saves at least this many bytes. */
export const MIN_COMPRESS_IMPROVE = 8
/** Default threshold for PLAIN nodes (an element this large gets a node of its own). */
export const DEFAULT_PACKED_THRESHOLD = 1 << 30
/** quicklist.h: fill is a 16-bit signed field, compress depth a 16-bit unsigned one. */
const FILL_MAX = (1 << 15) - 1
const COMPRESS_MAX = (1 << 16) - 1

export const QUICKLIST_NODE_CONTAINER_PLAIN = 1
export const QUICKLIST_NODE_CONTAINER_PACKED = 2

/** Iteration directions: AL_START_HEAD walks head to tail, AL_START_TAIL tail to head. */
export type QuicklistDirection = 'head' | 'tail'

export class QuicklistNode {
  prev: QuicklistNode | null = null
  next: QuicklistNode | null = null
  /** The listpack while PACKED and uncompressed. */
  lp: Listpack | null = null
  /** The element's bytes while PLAIN and uncompressed. */
  plain: Uint8Array | null = null
  /** The LZF bytes while compressed. */
  lzf: Uint8Array | null = null
  /** Uncompressed size in bytes (listpack bytes, or the element's length when PLAIN). */
  sz = 0
  count = 0
  container: 1 | 2 = QUICKLIST_NODE_CONTAINER_PACKED
  /** Set when the node was decompressed for use and should be compressed again afterwards. */
  recompress = false
  /** Temporarily forbids compressing this node (quicklistReplaceEntry). */
  dontCompress = false

  get compressed(): boolean {
    return this.lzf !== null
  }

  get isPlain(): boolean {
    return this.container === QUICKLIST_NODE_CONTAINER_PLAIN
  }

  /** The uncompressed bytes as stored (only valid while not compressed). */
  rawBytes(): Uint8Array {
    if (this.lp) return this.lp.view()
    if (this.plain) return this.plain
    throw new Error('quicklist node is compressed')
  }

  /** The listpack of an uncompressed PACKED node. */
  listpack(): Listpack {
    if (!this.lp) throw new Error('quicklist node is not an uncompressed listpack')
    return this.lp
  }
}

/** One element as returned by an iterator (quicklistEntry). */
export interface QuicklistEntry {
  node: QuicklistNode
  /** Offset inside the node; negative when counted from the node's tail. */
  offset: number
  /** Byte offset of the entry inside the node's listpack (0 for PLAIN nodes). */
  zi: number
  value: ListpackValue
}

/** Introspection of one node. */
export interface QuicklistNodeInfo {
  container: 'packed' | 'plain'
  count: number
  /** Uncompressed bytes. */
  size: number
  compressed: boolean
  /** LZF bytes when compressed, else null. */
  compressedSize: number | null
  recompress: boolean
}

/** What an RDB writer needs of a node (rdbSaveObject for QUICKLIST_2). */
export interface QuicklistStoredNode {
  container: 1 | 2
  compressed: boolean
  /** Uncompressed size. */
  sz: number
  /** The stored bytes: LZF data when compressed, else the listpack / element bytes (a view: do not keep across writes). */
  data: Uint8Array
}

export interface QuicklistOptions {
  /** list-max-listpack-size. Default -2. */
  fill?: number
  /** list-compress-depth. Default 0. */
  compress?: number
  /** Elements of at least this many bytes get a PLAIN node. Default 1 GiB. */
  packedThreshold?: number
}

const byteStringToBytes = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i)
  return b
}

const bytesToByteString = (b: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192))
  return s
}

const valueToString = (v: ListpackValue): string => (typeof v === 'string' ? v : String(v))

/** quicklistIter. Obtain one with Quicklist.iterator(); release() it when done (that recompresses). */
export class QuicklistIter {
  current: QuicklistNode | null
  /** Listpack byte offset of the last returned entry, or null (seek by `offset` next). */
  zi: number | null = null
  offset: number
  direction: QuicklistDirection
  readonly ql: Quicklist

  constructor(ql: Quicklist, direction: QuicklistDirection) {
    this.ql = ql
    this.direction = direction
    this.current = direction === 'head' ? ql.head : ql.tail
    this.offset = direction === 'head' ? 0 : -1
  }

  /** quicklistNext: the next element, or null at the end. */
  next(): QuicklistEntry | null {
    for (;;) {
      const node = this.current
      if (!node) return null
      const plain = node.isPlain
      if (this.zi === null) {
        this.ql.decompressNodeForUse(node)
        if (plain) this.zi = 0
        else this.zi = node.listpack().seek(this.offset)
      } else if (plain) {
        this.zi = null
      } else {
        const lp = node.listpack()
        if (this.direction === 'head') {
          this.zi = lp.next(this.zi)
          this.offset += 1
        } else {
          this.zi = lp.prev(this.zi)
          this.offset -= 1
        }
      }
      if (this.zi !== null) {
        const value = plain ? bytesToByteString(node.plain!) : node.listpack().get(this.zi)
        return { node, offset: this.offset, zi: this.zi, value }
      }
      // Ran out of entries in this node: recompress it and move on.
      this.ql.compress(node)
      if (this.direction === 'head') {
        this.current = node.next
        this.offset = 0
      } else {
        this.current = node.prev
        this.offset = -1
      }
      this.zi = null
    }
  }

  /** quicklistDelEntry: deletes the element `entry` (just returned by next()); iteration may go on. */
  delEntry(entry: QuicklistEntry): void {
    const prev = entry.node.prev
    const next = entry.node.next
    const deletedNode = this.ql.delIndex(entry.node, entry.zi).gone
    this.zi = null
    if (deletedNode) {
      if (this.direction === 'head') {
        this.current = next
        this.offset = 0
      } else {
        this.current = prev
        this.offset = -1
      }
    }
  }

  /** quicklistSetDirection. */
  setDirection(direction: QuicklistDirection): void {
    this.direction = direction
  }

  /** quicklistReleaseIterator: recompresses the current node as needed. */
  release(): void {
    if (this.current) this.ql.compress(this.current)
    this.current = null
  }

  /** resetIterator: after an insert or replace the iterator must not be used again. */
  reset(): void {
    this.current = null
    this.zi = null
  }
}

export class Quicklist {
  head: QuicklistNode | null = null
  tail: QuicklistNode | null = null
  /** Number of elements. */
  count = 0
  /** Number of nodes. */
  len = 0
  private fillValue = -2
  private compressDepth = 0
  private packedThresholdValue = DEFAULT_PACKED_THRESHOLD

  constructor(options: QuicklistOptions = {}) {
    this.setFill(options.fill ?? -2)
    this.setCompressDepth(options.compress ?? 0)
    if (options.packedThreshold !== undefined && !this.setPackedThreshold(options.packedThreshold)) {
      throw new RangeError('packed threshold too large')
    }
  }

  get fill(): number {
    return this.fillValue
  }

  get compressDepthValue(): number {
    return this.compressDepth
  }

  get packedThreshold(): number {
    return this.packedThresholdValue
  }

  /** quicklistSetFill: clamped to -5..32767. */
  setFill(fill: number): void {
    this.fillValue = Math.max(-5, Math.min(FILL_MAX, Math.trunc(fill)))
  }

  /** quicklistSetCompressDepth: clamped to 0..65535. Does not recompress existing nodes (nor does Redis). */
  setCompressDepth(depth: number): void {
    this.compressDepth = Math.max(0, Math.min(COMPRESS_MAX, Math.trunc(depth)))
  }

  /** quicklistisSetPackedThreshold: 0 restores 1 GiB; above 4 GiB - 1 MiB is refused (false). */
  setPackedThreshold(sz: number): boolean {
    if (sz > 2 ** 32 - (1 << 20)) return false
    this.packedThresholdValue = sz === 0 ? DEFAULT_PACKED_THRESHOLD : sz
    return true
  }

  private isLarge(sz: number): boolean {
    return sz >= this.packedThresholdValue
  }

  // ---- compression -------------------------------------------------------------------

  /** __quicklistCompressNode. */
  private compressNodeRaw(node: QuicklistNode): boolean {
    if (node.dontCompress) return false
    node.recompress = false
    if (node.sz < MIN_COMPRESS_BYTES) return false
    const lzf = lzfCompress(node.rawBytes(), node.sz)
    if (lzf === null || lzf.length + MIN_COMPRESS_IMPROVE >= node.sz) return false
    node.lzf = lzf
    node.lp = null
    node.plain = null
    return true
  }

  /** quicklistCompressNode: only uncompressed nodes. */
  private compressNode(node: QuicklistNode | null): void {
    if (node && !node.compressed) this.compressNodeRaw(node)
  }

  /** __quicklistDecompressNode / quicklistDecompressNode: only compressed nodes. */
  private decompressNode(node: QuicklistNode | null): void {
    if (!node || !node.lzf) return
    node.recompress = false
    const raw = lzfDecompress(node.lzf, node.sz)
    if (raw === null || raw.length !== node.sz) throw new Error('quicklist: corrupt LZF node')
    if (node.isPlain) node.plain = raw
    else node.lp = Listpack.fromBytes(raw, false)
    node.lzf = null
  }

  /** quicklistDecompressNodeForUse: decompress and remember to compress it again. */
  decompressNodeForUse(node: QuicklistNode | null): void {
    if (node && node.compressed) {
      this.decompressNode(node)
      node.recompress = true
    }
  }

  /**
   * __quicklistCompress: keeps `compress` nodes at each end uncompressed, compressing the
   * first node past the depth on each side, and `node` itself when it lies inside.
   */
  private compressAround(node: QuicklistNode | null): void {
    if (this.len === 0) return
    if (this.compressDepth === 0 || this.len < this.compressDepth * 2) return
    let forward = this.head!
    let reverse = this.tail!
    let depth = 0
    let inDepth = false
    while (depth++ < this.compressDepth) {
      this.decompressNode(forward)
      this.decompressNode(reverse)
      if (forward === node || reverse === node) inDepth = true
      // The two walks met: nothing lies beyond the depth.
      if (forward === reverse || forward.next === reverse) return
      forward = forward.next!
      reverse = reverse.prev!
    }
    if (!inDepth) this.compressNode(node)
    this.compressNode(forward)
    this.compressNode(reverse)
  }

  /** quicklistCompress: a node decompressed for use just gets compressed again, else the depth walk. */
  compress(node: QuicklistNode): void {
    if (node.recompress) this.compressNode(node)
    else this.compressAround(node)
  }

  /** quicklistRecompressOnly. */
  private recompressOnly(node: QuicklistNode): void {
    if (node.recompress) this.compressNode(node)
  }

  // ---- node plumbing -------------------------------------------------------------------

  /** __quicklistInsertNode. */
  private insertNode(oldNode: QuicklistNode | null, newNode: QuicklistNode, after: boolean): void {
    if (after) {
      newNode.prev = oldNode
      if (oldNode) {
        newNode.next = oldNode.next
        if (oldNode.next) oldNode.next.prev = newNode
        oldNode.next = newNode
      }
      if (this.tail === oldNode) this.tail = newNode
    } else {
      newNode.next = oldNode
      if (oldNode) {
        newNode.prev = oldNode.prev
        if (oldNode.prev) oldNode.prev.next = newNode
        oldNode.prev = newNode
      }
      if (this.head === oldNode) this.head = newNode
    }
    if (this.len === 0) this.head = this.tail = newNode
    this.len++
    if (oldNode) this.compress(oldNode)
    this.compress(newNode)
  }

  /** __quicklistDelNode. */
  private delNode(node: QuicklistNode): void {
    if (node.next) node.next.prev = node.prev
    if (node.prev) node.prev.next = node.next
    if (node === this.tail) this.tail = node.prev
    if (node === this.head) this.head = node.next
    this.len--
    this.count -= node.count
    // Deleting inside the depth may leave compressed nodes that must now be raw.
    this.compressAround(null)
    node.prev = node.next = null
  }

  private static meetsOptimization(sz: number, fill: number): boolean {
    if (fill >= 0) return false
    const offset = -fill - 1
    return offset < OPTIMIZATION_LEVEL.length && sz <= OPTIMIZATION_LEVEL[offset]
  }

  /** _quicklistNodeAllowInsert: may an element of `sz` bytes join `node`? */
  private allowInsert(node: QuicklistNode | null, sz: number): boolean {
    if (!node) return false
    if (node.isPlain || this.isLarge(sz)) return false
    const newSz = node.sz + sz + SIZE_ESTIMATE_OVERHEAD
    if (Quicklist.meetsOptimization(newSz, this.fillValue)) return true
    if (newSz > SIZE_SAFETY_LIMIT) return false
    return node.count < this.fillValue
  }

  /** _quicklistNodeAllowMerge. */
  private allowMerge(a: QuicklistNode | null, b: QuicklistNode | null): boolean {
    if (!a || !b) return false
    if (a.isPlain || b.isPlain) return false
    // Approximate merged size: one listpack header and end byte fewer.
    const mergeSz = a.sz + b.sz - 11
    if (Quicklist.meetsOptimization(mergeSz, this.fillValue)) return true
    if (mergeSz > SIZE_SAFETY_LIMIT) return false
    return a.count + b.count <= this.fillValue
  }

  private static updateSz(node: QuicklistNode): void {
    node.sz = node.listpack().byteLength
  }

  private static newPackedNode(lp: Listpack): QuicklistNode {
    const node = new QuicklistNode()
    node.lp = lp
    node.count = lp.length()
    node.sz = lp.byteLength
    return node
  }

  private static newPlainNode(value: string): QuicklistNode {
    const node = new QuicklistNode()
    node.container = QUICKLIST_NODE_CONTAINER_PLAIN
    node.plain = byteStringToBytes(value)
    node.sz = value.length
    node.count = 1
    return node
  }

  private static singleton(value: string): Listpack {
    const lp = Listpack.create()
    lp.prepend(value)
    return lp
  }

  /** __quicklistInsertPlainNode. */
  private insertPlainNode(oldNode: QuicklistNode | null, value: string, after: boolean): void {
    this.insertNode(oldNode, Quicklist.newPlainNode(value), after)
    this.count++
  }

  // ---- push / pop ----------------------------------------------------------------------

  /** quicklistPushHead. Returns true when a new head node was created. */
  pushHead(value: string): boolean {
    const origHead = this.head
    const sz = value.length
    if (this.isLarge(sz)) {
      this.insertPlainNode(this.head, value, false)
      return true
    }
    if (this.allowInsert(this.head, sz)) {
      this.head!.listpack().prepend(value)
      Quicklist.updateSz(this.head!)
    } else {
      const node = Quicklist.newPackedNode(Quicklist.singleton(value))
      node.count = 0
      this.insertNode(this.head, node, false)
    }
    this.count++
    this.head!.count++
    return origHead !== this.head
  }

  /** quicklistPushTail. Returns true when a new tail node was created. */
  pushTail(value: string): boolean {
    const origTail = this.tail
    const sz = value.length
    if (this.isLarge(sz)) {
      this.insertPlainNode(this.tail, value, true)
      return true
    }
    if (this.allowInsert(this.tail, sz)) {
      this.tail!.listpack().append(value)
      Quicklist.updateSz(this.tail!)
    } else {
      const lp = Listpack.create()
      lp.append(value)
      const node = Quicklist.newPackedNode(lp)
      node.count = 0
      this.insertNode(this.tail, node, true)
    }
    this.count++
    this.tail!.count++
    return origTail !== this.tail
  }

  /** quicklistPush. */
  push(value: string, where: QuicklistDirection): void {
    if (where === 'head') this.pushHead(value)
    else this.pushTail(value)
  }

  /** quicklistAppendListpack (RDB load): a pre-built listpack becomes the new tail node. */
  appendListpack(bytes: Uint8Array): void {
    const node = Quicklist.newPackedNode(Listpack.fromBytes(bytes))
    this.insertNode(this.tail, node, true)
    this.count += node.count
  }

  /**
   * quicklistAppendListpack for a listpack the caller already validated (RDB load with
   * sanitize-dump-payload no checks only the header, as Redis does): adopted as the new tail.
   */
  appendListpackObject(lp: Listpack): void {
    const node = Quicklist.newPackedNode(lp)
    this.insertNode(this.tail, node, true)
    this.count += node.count
  }

  /** quicklistAppendPlainNode (RDB load). */
  appendPlainNode(bytes: Uint8Array): void {
    const node = new QuicklistNode()
    node.container = QUICKLIST_NODE_CONTAINER_PLAIN
    node.plain = bytes.slice()
    node.sz = bytes.length
    node.count = 1
    this.insertNode(this.tail, node, true)
    this.count += 1
  }

  /**
   * quicklistDelIndex: deletes the entry at listpack offset `p` of an uncompressed node.
   * Returns whether the node went away, and the offset of the entry that followed.
   */
  delIndex(node: QuicklistNode, p: number): { gone: boolean; next: number | null } {
    if (node.isPlain) {
      this.delNode(node)
      return { gone: true, next: null }
    }
    const next = node.listpack().delete(p)
    node.count--
    let gone = false
    if (node.count === 0) {
      gone = true
      this.delNode(node)
    } else {
      Quicklist.updateSz(node)
    }
    this.count--
    return { gone, next }
  }

  /** quicklistPopCustom: removes and returns the head or tail element, or undefined when empty. */
  pop(where: QuicklistDirection): ListpackValue | undefined {
    if (this.count === 0) return undefined
    const node = where === 'head' ? this.head : this.tail
    if (!node) return undefined
    if (node.isPlain) {
      const v = bytesToByteString(node.plain!)
      this.delIndex(node, 0)
      return v
    }
    const lp = node.listpack()
    const p = lp.seek(where === 'head' ? 0 : -1)!
    const v = lp.get(p)
    this.delIndex(node, p)
    return v
  }

  popHead(): ListpackValue | undefined {
    return this.pop('head')
  }

  popTail(): ListpackValue | undefined {
    return this.pop('tail')
  }

  // ---- iteration and lookup ------------------------------------------------------------

  /** quicklistGetIterator. */
  iterator(direction: QuicklistDirection = 'head'): QuicklistIter {
    return new QuicklistIter(this, direction)
  }

  /**
   * quicklistGetIteratorAtIdx: an iterator whose first next() returns element `idx`
   * (negative counts from the tail), or null when out of range.
   */
  iteratorAt(direction: QuicklistDirection, idx: number): QuicklistIter | null {
    const forward = idx >= 0
    const index = forward ? idx : -idx - 1
    if (index >= this.count) return null
    // Walk from whichever end is nearer.
    let seekForward = forward
    let seekIndex = index
    if (index > Math.floor((this.count - 1) / 2)) {
      seekForward = !forward
      seekIndex = this.count - 1 - index
    }
    let n = seekForward ? this.head : this.tail
    let accum = 0
    while (n) {
      if (accum + n.count > seekIndex) break
      accum += n.count
      n = seekForward ? n.next : n.prev
    }
    if (!n) return null
    if (seekForward !== forward) accum = this.count - n.count - accum
    const iter = new QuicklistIter(this, direction)
    iter.current = n
    iter.offset = forward ? index - accum : -index - 1 + accum
    return iter
  }

  /** quicklistGetIteratorEntryAtIdx: iterator positioned on element `idx` plus that entry. */
  entryAt(idx: number): { iter: QuicklistIter; entry: QuicklistEntry } | null {
    const iter = this.iteratorAt('tail', idx)
    if (!iter) return null
    const entry = iter.next()
    if (!entry) throw new Error('quicklist: index walk found no entry')
    return { iter, entry }
  }

  /** LINDEX-style lookup (get the entry, then release the iterator, which may recompress). */
  index(idx: number): ListpackValue | undefined {
    const found = this.entryAt(idx)
    if (!found) return undefined
    found.iter.release()
    return found.entry.value
  }

  /** quicklistCompare: does `entry` equal byte string `s`? */
  compare(entry: QuicklistEntry, s: string): boolean {
    if (entry.node.isPlain) return entry.value === s
    return entry.node.listpack().compare(entry.zi, s)
  }

  // ---- replace, insert -----------------------------------------------------------------

  /** quicklistReplaceEntry: replaces `entry` with `value`; the iterator is reset. */
  replaceEntry(iter: QuicklistIter, entry: QuicklistEntry, value: string): void {
    const node = entry.node
    const sz = value.length
    if (!node.isPlain && !this.isLarge(sz)) {
      node.listpack().replace(entry.zi, value)
      Quicklist.updateSz(node)
      this.compress(node)
    } else if (node.isPlain) {
      if (this.isLarge(sz)) {
        node.plain = byteStringToBytes(value)
        node.sz = sz
        this.compress(node)
      } else {
        this.insertAfter(iter, entry, value)
        this.delNode(node)
      }
    } else {
      // A huge value replacing a packed entry: insert a plain node after it, then delete it.
      node.dontCompress = true
      this.insertAfter(iter, entry, value)
      if (node.count === 1) {
        this.delNode(node)
      } else {
        const lp = node.listpack()
        this.delIndex(node, lp.seek(-1)!)
        node.dontCompress = false
        this.compress(node)
        this.compress(node.next!)
      }
    }
    iter.reset()
  }

  /** quicklistReplaceAtIndex (LSET): false when `idx` is out of range. */
  replaceAtIndex(idx: number, value: string): boolean {
    const found = this.entryAt(idx)
    if (!found) return false
    this.replaceEntry(found.iter, found.entry, value)
    found.iter.release()
    return true
  }

  /** quicklistInsertBefore. */
  insertBefore(iter: QuicklistIter, entry: QuicklistEntry | null, value: string): void {
    this.insert(iter, entry, value, false)
  }

  /** quicklistInsertAfter. */
  insertAfter(iter: QuicklistIter, entry: QuicklistEntry | null, value: string): void {
    this.insert(iter, entry, value, true)
  }

  /** _quicklistSplitNode: see quicklist.c; the new node is returned unlinked. */
  private splitNode(node: QuicklistNode, offset: number, after: boolean): QuicklistNode {
    const lp = node.listpack()
    const copy = Listpack.fromBytes(lp.view(), false)
    if (offset < 0) offset = node.count + offset
    const origStart = after ? offset + 1 : 0
    const origExtent = after ? Infinity : offset
    const newStart = after ? 0 : offset
    const newExtent = after ? offset + 1 : Infinity
    lp.deleteRange(origStart, origExtent)
    node.count = lp.length()
    Quicklist.updateSz(node)
    copy.deleteRange(newStart, newExtent)
    return Quicklist.newPackedNode(copy)
  }

  /** _quicklistInsert. */
  private insert(iter: QuicklistIter, entry: QuicklistEntry | null, value: string, after: boolean): void {
    const sz = value.length
    const node = entry?.node ?? null
    if (!entry || !node) {
      // No reference node: the list is empty.
      if (this.isLarge(sz)) {
        this.insertPlainNode(this.tail, value, after)
        return
      }
      const newNode = Quicklist.newPackedNode(Quicklist.singleton(value))
      newNode.count = 0
      this.insertNode(null, newNode, after)
      newNode.count++
      this.count++
      return
    }

    const full = !this.allowInsert(node, sz)
    let atTail = false
    let atHead = false
    let availNext = false
    let availPrev = false
    if (after && (entry.offset === node.count - 1 || entry.offset === -1)) {
      atTail = true
      availNext = this.allowInsert(node.next, sz)
    }
    if (!after && (entry.offset === 0 || entry.offset === -node.count)) {
      atHead = true
      availPrev = this.allowInsert(node.prev, sz)
    }

    if (this.isLarge(sz)) {
      if (node.isPlain || (atTail && after) || (atHead && !after)) {
        this.insertPlainNode(node, value, after)
      } else {
        this.decompressNodeForUse(node)
        const newNode = this.splitNode(node, entry.offset, after)
        const entryNode = Quicklist.newPlainNode(value)
        this.insertNode(node, entryNode, after)
        this.insertNode(entryNode, newNode, after)
        this.count++
      }
      return
    }

    if (!full) {
      this.decompressNodeForUse(node)
      node.listpack().insert(value, entry.zi, after ? 'after' : 'before')
      node.count++
      Quicklist.updateSz(node)
      this.recompressOnly(node)
    } else if (atTail && availNext && after) {
      // Full, but the next node has room: becomes its first element.
      const next = node.next!
      this.decompressNodeForUse(next)
      next.listpack().prepend(value)
      next.count++
      Quicklist.updateSz(next)
      this.recompressOnly(next)
      this.recompressOnly(node)
    } else if (atHead && availPrev && !after) {
      // Full, but the previous node has room: becomes its last element.
      const prev = node.prev!
      this.decompressNodeForUse(prev)
      prev.listpack().append(value)
      prev.count++
      Quicklist.updateSz(prev)
      this.recompressOnly(prev)
      this.recompressOnly(node)
    } else if ((atTail && !availNext && after) || (atHead && !availPrev && !after)) {
      // Full at an edge and the neighbour is full too: a new node of its own.
      const newNode = Quicklist.newPackedNode(Quicklist.singleton(value))
      this.insertNode(node, newNode, after)
    } else {
      // Full in the middle: split, put the value at the split edge, then try merging.
      this.decompressNodeForUse(node)
      const newNode = this.splitNode(node, entry.offset, after)
      if (after) newNode.listpack().prepend(value)
      else newNode.listpack().append(value)
      newNode.count++
      Quicklist.updateSz(newNode)
      this.insertNode(node, newNode, after)
      this.mergeNodes(node)
    }
    this.count++
    iter.reset()
  }

  /** lpMerge + _quicklistListpackMerge: `a` is left of `b`; returns the surviving node. */
  private listpackMerge(a: QuicklistNode, b: QuicklistNode): QuicklistNode {
    this.decompressNode(a)
    this.decompressNode(b)
    const ab = a.listpack().view()
    const bb = b.listpack().view()
    // lpMerge reallocates the larger listpack (by bytes) and frees the other one.
    const keepA = ab.length >= bb.length
    const merged = new Uint8Array(ab.length + bb.length - LP_HDR_SIZE - 1)
    merged.set(ab.subarray(0, ab.length - 1), 0)
    merged.set(bb.subarray(LP_HDR_SIZE), ab.length - 1)
    const total = merged.length
    merged[0] = total & 0xff
    merged[1] = (total >>> 8) & 0xff
    merged[2] = (total >>> 16) & 0xff
    merged[3] = (total >>> 24) & 0xff
    const n = Math.min(a.listpack().length() + b.listpack().length(), LP_HDR_NUMELE_UNKNOWN)
    merged[4] = n & 0xff
    merged[5] = (n >> 8) & 0xff
    const keep = keepA ? a : b
    const nokeep = keepA ? b : a
    keep.lp = Listpack.fromBytes(merged, false)
    keep.count = keep.lp.length()
    Quicklist.updateSz(keep)
    nokeep.lp = null
    nokeep.count = 0
    this.delNode(nokeep)
    this.compress(keep)
    return keep
  }

  /** _quicklistMergeNodes: tries (prev_prev, prev), (next, next_next), (prev, center), (center, next). */
  private mergeNodes(center: QuicklistNode): void {
    const prev = center.prev
    const prevPrev = prev ? prev.prev : null
    const next = center.next
    const nextNext = next ? next.next : null
    if (this.allowMerge(prev, prevPrev)) this.listpackMerge(prevPrev!, prev!)
    if (this.allowMerge(next, nextNext)) this.listpackMerge(next!, nextNext!)
    // center.prev is read afresh: the first merge may have replaced that node.
    let target = center
    if (this.allowMerge(center, center.prev)) target = this.listpackMerge(center.prev!, center)
    if (this.allowMerge(target, target.next)) this.listpackMerge(target, target.next!)
  }

  // ---- ranges, rotate --------------------------------------------------------------------

  /** quicklistDelRange: deletes `count` elements from `start` (negative from the tail). True if any. */
  delRange(start: number, count: number): boolean {
    if (count <= 0) return false
    let extent = count
    if (start >= 0 && extent > this.count - start) extent = this.count - start
    else if (start < 0 && extent > -start) extent = -start
    const iter = this.iteratorAt('tail', start)
    if (!iter) return false
    let node = iter.current
    let offset = iter.offset
    iter.release()
    while (extent > 0 && node) {
      const next: QuicklistNode | null = node.next
      let del: number
      let deleteEntireNode = false
      if (offset === 0 && extent >= node.count) {
        deleteEntireNode = true
        del = node.count
      } else if (offset >= 0 && extent + offset >= node.count) {
        del = node.count - offset
      } else if (offset < 0) {
        // First round with a tail-relative offset: -offset elements remain in this node.
        del = -offset
        if (del > extent) del = extent
      } else {
        del = extent
      }
      if (deleteEntireNode || node.isPlain) {
        this.delNode(node)
      } else {
        this.decompressNodeForUse(node)
        node.listpack().deleteRange(offset, del)
        Quicklist.updateSz(node)
        node.count -= del
        this.count -= del
        if (node.count === 0) this.delNode(node)
        else this.recompressOnly(node)
      }
      extent -= del
      node = next
      offset = 0
    }
    return true
  }

  /** quicklistRotate: moves the tail element to the head. */
  rotate(): void {
    if (this.count <= 1) return
    const tail = this.tail!
    if (tail.isPlain) {
      // quicklistRotatePlain: relink the plain tail node as the new head.
      const newHead = tail
      const newTail = tail.prev!
      this.head!.prev = newHead
      newTail.next = null
      newHead.next = this.head
      newHead.prev = null
      this.head = newHead
      this.tail = newTail
      // Redis stops here, which can leave compressed nodes within the depth (even a
      // compressed tail, which its next push asserts against). No 7.0 command rotates a
      // list, so we take the liberty of restoring the depth rule instead.
      this.compressAround(null)
      return
    }
    const lp = tail.listpack()
    const value = valueToString(lp.get(lp.seek(-1)!))
    this.pushHead(value)
    const tlp = this.tail!.listpack()
    this.delIndex(this.tail!, tlp.seek(-1)!)
  }

  /**
   * quicklistDup (COPY): same nodes and bytes, compressed ones copied as they are. Each
   * node is linked in through the usual insert path, so the depth walk runs as in Redis.
   */
  dup(): Quicklist {
    const copy = new Quicklist({ fill: this.fillValue, compress: this.compressDepth })
    copy.packedThresholdValue = this.packedThresholdValue
    for (let cur = this.head; cur; cur = cur.next) {
      const node = new QuicklistNode()
      if (cur.lzf) node.lzf = cur.lzf.slice()
      else if (cur.isPlain) node.plain = cur.plain!.slice()
      else node.lp = Listpack.fromBytes(cur.listpack().view(), false)
      node.count = cur.count
      node.sz = cur.sz
      node.container = cur.container
      copy.count += node.count
      copy.insertNode(copy.tail, node, true)
    }
    return copy
  }

  // ---- whole-list views ------------------------------------------------------------------

  /** Every element, head to tail (does not touch compression state). */
  toArray(): ListpackValue[] {
    const out: ListpackValue[] = []
    for (let n = this.head; n; n = n.next) {
      if (n.lzf) {
        const raw = lzfDecompress(n.lzf, n.sz)!
        if (n.isPlain) out.push(bytesToByteString(raw))
        else for (const v of Listpack.fromBytes(raw, false)) out.push(v)
      } else if (n.isPlain) {
        out.push(bytesToByteString(n.plain!))
      } else {
        for (const v of n.listpack()) out.push(v)
      }
    }
    return out
  }

  /** Introspection: one record per node, head to tail (optionally a window of nodes). */
  nodes(start = 0, count = Infinity): QuicklistNodeInfo[] {
    const out: QuicklistNodeInfo[] = []
    let i = 0
    for (let n = this.head; n && out.length < count; n = n.next, i++) {
      if (i < start) continue
      out.push({
        container: n.isPlain ? 'plain' : 'packed',
        count: n.count,
        size: n.sz,
        compressed: n.compressed,
        compressedSize: n.lzf ? n.lzf.length : null,
        recompress: n.recompress,
      })
    }
    return out
  }

  /** The nodes as stored, for rdbSaveObject (QUICKLIST_2). */
  *storedNodes(): IterableIterator<QuicklistStoredNode> {
    for (let n = this.head; n; n = n.next) {
      yield { container: n.container, compressed: n.compressed, sz: n.sz, data: n.lzf ?? n.rawBytes() }
    }
  }
}
