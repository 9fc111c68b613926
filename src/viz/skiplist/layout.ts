// Skiplist view layout: a column per node (the header first when the window starts
// at rank 1, else a "before" column the entering links come from), a box per level,
// forward pointers with their spans, and an end column (NIL, or "more" when the
// window stops early). Only the snapshot's window is laid out, so the cost is the
// drawn nodes times their heights, whatever the zset's size.
import type { SkiplistSnapshot, SearchStep } from '../../../engine/structures/skiplist.ts'
import { byteLabel } from '../common.ts'

export type SkipColumnKind = 'header' | 'before' | 'node' | 'nil' | 'after'

export interface SkipColumn {
  kind: SkipColumnKind
  /** Rank of the node (0 = header); for 'before' the last rank before the window, for 'nil'/'after' length + 1 / the first rank after. */
  rank: number
  member: string | null
  score: number | null
  height: number
  x: number
  label: string
  inserted: boolean
}

export interface SkipLink {
  /** `${member}:${level}` of the source (`header:…` / `before:…`): stable across inserts that shift ranks. */
  id: string
  level: number
  fromRank: number
  toRank: number | null
  span: number
  x1: number
  x2: number
  y: number
  /** Reaches NIL (null forward pointer). */
  toNil: boolean
  /** Leaves the window to the right ('after' column). */
  offRight: boolean
  onPath: boolean
}

export interface SkipPathPoint {
  step: number
  level: number
  rank: number
  x: number
  y: number
}

export interface SkipPathSegment {
  id: string
  /** Index of the step the hop arrives at. */
  step: number
  /** 0-based order of the hop: the view reveals hops in this order. */
  order: number
  x1: number
  y1: number
  x2: number
  y2: number
}

export interface SkiplistLayout {
  levels: number
  columns: SkipColumn[]
  links: SkipLink[]
  path: SkipPathPoint[]
  segments: SkipPathSegment[]
  /** `${rank}:${level}` of every box the search stood on. */
  visited: Set<string>
  boxW: number
  boxH: number
  levelY: (level: number) => number
  labelY: number
  width: number
  height: number
  summary: string
}

export interface SkiplistLayoutOptions {
  searchPath?: readonly SearchStep[] | null
  insertedMember?: string | null
  /** Draw at most this many nodes of the window (default 128). */
  maxNodes?: number
}

const COL_W = 92
const BOX_W = 40
const BOX_H = 20
const ROW_H = 30
const TOP = 12

export function layoutSkiplist(snap: SkiplistSnapshot, opts: SkiplistLayoutOptions = {}): SkiplistLayout {
  const levels = Math.max(1, snap.level)
  const levelY = (level: number) => TOP + (levels - 1 - level) * ROW_H
  const nodes = snap.nodes.slice(0, opts.maxNodes ?? 128)
  const inserted = opts.insertedMember ?? null
  const columns: SkipColumn[] = []
  const atStart = snap.window.fromRank <= 1
  const firstRank = nodes.length > 0 ? nodes[0].rank : snap.window.fromRank
  columns.push(
    atStart
      ? { kind: 'header', rank: 0, member: null, score: null, height: levels, x: 0, label: 'header', inserted: false }
      : { kind: 'before', rank: firstRank - 1, member: null, score: null, height: levels, x: 0, label: `ranks 1…${firstRank - 1}`, inserted: false },
  )
  const colOf = new Map<number, number>()
  colOf.set(columns[0].rank, 0)
  for (const n of nodes) {
    colOf.set(n.rank, columns.length)
    columns.push({ kind: 'node', rank: n.rank, member: n.member, score: n.score, height: n.height, x: columns.length * COL_W, label: byteLabel(n.member, 11), inserted: n.member === inserted })
  }
  const lastRank = nodes.length > 0 ? nodes[nodes.length - 1].rank : firstRank - 1
  const reachesEnd = lastRank >= snap.length
  const endCol: SkipColumn = reachesEnd
    ? { kind: 'nil', rank: snap.length + 1, member: null, score: null, height: levels, x: columns.length * COL_W, label: 'NIL', inserted: false }
    : { kind: 'after', rank: lastRank + 1, member: null, score: null, height: levels, x: columns.length * COL_W, label: `ranks ${lastRank + 1}…${snap.length}`, inserted: false }
  columns.push(endCol)
  const endIndex = columns.length - 1
  const xOfRank = (rank: number): number => {
    const c = colOf.get(rank)
    if (c !== undefined) return columns[c].x
    return rank < firstRank ? 0 : endCol.x
  }

  // Path: where the search stood, step by step, and the hops between steps.
  const steps = opts.searchPath ?? []
  const visited = new Set<string>()
  const path: SkipPathPoint[] = steps.map((s, i) => {
    visited.add(`${s.rank}:${s.level}`)
    return { step: i, level: s.level, rank: s.rank, x: xOfRank(s.rank) + BOX_W / 2, y: levelY(s.level) + BOX_H / 2 }
  })
  const hops = new Set<string>()
  const segments: SkipPathSegment[] = []
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]
    const b = path[i]
    if (a.rank === b.rank && a.level === b.level) continue
    if (a.level === b.level) hops.add(`${a.rank}:${a.level}`)
    segments.push({ id: `${a.rank}:${a.level}>${b.rank}:${b.level}`, step: i, order: segments.length, x1: a.x, y1: a.y, x2: b.x, y2: b.y })
  }

  const links: SkipLink[] = []
  const addLink = (source: string, fromRank: number, level: number, l: SkiplistSnapshot['header'][number], x1: number) => {
    const toNil = l.forwardRank === null
    const target = l.forwardRank === null ? null : colOf.get(l.forwardRank)
    const offRight = !toNil && target === undefined
    const x2 = toNil || offRight ? columns[endIndex].x : columns[target as number].x
    links.push({ id: `${source}:${level}`, level, fromRank, toRank: l.forwardRank, span: l.span, x1, x2, y: levelY(level) + BOX_H / 2, toNil, offRight, onPath: hops.has(`${fromRank}:${level}`) })
  }
  // From the first column: the header's pointers, or the ones entering the window.
  if (atStart) snap.header.forEach((l, level) => addLink('header', 0, level, l, BOX_W))
  else for (const e of snap.entering) addLink('before', e.rank, e.level, e.link, BOX_W)
  for (const n of nodes) {
    const x = (colOf.get(n.rank) as number) * COL_W + BOX_W
    n.links.forEach((l, level) => addLink(`m:${n.member}`, n.rank, level, l, x))
  }

  const labelY = levelY(0) + BOX_H + 14
  const width = columns.length * COL_W
  const ins = inserted !== null ? nodes.find((n) => n.member === inserted) : undefined
  return {
    levels,
    columns,
    links,
    path,
    segments,
    visited,
    boxW: BOX_W,
    boxH: BOX_H,
    levelY,
    labelY,
    width,
    // Member, score and rank lines, and the "level N drawn" tag under an inserted node.
    height: labelY + 34,
    summary:
      `skiplist of ${snap.length} members, ${levels} levels; ranks ${firstRank}…${lastRank} drawn` +
      (ins ? `; inserted ${byteLabel(ins.member, 20)} with level ${ins.height}` : '') +
      (steps.length > 0 ? `; search path of ${steps.length} steps` : ''),
  }
}

/** The path in words, one step per line: "level 3: header", "level 3 → rank 4 (m3, 3)". */
export function describePath(steps: readonly SearchStep[]): string[] {
  return steps.map((s) => `level ${s.level + 1}: ${s.rank === 0 ? 'header' : `rank ${s.rank} ${byteLabel(s.member ?? '', 16)} (score ${s.score})`}`)
}
