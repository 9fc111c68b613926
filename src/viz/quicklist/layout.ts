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

export function layoutQuicklist(snap: QuicklistSnapshot, opts: { width?: number } = {}): QuicklistLayout {
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
