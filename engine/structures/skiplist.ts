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

export class SkiplistNode {
  /** The member bytes; '' for the header (which is never handed out). */
  readonly member: string
  /** Mutable only through Skiplist.updateScore's in-place shortcut. */
  score: number
  /** Previous node at level 0; null for the first node. */
  backward: SkiplistNode | null = null
  /** Forward pointer per level (length = node height). */
  readonly forward: (SkiplistNode | null)[]
  /** Span per level: level-0 steps the forward pointer jumps. */
  readonly span: number[]

  constructor(height: number, score: number, member: string) {
    this.member = member
    this.score = score
    this.forward = new Array<SkiplistNode | null>(height).fill(null)
    this.span = new Array<number>(height).fill(0)
  }

  /** Number of levels of this node (1..32). */
  get height(): number {
    return this.forward.length
  }

  /** Next node in order (level 0 forward). */
  get next(): SkiplistNode | null {
    return this.forward[0]
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

/** Strict "a sorts before (score, member)" used by insert/delete/update searches. */
function before(node: SkiplistNode, score: number, member: string): boolean {
  return node.score < score || (node.score === score && node.member < member)
}

function step(path: SearchStep[], level: number, rank: number, node: SkiplistNode, header: SkiplistNode): void {
  if (node === header) path.push({ level, rank: 0, member: null, score: null })
  else path.push({ level, rank, member: node.member, score: node.score })
}

export class Skiplist {
  private readonly header: SkiplistNode
  private tail: SkiplistNode | null = null
  private len = 0
  private lvl = 1
  private readonly random: SkiplistRandomSource
  // Scratch vectors reused across calls (the C code keeps them on the stack).
  private readonly update: SkiplistNode[]
  private readonly rankAt: number[]

  constructor(random: SkiplistRandomSource) {
    this.random = random
    this.header = new SkiplistNode(ZSKIPLIST_MAXLEVEL, 0, '')
    this.update = new Array<SkiplistNode>(ZSKIPLIST_MAXLEVEL).fill(this.header)
    this.rankAt = new Array<number>(ZSKIPLIST_MAXLEVEL).fill(0)
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
    return this.header.forward[0]
  }

  /** Highest element (zsl->tail), or null when empty. */
  last(): SkiplistNode | null {
    return this.tail
  }

  /**
   * zslInsert: add (score, member), which must not already be present. Draws the
   * node's level from the injected random source. Returns the new node.
   */
  insert(score: number, member: string): SkiplistNode {
    if (Number.isNaN(score)) throw new RangeError('skiplist score must not be NaN')
    const update = this.update
    const rank = this.rankAt
    let x = this.header
    for (let i = this.lvl - 1; i >= 0; i--) {
      rank[i] = i === this.lvl - 1 ? 0 : rank[i + 1]
      let f = x.forward[i]
      while (f !== null && before(f, score, member)) {
        rank[i] += x.span[i]
        x = f
        f = x.forward[i]
      }
      update[i] = x
    }
    const level = randomLevel(this.random)
    if (level > this.lvl) {
      for (let i = this.lvl; i < level; i++) {
        rank[i] = 0
        update[i] = this.header
        this.header.span[i] = this.len
      }
      this.lvl = level
    }
    const node = new SkiplistNode(level, score, member)
    for (let i = 0; i < level; i++) {
      const u = update[i]
      node.forward[i] = u.forward[i]
      u.forward[i] = node
      // u's old span is split around the new node.
      node.span[i] = u.span[i] - (rank[0] - rank[i])
      u.span[i] = rank[0] - rank[i] + 1
    }
    // Levels the new node does not reach now jump over one more node.
    for (let i = level; i < this.lvl; i++) update[i].span[i]++
    node.backward = update[0] === this.header ? null : update[0]
    const after = node.forward[0]
    if (after !== null) after.backward = node
    else this.tail = node
    this.len++
    return node
  }

  /** zslDeleteNode: unlink x given the update vector of its predecessors. */
  private deleteNode(x: SkiplistNode, update: SkiplistNode[]): void {
    for (let i = 0; i < this.lvl; i++) {
      const u = update[i]
      if (u.forward[i] === x) {
        u.span[i] += x.span[i] - 1
        u.forward[i] = x.forward[i]
      } else {
        u.span[i] -= 1
      }
    }
    const after = x.forward[0]
    if (after !== null) after.backward = x.backward
    else this.tail = x.backward
    while (this.lvl > 1 && this.header.forward[this.lvl - 1] === null) this.lvl--
    this.len--
  }

  /** Fill `update` with the last node before (score, member) on each level. */
  private findUpdate(score: number, member: string): SkiplistNode | null {
    const update = this.update
    let x = this.header
    for (let i = this.lvl - 1; i >= 0; i--) {
      let f = x.forward[i]
      while (f !== null && before(f, score, member)) {
        x = f
        f = x.forward[i]
      }
      update[i] = x
    }
    return x.forward[0]
  }

  /** zslDelete: remove (score, member); returns the unlinked node, or null if absent. */
  delete(score: number, member: string): SkiplistNode | null {
    const x = this.findUpdate(score, member)
    if (x !== null && x.score === score && x.member === member) {
      this.deleteNode(x, this.update)
      return x
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
    if (x === null || x.score !== curScore || x.member !== member) {
      throw new Error('skiplist updateScore: element not found')
    }
    // Redis compares scores only here: equal neighbour scores take the slow path.
    const prev = x.backward
    const next = x.forward[0]
    if ((prev === null || prev.score < newScore) && (next === null || next.score > newScore)) {
      x.score = newScore
      return x
    }
    this.deleteNode(x, this.update)
    return this.insert(newScore, member)
  }

  /**
   * zslGetRank: 1-based rank of (score, member), 0 when absent. Steps are appended to
   * `path` when given.
   */
  getRank(score: number, member: string, path?: SearchStep[]): number {
    let x = this.header
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) step(path, i, rank, x, this.header)
      let f = x.forward[i]
      while (f !== null && (f.score < score || (f.score === score && f.member <= member))) {
        rank += x.span[i]
        x = f
        f = x.forward[i]
        if (path) step(path, i, rank, x, this.header)
      }
      if (x !== this.header && x.score === score && x.member === member) return rank
    }
    return 0
  }

  /** zslGetElementByRank: node at 1-based rank, or null when out of range. */
  getElementByRank(rank: number, path?: SearchStep[]): SkiplistNode | null {
    let x = this.header
    let traversed = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) step(path, i, traversed, x, this.header)
      let f = x.forward[i]
      while (f !== null && traversed + x.span[i] <= rank) {
        traversed += x.span[i]
        x = f
        f = x.forward[i]
        if (path) step(path, i, traversed, x, this.header)
      }
      if (traversed === rank) return x === this.header ? null : x
    }
    return null
  }

  /** zslIsInRange: whether any element could fall in the range (cheap bounds check). */
  isInRange(range: ScoreRange): boolean {
    if (range.min > range.max || (range.min === range.max && (range.minex || range.maxex))) return false
    const t = this.tail
    if (t === null || !scoreGteMin(t.score, range)) return false
    const h = this.header.forward[0]
    if (h === null || !scoreLteMax(h.score, range)) return false
    return true
  }

  /** zslFirstInRange: lowest node within the score range, or null. */
  firstInRange(range: ScoreRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInRange(range)) return null
    let x = this.header
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) step(path, i, rank, x, this.header)
      let f = x.forward[i]
      while (f !== null && !scoreGteMin(f.score, range)) {
        rank += x.span[i]
        x = f
        f = x.forward[i]
        if (path) step(path, i, rank, x, this.header)
      }
    }
    const n = x.forward[0]
    // isInRange guarantees n exists; the max bound may still exclude it.
    if (n === null || !scoreLteMax(n.score, range)) return null
    return n
  }

  /** zslLastInRange: highest node within the score range, or null. */
  lastInRange(range: ScoreRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInRange(range)) return null
    let x = this.header
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) step(path, i, rank, x, this.header)
      let f = x.forward[i]
      while (f !== null && scoreLteMax(f.score, range)) {
        rank += x.span[i]
        x = f
        f = x.forward[i]
        if (path) step(path, i, rank, x, this.header)
      }
    }
    if (x === this.header || !scoreGteMin(x.score, range)) return null
    return x
  }

  /** zslIsInLexRange */
  isInLexRange(range: LexRange): boolean {
    const c = compareLex(range.min, range.max)
    if (c > 0 || (c === 0 && (range.minex || range.maxex))) return false
    const t = this.tail
    if (t === null || !lexGteMin(t.member, range)) return false
    const h = this.header.forward[0]
    if (h === null || !lexLteMax(h.member, range)) return false
    return true
  }

  /** zslFirstInLexRange (meaningful when all scores are equal, as ZRANGEBYLEX assumes). */
  firstInLexRange(range: LexRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInLexRange(range)) return null
    let x = this.header
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) step(path, i, rank, x, this.header)
      let f = x.forward[i]
      while (f !== null && !lexGteMin(f.member, range)) {
        rank += x.span[i]
        x = f
        f = x.forward[i]
        if (path) step(path, i, rank, x, this.header)
      }
    }
    const n = x.forward[0]
    if (n === null || !lexLteMax(n.member, range)) return null
    return n
  }

  /** zslLastInLexRange */
  lastInLexRange(range: LexRange, path?: SearchStep[]): SkiplistNode | null {
    if (!this.isInLexRange(range)) return null
    let x = this.header
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      if (path) step(path, i, rank, x, this.header)
      let f = x.forward[i]
      while (f !== null && lexLteMax(f.member, range)) {
        rank += x.span[i]
        x = f
        f = x.forward[i]
        if (path) step(path, i, rank, x, this.header)
      }
    }
    if (x === this.header || !lexGteMin(x.member, range)) return null
    return x
  }

  /**
   * zslDeleteRangeByScore: remove every element in the range; returns the removed
   * members in order so the caller can drop them from its dict.
   */
  deleteRangeByScore(range: ScoreRange): string[] {
    const update = this.update
    let x = this.header
    for (let i = this.lvl - 1; i >= 0; i--) {
      let f = x.forward[i]
      while (f !== null && (range.minex ? f.score <= range.min : f.score < range.min)) {
        x = f
        f = x.forward[i]
      }
      update[i] = x
    }
    const removed: string[] = []
    let n = x.forward[0]
    while (n !== null && scoreLteMax(n.score, range)) {
      const next = n.forward[0]
      this.deleteNode(n, update)
      removed.push(n.member)
      n = next
    }
    return removed
  }

  /** zslDeleteRangeByLex: remove every element in the lex range; returns the removed members. */
  deleteRangeByLex(range: LexRange): string[] {
    const update = this.update
    let x = this.header
    for (let i = this.lvl - 1; i >= 0; i--) {
      let f = x.forward[i]
      while (f !== null && !lexGteMin(f.member, range)) {
        x = f
        f = x.forward[i]
      }
      update[i] = x
    }
    const removed: string[] = []
    let n = x.forward[0]
    while (n !== null && lexLteMax(n.member, range)) {
      const next = n.forward[0]
      this.deleteNode(n, update)
      removed.push(n.member)
      n = next
    }
    return removed
  }

  /** zslDeleteRangeByRank: remove ranks start..end (1-based, inclusive); returns the removed members. */
  deleteRangeByRank(start: number, end: number): string[] {
    const update = this.update
    let x = this.header
    let traversed = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      let f = x.forward[i]
      while (f !== null && traversed + x.span[i] < start) {
        traversed += x.span[i]
        x = f
        f = x.forward[i]
      }
      update[i] = x
    }
    traversed++
    const removed: string[] = []
    let n = x.forward[0]
    while (n !== null && traversed <= end) {
      const next = n.forward[0]
      this.deleteNode(n, update)
      removed.push(n.member)
      traversed++
      n = next
    }
    return removed
  }

  /** Ascending iteration from `from` (default: the first node). */
  *ascending(from: SkiplistNode | null = this.header.forward[0]): IterableIterator<SkiplistNode> {
    for (let n = from; n !== null; n = n.forward[0]) yield n
  }

  /** Descending iteration from `from` (default: the tail) along backward pointers. */
  *descending(from: SkiplistNode | null = this.tail): IterableIterator<SkiplistNode> {
    for (let n = from; n !== null; n = n.backward) yield n
  }

  [Symbol.iterator](): IterableIterator<SkiplistNode> {
    return this.ascending()
  }

  /**
   * The search zslInsert/zslDelete would make for (score, member): every node the cursor
   * stands on, level by level (the header is rank 0 / member null). Without a member the
   * search stops before the first element with a score >= `score`.
   */
  searchPath(score: number, member?: string): SearchStep[] {
    const path: SearchStep[] = []
    let x = this.header
    let rank = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      step(path, i, rank, x, this.header)
      let f = x.forward[i]
      while (f !== null && (member === undefined ? f.score < score : before(f, score, member))) {
        rank += x.span[i]
        x = f
        f = x.forward[i]
        step(path, i, rank, x, this.header)
      }
    }
    return path
  }

  private link(node: SkiplistNode, level: number, rank: number): SkiplistSnapshotLink {
    const f = node.forward[level]
    const span = node.span[level]
    return f === null
      ? { span, forwardMember: null, forwardRank: null }
      : { span, forwardMember: f.member, forwardRank: rank + span }
  }

  /**
   * A plain, structured-cloneable picture of the list. `window` picks `count` nodes from
   * 1-based rank `fromRank` (default: everything); reaching the window start walks spans
   * from the top level down, so it costs O(log n + count) even for millions of nodes.
   */
  snapshot(window?: { fromRank: number; count: number }): SkiplistSnapshot {
    const fromRank = Math.max(1, Math.floor(window?.fromRank ?? 1))
    const count = Math.max(0, Math.floor(window?.count ?? this.len))
    const header: SkiplistSnapshotLink[] = []
    for (let i = 0; i < this.lvl; i++) header.push(this.link(this.header, i, 0))
    // Walk to the last node before the window on every level (like zslDeleteRangeByRank).
    const entering: SkiplistSnapshot['entering'] = []
    let x = this.header
    let traversed = 0
    for (let i = this.lvl - 1; i >= 0; i--) {
      let f = x.forward[i]
      while (f !== null && traversed + x.span[i] < fromRank) {
        traversed += x.span[i]
        x = f
        f = x.forward[i]
      }
      entering.push({
        level: i,
        rank: traversed,
        member: x === this.header ? null : x.member,
        link: this.link(x, i, traversed),
      })
    }
    entering.reverse()
    const nodes: SkiplistSnapshotNode[] = []
    let n = x.forward[0]
    let rank = traversed + 1
    while (n !== null && nodes.length < count) {
      const links: SkiplistSnapshotLink[] = []
      for (let i = 0; i < n.forward.length; i++) links.push(this.link(n, i, rank))
      nodes.push({ rank, member: n.member, score: n.score, height: n.forward.length, links })
      n = n.forward[0]
      rank++
    }
    return { kind: 'skiplist', length: this.len, level: this.lvl, header, window: { fromRank, count }, entering, nodes }
  }

  /**
   * Check every structural invariant (for tests and debug builds): order, backward
   * pointers, tail, length, level, and that each span equals the rank distance it jumps
   * (or, for a null forward pointer, the number of nodes left). Throws on the first breach.
   */
  verify(): void {
    const ranks = new Map<SkiplistNode, number>()
    ranks.set(this.header, 0)
    let prev: SkiplistNode | null = null
    let r = 0
    let maxHeight = 1
    for (let n = this.header.forward[0]; n !== null; n = n.forward[0]) {
      r++
      ranks.set(n, r)
      if (n.backward !== prev) throw new Error(`bad backward pointer at rank ${r}`)
      if (prev !== null && !before(prev, n.score, n.member)) throw new Error(`order broken at rank ${r}`)
      if (n.forward.length > maxHeight) maxHeight = n.forward.length
      prev = n
    }
    if (r !== this.len) throw new Error(`length ${this.len} but ${r} nodes`)
    if (prev !== this.tail) throw new Error('bad tail')
    if (maxHeight !== this.lvl) throw new Error(`level ${this.lvl} but tallest node ${maxHeight}`)
    // Each level must chain exactly the nodes that are tall enough, in order, and each
    // span must be the rank distance it jumps (or the count of nodes left at the end).
    for (let i = 0; i < this.lvl; i++) {
      let x: SkiplistNode = this.header
      let xr = 0
      for (let m = this.header.forward[0]; m !== null; m = m.forward[0]) {
        if (m.forward.length <= i) continue
        const mr = ranks.get(m) ?? -1
        if (x.forward[i] !== m) throw new Error(`level ${i} after rank ${xr} does not reach rank ${mr}`)
        if (x.span[i] !== mr - xr) throw new Error(`span at rank ${xr} level ${i} is ${x.span[i]}, want ${mr - xr}`)
        x = m
        xr = mr
      }
      if (x.forward[i] !== null) throw new Error(`level ${i} does not end after rank ${xr}`)
      if (x.span[i] !== this.len - xr) throw new Error(`end span at rank ${xr} level ${i}`)
    }
  }
}
