// Quicklist view layout: the chain of listpack nodes, each node's fill against
// list-max-listpack-size (a count when positive, a byte limit when negative), and the
// nodes LZF-compressed past list-compress-depth from either end.
import type { QuicklistSnapshot } from '../../../engine/introspect/inspect.ts'
import { flow, plural } from '../common.ts'

/** optimization_level[]: the byte limits of fill -1 … -5. */
export const FILL_BYTES = [4096, 8192, 16384, 32768, 65536] as const
/** SIZE_SAFETY_LIMIT: a count-limited node still stops at 8 KB. */
export const SIZE_SAFETY_LIMIT = 8192

export function fillLimit(fill: number): { kind: 'count'; limit: number } | { kind: 'bytes'; limit: number } {
  if (fill >= 0) return { kind: 'count', limit: Math.max(1, fill) }
  return { kind: 'bytes', limit: FILL_BYTES[Math.min(FILL_BYTES.length, -fill) - 1] }
}

export interface QuicklistNodeLayout {
  index: number
  x: number
  y: number
  w: number
  h: number
  count: number
  size: number
  plain: boolean
  compressed: boolean
  compressedSize: number | null
  /** Within list-compress-depth of the head or tail: never compressed. */
  inDepth: boolean
  fillFraction: number
  fillText: string
  label: string
  /** Identity across snapshots (inspect's node id). */
  id: number
  /** What the last command did to this node: made it ('created'), or split it off a neighbour ('split'). */
  change: 'created' | 'split' | 'split-source' | null
}

export interface QuicklistChange {
  kind: 'created' | 'split'
  /** The new node's id and index. */
  id: number
  index: number
  /** For a split: the node it split off (id, index now). */
  sourceId?: number
  sourceIndex?: number
  text: string
}

/**
 * What changed in the node chain between two snapshots of the same window, by node
 * identity: a new node next to one that lost entries split off it; any other new
 * node was created because the push found its end node full (or the list empty).
 */
export function quicklistChanges(prev: QuicklistSnapshot | null, next: QuicklistSnapshot): QuicklistChange[] {
  if (prev === null || prev.window.start !== next.window.start) return []
  const before = new Map(prev.nodes.map((n) => [n.id, n]))
  const lim = fillLimit(next.fill)
  const out: QuicklistChange[] = []
  next.nodes.forEach((n, i) => {
    if (before.has(n.id)) return
    const neighbours = [next.nodes[i - 1], next.nodes[i + 1]].filter((m) => m !== undefined && before.has(m.id))
    const source = neighbours.find((m) => m.count < before.get(m.id)!.count)
    if (source) {
      out.push({ kind: 'split', id: n.id, index: n.index, sourceId: source.id, sourceIndex: source.index, text: `an insert into full node #${source.index} (${before.get(source.id)!.count} entries) split it: new node #${n.index} took part of its entries` })
      return
    }
    const old = neighbours[0] ? before.get(neighbours[0].id)! : undefined
    const full = old === undefined ? 'the list had no node there' : lim.kind === 'count' ? `node #${neighbours[0].index} was full (${old.count}/${lim.limit} entries)` : `node #${neighbours[0].index} had no room (${old.size} of ${lim.limit} bytes)`
    out.push({ kind: 'created', id: n.id, index: n.index, text: `node #${n.index} created: ${full}` })
  })
  return out
}

export interface QuicklistLayout {
  nodes: QuicklistNodeLayout[]
  /** Arrows between consecutive drawn nodes (prev <-> next pointers). */
  links: { from: number; to: number; x1: number; y1: number; x2: number; y2: number }[]
  before: number
  after: number
  limitText: string
  width: number
  height: number
  summary: string
}

const NODE_W = 104
const NODE_H = 64
const GAP = 26

export function layoutQuicklist(snap: QuicklistSnapshot, opts: { width?: number; changes?: readonly QuicklistChange[] } = {}): QuicklistLayout {
  const changes = opts.changes ?? []
  const changeOf = (id: number): QuicklistNodeLayout['change'] => {
    for (const c of changes) {
      if (c.id === id) return c.kind
      if (c.kind === 'split' && c.sourceId === id) return 'split-source'
    }
    return null
  }
  const maxWidth = Math.max(NODE_W, opts.width ?? 640)
  const lim = fillLimit(snap.fill)
  const limitText = lim.kind === 'count' ? `list-max-listpack-size ${snap.fill}: up to ${snap.fill} entries a node` : `list-max-listpack-size ${snap.fill}: up to ${lim.limit} bytes a node`
  const top = 20
  const placed = flow(snap.nodes.map(() => ({ width: NODE_W })), maxWidth, NODE_H, GAP, 0, top)
  const depth = snap.compressDepth
  const nodes: QuicklistNodeLayout[] = snap.nodes.map((n, i) => {
    const p = placed.placements[i]
    const inDepth = depth === 0 || n.index < depth || n.index >= snap.nodeCount - depth
    const fillFraction = n.container === 'plain' ? 1 : lim.kind === 'count' ? n.count / lim.limit : n.size / lim.limit
    const fillText = n.container === 'plain' ? `plain node: one ${n.size}-byte element` : lim.kind === 'count' ? `${n.count}/${lim.limit} entries, ${n.size} bytes` : `${n.size}/${lim.limit} bytes, ${plural(n.count, 'entry', 'entries')}`
    return {
      index: n.index,
      x: p.x,
      y: p.y,
      w: NODE_W,
      h: NODE_H,
      count: n.count,
      size: n.size,
      plain: n.container === 'plain',
      compressed: n.compressed,
      compressedSize: n.compressedSize,
      inDepth,
      fillFraction,
      fillText,
      label: `node ${n.index}${n.compressed ? ` (LZF ${n.compressedSize} B)` : ''}`,
      id: n.id,
      change: changeOf(n.id),
    }
  })
  const links: QuicklistLayout['links'] = []
  for (let i = 1; i < nodes.length; i++) {
    const a = nodes[i - 1]
    const b = nodes[i]
    if (a.y === b.y) links.push({ from: a.index, to: b.index, x1: a.x + a.w, y1: a.y + a.h / 2, x2: b.x, y2: b.y + b.h / 2 })
    // Wrapped to the next row: an elbow from the bottom of a to the top of b.
    else links.push({ from: a.index, to: b.index, x1: a.x + a.w / 2, y1: a.y + a.h, x2: b.x + b.w / 2, y2: b.y })
  }
  const before = snap.window.start
  const after = Math.max(0, snap.nodeCount - (snap.window.start + snap.nodes.length))
  const compressed = nodes.filter((n) => n.compressed).length
  return {
    nodes,
    links,
    before,
    after,
    limitText,
    width: Math.max(placed.width, 200),
    height: top + placed.height + 24,
    summary: `quicklist of ${plural(snap.nodeCount, 'node', 'nodes')} holding ${plural(snap.count, 'entry', 'entries')}, ${compressed} of the drawn nodes compressed (list-compress-depth ${depth})`,
  }
}
