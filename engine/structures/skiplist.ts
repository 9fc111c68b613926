// Redis 7.0.15's sorted-set skiplist (t_zset.c zsl*, server.h zskiplist*), standalone.
//
// Shape (mirrors the C structs):
// - every node holds a member (byte string), a score (double), a backward pointer and
//   `levels` entries, each a forward pointer and a span (how many level-0 steps the
//   forward pointer jumps). Spans make rank queries O(log n).
// - the header is a node with ZSKIPLIST_MAXLEVEL (32) levels, no member and no score;
//   `level` is the height of the tallest real node (at least 1).
// - a span whose forward pointer is null counts the nodes left after its node (so
//   rank + span = length), exactly what the C code maintains; header levels at or above
//   `level` are stale and never read, as in Redis.
// - order: score, ties broken by memcmp of the member bytes. Byte strings hold one
//   char per byte, so JS `<` on them is memcmp-then-length order, i.e. sdscmp.
//   -0 and +0 compare equal (C double comparison), so they tie-break on the member.
// - memory: the nodes live as records in one typed-array buffer, levels inline, as the
//   C structs do (see "the list's memory" below); callers hold SkiplistNode handles.
//
// Levels: zslRandomLevel in 7.0.15 is `while (random() < ZSKIPLIST_P*RAND_MAX) level++`
// (the `(random()&0xFFFF) < ZSKIPLIST_P*0xFFFF` form belongs to Redis <= 6.x). glibc
// random() yields 31 bits, RAND_MAX = 2^31-1, and the threshold is truncated to an int:
// floor(0.25 * 2147483647) = 536870911. We draw 31 bits as `u32() >>> 1` and compare
// strictly against that threshold, so P(level up) = 536870911/2^31, a hair under 0.25.
//
// Like the C code, the caller (the zset type, which also owns the member->score dict)
// guarantees members are unique and scores are never NaN; insert() rejects NaN only
// because a NaN would silently corrupt the ordering.
//
// Ranks here are 1-based like zslGetRank; the commands subtract 1.

export const ZSKIPLIST_MAXLEVEL = 32
export const ZSKIPLIST_P = 0.25
/** (int)(ZSKIPLIST_P * RAND_MAX) with glibc's RAND_MAX = 2^31 - 1. */
export const ZSKIPLIST_LEVEL_THRESHOLD = Math.floor(ZSKIPLIST_P * 2147483647)

/** Injected randomness (structurally the engine's Random). */
export interface SkiplistRandomSource {
  /** Uniform unsigned 32-bit integer. */
  u32(): number
}

/**
 * zslRandomLevel: 1, plus one while a 31-bit draw is below the threshold, capped at 32.
 * Redis caps after the loop; we stop drawing at the cap so a degenerate source (say, a
 * stub returning 0) cannot spin forever. Draw counts differ only past level 32, which a
 * fair source reaches with probability 0.25^31.
 */
export function randomLevel(random: SkiplistRandomSource): number {
  let level = 1
  while (level < ZSKIPLIST_MAXLEVEL && random.u32() >>> 1 < ZSKIPLIST_LEVEL_THRESHOLD) level++
  return level
}

/**
 * A handle on one element. The list keeps each element's score and links in a record of
 * its buffer (see "the list's memory" below); this object is what callers hold: the
 * member, the score and the height, plus `next` / `backward` read from the list while the
 * element is linked. Handles are stable (the same object for as long as the element stays linked),
 * and one that was unlinked keeps its member, score and height but has no neighbours.
 */
export class SkiplistNode {
  /** The member bytes. */
  readonly member: string
  /** The score; changes only through Skiplist.updateScore's in-place shortcut. */
  score: number
  /** Number of levels of this node (1..32). */
  readonly height: number
  /** @internal The node's record in its list's buffer; -1 once unlinked. */
  ref: number
  private readonly list: Skiplist

  constructor(list: Skiplist, ref: number, score: number, member: string, height: number) {
    this.list = list
    this.ref = ref
    this.score = score
    this.member = member
    this.height = height
  }

  /** Next node in order (level 0 forward); null at the end or once unlinked. */
  get next(): SkiplistNode | null {
    return this.ref < 0 ? null : this.list.nodeAfter(this.ref)
  }

  /** Previous node at level 0; null for the first node or once unlinked. */
  get backward(): SkiplistNode | null {
    return this.ref < 0 ? null : this.list.nodeBefore(this.ref)
  }
}

/** zrangespec: score interval with optional exclusive ends. */
export interface ScoreRange {
  min: number
  max: number
  /** Exclusive min ('(' prefix). */
  minex: boolean
  /** Exclusive max. */
  maxex: boolean
}

/** shared.minstring / shared.maxstring: '-' and '+' in ZRANGEBYLEX. */
export const LEX_MIN: unique symbol = Symbol('lex -')
export const LEX_MAX: unique symbol = Symbol('lex +')
export type LexItem = string | typeof LEX_MIN | typeof LEX_MAX

/** zlexrangespec. '-' and '+' are stored exclusive, as zslParseLexRangeItem does. */
export interface LexRange {
  min: LexItem
  max: LexItem
  minex: boolean
  maxex: boolean
}

/** One step of a recorded search: the cursor stood on `node` (null = header) at `level` (0-based). */
export interface SearchStep {
  level: number
  /** Rank of the node the cursor stands on (0 = header). */
  rank: number
  member: string | null
  score: number | null
}

/** Per-level pointer as seen by the snapshot. */
export interface SkiplistSnapshotLink {
  span: number
  /** Member the forward pointer reaches, null at the end of the level. */
  forwardMember: string | null
  /** Rank the forward pointer reaches (rank + span), null at the end of the level. */
  forwardRank: number | null
}

export interface SkiplistSnapshotNode {
  rank: number
  member: string
  score: number
  height: number
  /** One entry per level of the node, level 0 first. */
  links: SkiplistSnapshotLink[]
}

export interface SkiplistSnapshot {
  kind: 'skiplist'
  length: number
  level: number
  /** Header pointers for levels 0..level-1. */
  header: SkiplistSnapshotLink[]
  /** 1-based rank of the first node in `nodes`, and how many were asked for. */
  window: { fromRank: number; count: number }
  /**
   * For each level 0..level-1, the last node before the window that has that level
   * (rank 0 = header) and its link: the arrows entering the window from the left.
   */
  entering: { level: number; rank: number; member: string | null; link: SkiplistSnapshotLink }[]
  nodes: SkiplistSnapshotNode[]
}

/** zslValueGteMin */
export function scoreGteMin(value: number, range: ScoreRange): boolean {
  return range.minex ? value > range.min : value >= range.min
}

/** zslValueLteMax */
export function scoreLteMax(value: number, range: ScoreRange): boolean {
  return range.maxex ? value < range.max : value <= range.max
}

/** sdscmplex: compare with the '-' / '+' sentinels; plain byte strings compare as memcmp. */
export function compareLex(a: LexItem, b: LexItem): number {
  if (a === b) return 0
  if (a === LEX_MIN || b === LEX_MAX) return -1
  if (a === LEX_MAX || b === LEX_MIN) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** zslLexValueGteMin */
export function lexGteMin(value: string, range: LexRange): boolean {
  const c = compareLex(value, range.min)
  return range.minex ? c > 0 : c >= 0
}

/** zslLexValueLteMax */
export function lexLteMax(value: string, range: LexRange): boolean {
  const c = compareLex(value, range.max)
  return range.maxex ? c < 0 : c <= 0
}

/** zslParseLexRangeItem: '+', '-', '[x', '(x'; null when invalid. */
export function parseLexItem(item: string): { value: LexItem; ex: boolean } | null {
  switch (item.charCodeAt(0)) {
    case 0x2b: // '+'
      return item.length === 1 ? { value: LEX_MAX, ex: true } : null
    case 0x2d: // '-'
      return item.length === 1 ? { value: LEX_MIN, ex: true } : null
    case 0x28: // '('
      return { value: item.slice(1), ex: true }
    case 0x5b: // '['
      return { value: item.slice(1), ex: false }
    default:
      return null
  }
}

/**
 * zslParseLexRange: null when either item is invalid (the command then replies
 * "ERR min or max not valid string range item").
 */
export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexItem(min)
  const b = parseLexItem(max)
  if (a === null || b === null) return null
  return { min: a.value, max: b.value, minex: a.ex, maxex: b.ex }
}

// ---- the list's memory: node records in one buffer, like C structs on the heap
//
// A node is a record of 32-bit words in one growable buffer, laid out like
// zskiplistNode with its levels inline:
//   words 0-1   score (a double, read through a Float64Array view; records start on even words)
//   word 2      backward: the record of the previous node at level 0 (NIL = none)
//   word 3      slot: index of the node's member and handle in plain JS arrays
//   words 4..   per level: the forward record, then the span
// A record is named by its word offset, and offset 0 is the header, which no link ever
// points at, so 0 doubles as C's NULL (a zeroed level is "NULL, span 0", as zslCreateNode
// leaves it). A search step then reads one link from the record it stands on (already
// in cache: its score was just compared) and the next record's score: about one cache
// miss per step, as in C. A JS object per node, with its own forward and span arrays and
// a boxed score, costs about four (this layout made ZADD ~2.5x faster at 100k members).
// Members are only read when scores tie (sdscmp order).
//
// Freed records go on a free list per height and freed slots on their own list, so a
// ZADD that moves a member (delete + insert, as zslUpdateScore does) reuses the memory
// at once and the buffer only grows with the list.

/** The header's record; as a link target it means NULL. */
const NIL = 0
const BACKWARD = 2
const SLOT = 3
const LEVELS = 4
/** Words per level: forward, span. */
const CELLS = 2
/** The header: a full-height record at offset 0. */
const HEADER_WORDS = LEVELS + ZSKIPLIST_MAXLEVEL * CELLS

/** Occupancy of a skiplist's buffer and slots (free lists included), for tests and the curious. */
export interface SkiplistPoolStats {
  /** Slots handed out so far, the header's included (live + free). */
  slots: number
  /** Slots of unlinked nodes, waiting to be reused. */
  freeSlots: number
  /** Words of the buffer handed out so far, the header's record included. */
  words: number
  /** Words in freed records, kept per height for reuse. */
  freeWords: number
}

export class Skiplist {
  private tailRef = NIL
  private len = 0
  private lvl = 1
  private readonly random: SkiplistRandomSource
  /** Two views of one buffer: words (links, spans, slots) and doubles (scores, at ref >> 1). */
  private i32: Int32Array
  private f64: Float64Array
  /** Words handed out so far (bump allocation past the free lists). */
  private used = HEADER_WORDS
  /** freeRecords[h]: offsets of released records of height h. */
  private readonly freeRecords: number[][] = Array.from({ length: ZSKIPLIST_MAXLEVEL + 1 }, () => [])
  // Per slot: the member (read on score ties), the handle (null for the header and free
  // slots) and the height (which free list a record returns to).
  private readonly members: string[] = ['']
  private readonly nodes: (SkiplistNode | null)[] = [null]
  private readonly heights: number[] = [ZSKIPLIST_MAXLEVEL]
  private readonly freeSlots: number[] = []
  // Scratch vectors reused across calls (the C code keeps them on the stack).
  private readonly update = new Int32Array(ZSKIPLIST_MAXLEVEL)
  private readonly rankAt = new Float64Array(ZSKIPLIST_MAXLEVEL)

  constructor(random: SkiplistRandomSource) {
    this.random = random
    // zslCreate: the header's record, all levels NULL with span 0, slot 0 (and room for
    // a few dozen nodes before the first grow).
    const buf = new ArrayBuffer(HEADER_WORDS * 4 * 4)
    this.i32 = new Int32Array(buf)
    this.f64 = new Float64Array(buf)
  }

  /** Number of elements (zsl->length). */
  get length(): number {
    return this.len
  }

  /** The random source levels are drawn from (a copy made with it draws alike: COPY's dup). */
  get randomSource(): SkiplistRandomSource {
    return this.random
  }

  /** Height of the tallest node, at least 1 (zsl->level). */
  get level(): number {
    return this.lvl
  }

  /** Lowest element, or null when empty. */
  first(): SkiplistNode | null {
    return this.handle(this.i32[LEVELS])
  }

  /** Highest element (zsl->tail), or null when empty. */
  last(): SkiplistNode | null {
    return this.handle(this.tailRef)
  }

  /** @internal SkiplistNode.next: the node after a live record. */
  nodeAfter(ref: number): SkiplistNode | null {
    return this.handle(this.i32[ref + LEVELS])
  }

  /** @internal SkiplistNode.backward: the node before a live record. */
  nodeBefore(ref: number): SkiplistNode | null {
    return this.handle(this.i32[ref + BACKWARD])
  }

  private handle(ref: number): SkiplistNode | null {
    return ref === NIL ? null : this.nodes[this.i32[ref + SLOT]]
  }

  private member(ref: number): string {
    return this.members[this.i32[ref + SLOT]]
  }

  private score(ref: number): number {
    return this.f64[ref >> 1]
  }

  // ---- records (zslCreateNode / zslFreeNode)

  /** zslCreateNode: a record with `height` levels, all NULL with span 0, not linked yet. */
  private alloc(height: number, score: number, member: string): number {
    let slot = this.freeSlots.pop()
    if (slot === undefined) {
      slot = this.members.length
      this.members.push(member)
      this.nodes.push(null)
      this.heights.push(height)
    } else {
      this.members[slot] = member
      this.heights[slot] = height
    }
    let ref = this.freeRecords[height].pop()
    if (ref === undefined) {
      const words = LEVELS + height * CELLS
      if (this.used + words > this.i32.length) this.grow(words)
      ref = this.used
      this.used += words
    } else {
      this.i32.fill(0, ref + LEVELS, ref + LEVELS + height * CELLS)
    }
    this.f64[ref >> 1] = score
    this.i32[ref + BACKWARD] = NIL
    this.i32[ref + SLOT] = slot
    this.nodes[slot] = new SkiplistNode(this, ref, score, member, height)
    return ref
  }

  /** zslFreeNode: the record and its slot go back on their free lists; the handle is cut loose. */
  private free(ref: number): void {
    const slot = this.i32[ref + SLOT]
    ;(this.nodes[slot] as SkiplistNode).ref = -1
    this.nodes[slot] = null
    this.members[slot] = ''
    this.freeRecords[this.heights[slot]].push(ref)
    this.freeSlots.push(slot)
  }

  /** Double the buffer (at least `words` more); records keep their offsets. */
  private grow(words: number): void {
    const buf = new ArrayBuffer(Math.max(this.i32.length * 2, this.used + words) * 4)
    const i32 = new Int32Array(buf)
    i32.set(this.i32.subarray(0, this.used))
    this.i32 = i32
    this.f64 = new Float64Array(buf)
  }

  // ---- updates

  /**
   * zslInsert: add (score, member), which must not already be present. Draws the
   * node's level from the injected random source. Returns the new node.
   */
  insert(score: number, member: string): SkiplistNode {
    if (Number.isNaN(score)) throw new RangeError('skiplist score must not be NaN')
    const level = randomLevel(this.random)
    // Allocating first (it may grow the buffer) lets the search below keep the views in locals.
    const ref = this.alloc(level, score, member)
    const { i32, f64, members, update } = this
    const rank = this.rankAt
    let x = NIL
    for (let i = this.lvl - 1; i >= 0; i--) {
      // Each level starts from the rank reached on the level above.
      rank[i] = i === this.lvl - 1 ? 0 : rank[i + 1]
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      // Numbers decide unless the scores tie; only then are member bytes compared.
      while (f !== NIL && (f64[f >> 1] < score || (f64[f >> 1] === score && members[i32[f + SLOT]] < member))) {
        rank[i] += i32[at + 1]
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
      }
      update[i] = x
    }
    if (level > this.lvl) {
      for (let i = this.lvl; i < level; i++) {
        rank[i] = 0
        update[i] = NIL
        i32[LEVELS + i * CELLS + 1] = this.len // the header's span on a level new to the list
      }
      this.lvl = level
    }
    const r0 = rank[0]
    for (let i = 0; i < level; i++) {
      const ua = update[i] + LEVELS + i * CELLS
      const na = ref + LEVELS + i * CELLS
      i32[na] = i32[ua]
      i32[ua] = ref
      // update[i]'s old span is split around the new node.
      i32[na + 1] = i32[ua + 1] - (r0 - rank[i])
      i32[ua + 1] = r0 - rank[i] + 1
    }
    // Levels the new node does not reach now jump over one more node.
    for (let i = level; i < this.lvl; i++) i32[update[i] + LEVELS + i * CELLS + 1]++
    // update[0] is the header (NIL) when the node is first: no backward pointer.
    i32[ref + BACKWARD] = update[0]
    const after = i32[ref + LEVELS]
    if (after !== NIL) i32[after + BACKWARD] = ref
    else this.tailRef = ref
    this.len++
    return this.nodes[i32[ref + SLOT]] as SkiplistNode
  }

  /** zslDeleteNode: unlink record x given the update vector of its predecessors (x is not freed). */
  private deleteNode(x: number, update: Int32Array): void {
    const i32 = this.i32
    for (let i = 0; i < this.lvl; i++) {
      const ua = update[i] + LEVELS + i * CELLS
      if (i32[ua] === x) {
        i32[ua + 1] += i32[x + LEVELS + i * CELLS + 1] - 1
        i32[ua] = i32[x + LEVELS + i * CELLS]
      } else {
        i32[ua + 1] -= 1
      }
    }
    const after = i32[x + LEVELS]
    if (after !== NIL) i32[after + BACKWARD] = i32[x + BACKWARD]
    else this.tailRef = i32[x + BACKWARD]
    while (this.lvl > 1 && i32[LEVELS + (this.lvl - 1) * CELLS] === NIL) this.lvl--
    this.len--
  }

  /** Fill `update` with the last record before (score, member) on each level; returns the record after (NIL at the end). */
  private findUpdate(score: number, member: string): number {
    const { i32, f64, members, update } = this
    let x = NIL
    for (let i = this.lvl - 1; i >= 0; i--) {
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && (f64[f >> 1] < score || (f64[f >> 1] === score && members[i32[f + SLOT]] < member))) {
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
      }
      update[i] = x
    }
    return i32[x + LEVELS]
  }

  /** zslDelete: remove (score, member); returns the unlinked node, or null if absent. */
  delete(score: number, member: string): SkiplistNode | null {
    const x = this.findUpdate(score, member)
    if (x !== NIL && this.score(x) === score && this.member(x) === member) {
      const node = this.handle(x) as SkiplistNode
      this.deleteNode(x, this.update)
      this.free(x)
      return node
    }
    return null
  }

  /**
   * zslUpdateScore: move `member` from curScore (which must be its current score) to
   * newScore. If the node stays strictly between its neighbours' scores it is updated in
   * place and returned; otherwise it is unlinked and a new node is inserted (drawing a
   * fresh level, as Redis does), and the new node is returned.
   */
  updateScore(curScore: number, member: string, newScore: number): SkiplistNode {
    if (Number.isNaN(newScore)) throw new RangeError('skiplist score must not be NaN')
    const x = this.findUpdate(curScore, member)
    if (x === NIL || this.score(x) !== curScore || this.member(x) !== member) {
      throw new Error('skiplist updateScore: element not found')
    }
    // Redis compares scores only here: equal neighbour scores take the slow path.
    const prev = this.i32[x + BACKWARD]
    const next = this.i32[x + LEVELS]
    if ((prev === NIL || this.score(prev) < newScore) && (next === NIL || this.score(next) > newScore)) {
      this.f64[x >> 1] = newScore
      const node = this.handle(x) as SkiplistNode
      node.score = newScore
      return node
    }
    this.deleteNode(x, this.update)
    this.free(x)
    return this.insert(newScore, member)
  }

  // ---- lookups

  /** Appends "the cursor stands on record x at level i, rank r" to a recorded path. */
  private step(path: SearchStep[], level: number, rank: number, x: number): void {
    if (x === NIL) path.push({ level, rank: 0, member: null, score: null })
    else path.push({ level, rank, member: this.member(x), score: this.score(x) })
  }

  /**
   * zslGetRank: 1-based rank of (score, member), 0 when absent. Steps are appended to
   * `path` when given.
   */
  getRank(score: number, member: string, path?: SearchStep[]): number {
    const { i32, f64, members } = this
    let x = NIL
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) this.step(path, i, rank, x)
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && (f64[f >> 1] < score || (f64[f >> 1] === score && members[i32[f + SLOT]] <= member))) {
        rank += i32[at + 1]
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
        if (path) this.step(path, i, rank, x)
      }
      if (x !== NIL && f64[x >> 1] === score && members[i32[x + SLOT]] === member) return rank
    }
    return 0
  }

  /** zslGetElementByRank: node at 1-based rank, or null when out of range. */
  getElementByRank(rank: number, path?: SearchStep[]): SkiplistNode | null {
    const i32 = this.i32
    let x = NIL
    let traversed = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) this.step(path, i, traversed, x)
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && traversed + i32[at + 1] <= rank) {
        traversed += i32[at + 1]
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
        if (path) this.step(path, i, traversed, x)
      }
      if (traversed === rank) return this.handle(x)
    }
    return null
  }

  /** zslIsInRange: whether any element could fall in the range (cheap bounds check). */
  isInRange(range: ScoreRange): boolean {
    if (range.min > range.max || (range.min === range.max && (range.minex || range.maxex))) return false
    const t = this.tailRef
    if (t === NIL || !scoreGteMin(this.score(t), range)) return false
    const h = this.i32[LEVELS]
    if (h === NIL || !scoreLteMax(this.score(h), range)) return false
    return true
  }

  /**
   * The walk the *InRange / *InLexRange searches share: from the top level down, advance
   * while `go(record)` holds; returns the last record stood on (NIL = the header).
   */
  private walkWhile(go: (ref: number) => boolean, path: SearchStep[] | undefined): number {
    const i32 = this.i32
    let x = NIL
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) this.step(path, i, rank, x)
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && go(f)) {
        rank += i32[at + 1]
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
        if (path) this.step(path, i, rank, x)
      }
    }
    return x
  }

  /** zslFirstInRange: lowest node within the score range, or null. */
  firstInRange(range: ScoreRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInRange(range)) return null
    const x = this.walkWhile((f) => !scoreGteMin(this.score(f), range), path)
    const n = this.i32[x + LEVELS]
    // isInRange guarantees n exists; the max bound may still exclude it.
    if (n === NIL || !scoreLteMax(this.score(n), range)) return null
    return this.handle(n)
  }

  /** zslLastInRange: highest node within the score range, or null. */
  lastInRange(range: ScoreRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInRange(range)) return null
    const x = this.walkWhile((f) => scoreLteMax(this.score(f), range), path)
    if (x === NIL || !scoreGteMin(this.score(x), range)) return null
    return this.handle(x)
  }

  /** zslIsInLexRange */
  isInLexRange(range: LexRange): boolean {
    const c = compareLex(range.min, range.max)
    if (c > 0 || (c === 0 && (range.minex || range.maxex))) return false
    const t = this.tailRef
    if (t === NIL || !lexGteMin(this.member(t), range)) return false
    const h = this.i32[LEVELS]
    if (h === NIL || !lexLteMax(this.member(h), range)) return false
    return true
  }

  /** zslFirstInLexRange (meaningful when all scores are equal, as ZRANGEBYLEX assumes). */
  firstInLexRange(range: LexRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInLexRange(range)) return null
    const x = this.walkWhile((f) => !lexGteMin(this.member(f), range), path)
    const n = this.i32[x + LEVELS]
    if (n === NIL || !lexLteMax(this.member(n), range)) return null
    return this.handle(n)
  }

  /** zslLastInLexRange */
  lastInLexRange(range: LexRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInLexRange(range)) return null
    const x = this.walkWhile((f) => lexLteMax(this.member(f), range), path)
    if (x === NIL || !lexGteMin(this.member(x), range)) return null
    return this.handle(x)
  }

  // ---- range deletions

  /**
   * zslDeleteRangeByScore / ByLex: fill `update` with the last record on each level for
   * which `before` holds, then unlink and free records from the next one while `inside`
   * holds. Returns the removed members in order.
   */
  private deleteRun(before: (ref: number) => boolean, inside: (ref: number) => boolean): string[] {
    const update = this.update
    const i32 = this.i32
    let x = NIL
    for (let i = this.lvl - 1; i >= 0; i--) {
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && before(f)) {
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
      }
      update[i] = x
    }
    return this.deleteFrom(i32[x + LEVELS], inside)
  }

  /** Unlink and free records from `n` on while `inside(n)` holds (update already filled). */
  private deleteFrom(n: number, inside: (ref: number) => boolean): string[] {
    const i32 = this.i32
    const removed: string[] = []
    while (n !== NIL && inside(n)) {
      const next = i32[n + LEVELS]
      removed.push(this.member(n))
      this.deleteNode(n, this.update)
      this.free(n)
      n = next
    }
    return removed
  }

  /**
   * zslDeleteRangeByScore: remove every element in the range; returns the removed
   * members in order so the caller can drop them from its dict.
   */
  deleteRangeByScore(range: ScoreRange): string[] {
    return this.deleteRun(
      (f) => (range.minex ? this.score(f) <= range.min : this.score(f) < range.min),
      (n) => scoreLteMax(this.score(n), range),
    )
  }

  /** zslDeleteRangeByLex: remove every element in the lex range; returns the removed members. */
  deleteRangeByLex(range: LexRange): string[] {
    return this.deleteRun(
      (f) => !lexGteMin(this.member(f), range),
      (n) => lexLteMax(this.member(n), range),
    )
  }

  /** zslDeleteRangeByRank: remove ranks start..end (1-based, inclusive); returns the removed members. */
  deleteRangeByRank(start: number, end: number): string[] {
    const update = this.update
    const i32 = this.i32
    let x = NIL
    let traversed = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && traversed + i32[at + 1] < start) {
        traversed += i32[at + 1]
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
      }
      update[i] = x
    }
    return this.deleteFrom(i32[x + LEVELS], () => ++traversed <= end)
  }

  // ---- iteration

  /**
   * Up to `count` elements from `from` on, following forward pointers (or backward ones
   * when `reverse`), as {member, score} pairs: the walk of genericZrangebyrankCommand,
   * reading the records directly rather than through a handle per node.
   */
  collect(from: SkiplistNode | null, count: number, reverse: boolean): { member: string; score: number }[] {
    const out: { member: string; score: number }[] = []
    if (from === null || from.ref < 0) return out
    const { i32, f64, members } = this
    const step = reverse ? BACKWARD : LEVELS
    for (let x = from.ref; x !== NIL && out.length < count; x = i32[x + step]) {
      out.push({ member: members[i32[x + SLOT]], score: f64[x >> 1] })
    }
    return out
  }

  /** Ascending iteration from `from` (default: the first node). */
  *ascending(from: SkiplistNode | null = this.first()): IterableIterator<SkiplistNode> {
    for (let n = from; n !== null; n = n.next) yield n
  }

  /** Descending iteration from `from` (default: the tail) along backward pointers. */
  *descending(from: SkiplistNode | null = this.last()): IterableIterator<SkiplistNode> {
    for (let n = from; n !== null; n = n.backward) yield n
  }

  [Symbol.iterator](): IterableIterator<SkiplistNode> {
    return this.ascending()
  }

  // ---- pictures and checks

  /**
   * The search zslInsert/zslDelete would make for (score, member): every node the cursor
   * stands on, level by level (the header is rank 0 / member null). Without a member the
   * search stops before the first element with a score >= `score`.
   */
  searchPath(score: number, member?: string): SearchStep[] {
    const path: SearchStep[] = []
    this.walkWhile((f) => {
      const s = this.score(f)
      return s < score || (member !== undefined && s === score && this.member(f) < member)
    }, path)
    return path
  }

  private link(x: number, level: number, rank: number): SkiplistSnapshotLink {
    const at = x + LEVELS + level * CELLS
    const f = this.i32[at]
    const span = this.i32[at + 1]
    return f === NIL
      ? { span, forwardMember: null, forwardRank: null }
      : { span, forwardMember: this.member(f), forwardRank: rank + span }
  }

  /**
   * A plain, structured-cloneable picture of the list. `window` picks `count` nodes from
   * 1-based rank `fromRank` (default: everything); reaching the window start walks spans
   * from the top level down, so it costs O(log n + count) even for millions of nodes.
   */
  snapshot(window?: { fromRank: number; count: number }): SkiplistSnapshot {
    const fromRank = Math.max(1, Math.floor(window?.fromRank ?? 1))
    const count = Math.max(0, Math.floor(window?.count ?? this.len))
    const i32 = this.i32
    const header: SkiplistSnapshotLink[] = []
    for (let i = 0; i < this.lvl; i++) header.push(this.link(NIL, i, 0))
    // Walk to the last node before the window on every level (like zslDeleteRangeByRank).
    const entering: SkiplistSnapshot['entering'] = []
    let x = NIL
    let traversed = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      let at = x + LEVELS + i * CELLS
      let f = i32[at]
      while (f !== NIL && traversed + i32[at + 1] < fromRank) {
        traversed += i32[at + 1]
        x = f
        at = x + LEVELS + i * CELLS
        f = i32[at]
      }
      entering.push({ level: i, rank: traversed, member: x === NIL ? null : this.member(x), link: this.link(x, i, traversed) })
    }
    entering.reverse()
    const nodes: SkiplistSnapshotNode[] = []
    let n = i32[x + LEVELS]
    let rank = traversed + 1
    while (n !== NIL && nodes.length < count) {
      const height = this.heights[i32[n + SLOT]]
      const links: SkiplistSnapshotLink[] = []
      for (let i = 0; i < height; i++) links.push(this.link(n, i, rank))
      nodes.push({ rank, member: this.member(n), score: this.score(n), height, links })
      n = i32[n + LEVELS]
      rank++
    }
    return { kind: 'skiplist', length: this.len, level: this.lvl, header, window: { fromRank, count }, entering, nodes }
  }

  /** How much of the buffer and the slots is handed out, and how much waits on free lists. */
  poolStats(): SkiplistPoolStats {
    let freeWords = 0
    for (let h = 1; h <= ZSKIPLIST_MAXLEVEL; h++) freeWords += this.freeRecords[h].length * (LEVELS + h * CELLS)
    return { slots: this.members.length, freeSlots: this.freeSlots.length, words: this.used, freeWords }
  }

  /**
   * Check every structural invariant (for tests and debug builds): order, backward
   * pointers, tail, length, level, and that each span equals the rank distance it jumps
   * (or, for a null forward pointer, the number of nodes left); that each handle matches
   * its record; and that live and free records and slots account for everything handed
   * out, without overlapping. Throws on the first breach.
   */
  verify(): void {
    const { i32, heights } = this
    const rankOf = new Map<number, number>([[NIL, 0]])
    const slotsSeen = new Set<number>([0])
    let prev = NIL
    let r = 0
    let maxHeight = 1
    for (let n = i32[LEVELS]; n !== NIL; n = i32[n + LEVELS]) {
      r++
      if (r > this.len) throw new Error(`more than ${this.len} nodes (a cycle?)`)
      if (rankOf.has(n)) throw new Error(`record ${n} linked twice`)
      rankOf.set(n, r)
      const slot = i32[n + SLOT]
      if (slotsSeen.has(slot)) throw new Error(`slot ${slot} used twice`)
      slotsSeen.add(slot)
      const node = this.nodes[slot]
      if (node === null || node === undefined || node.ref !== n) throw new Error(`record ${n} has no matching handle`)
      if (node.member !== this.members[slot] || !Object.is(node.score, this.score(n)) || node.height !== heights[slot]) {
        throw new Error(`handle of rank ${r} disagrees with its record`)
      }
      if (i32[n + BACKWARD] !== prev) throw new Error(`bad backward pointer at rank ${r}`)
      if (prev !== NIL) {
        const a = this.score(prev)
        const b = this.score(n)
        if (!(a < b || (a === b && this.member(prev) < this.member(n)))) throw new Error(`order broken at rank ${r}`)
      }
      if (node.height > maxHeight) maxHeight = node.height
      prev = n
    }
    if (r !== this.len) throw new Error(`length ${this.len} but ${r} nodes`)
    if (prev !== this.tailRef) throw new Error('bad tail')
    if (maxHeight !== this.lvl) throw new Error(`level ${this.lvl} but tallest node ${maxHeight}`)
    // Each level must chain exactly the nodes that are tall enough, in order, and each
    // span must be the rank distance it jumps (or the count of nodes left at the end).
    for (let i = 0; i < this.lvl; i++) {
      let x = NIL
      let xr = 0
      for (let m = i32[LEVELS]; m !== NIL; m = i32[m + LEVELS]) {
        if (heights[i32[m + SLOT]] <= i) continue
        const mr = rankOf.get(m) as number
        const at = x + LEVELS + i * CELLS
        if (i32[at] !== m) throw new Error(`level ${i} after rank ${xr} does not reach rank ${mr}`)
        if (i32[at + 1] !== mr - xr) throw new Error(`span at rank ${xr} level ${i} is ${i32[at + 1]}, want ${mr - xr}`)
        x = m
        xr = mr
      }
      const at = x + LEVELS + i * CELLS
      if (i32[at] !== NIL) throw new Error(`level ${i} does not end after rank ${xr}`)
      if (i32[at + 1] !== this.len - xr) throw new Error(`end span at rank ${xr} level ${i}`)
    }
    // Free slots: unlinked ones only, each once; live + free + header = every slot handed out.
    for (const s of this.freeSlots) {
      if (s <= 0 || s >= this.members.length || slotsSeen.has(s) || this.nodes[s] !== null) throw new Error(`bad free slot ${s}`)
      slotsSeen.add(s)
    }
    if (slotsSeen.size !== this.members.length) throw new Error(`${this.members.length - slotsSeen.size} slots lost`)
    // Records: the header's, the live ones and the free ones tile the used words exactly.
    const owner = new Uint8Array(this.used)
    const claim = (ref: number, height: number, what: string): void => {
      const end = ref + LEVELS + height * CELLS
      if (ref % 2 !== 0 || ref < 0 || end > this.used) throw new Error(`${what} record out of the buffer`)
      for (let k = ref; k < end; k++) {
        if (owner[k] !== 0) throw new Error(`${what} record overlaps another at word ${k}`)
        owner[k] = 1
      }
    }
    claim(NIL, ZSKIPLIST_MAXLEVEL, 'header')
    for (let n = i32[LEVELS]; n !== NIL; n = i32[n + LEVELS]) claim(n, heights[i32[n + SLOT]], `rank ${rankOf.get(n)}`)
    for (let h = 1; h <= ZSKIPLIST_MAXLEVEL; h++) for (const f of this.freeRecords[h]) claim(f, h, `free height-${h}`)
    if (owner.includes(0)) throw new Error('buffer has words nobody owns')
  }
}
