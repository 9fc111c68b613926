// Conversion stage layout: when a value changes encoding (an 'encoding-converted'
// trace event), its elements move from where the old encoding kept them (listpack or
// intset order) to where the new one keeps them (hashtable buckets, skiplist ranks,
// listpack order). Each element is keyed by its member/field, so the view can glide
// it from one place to the other. Pure arithmetic.
import type { ValueSnapshot } from '../../../engine/introspect/inspect.ts'
import { byteLabel, flow, plural } from '../common.ts'
import type { ConversionEvent } from '../inspector-model.ts'

export interface ConversionChip {
  /** The element (field, member, integer): its identity. */
  key: string
  label: string
  /** Where it sat in the old encoding; null for an element that was not there (the one that caused the conversion). */
  from: { x: number; y: number } | null
  to: { x: number; y: number }
  /** Arrived with the converting command. */
  isNew: boolean
  /** Order of the move (for a staggered start). */
  order: number
  /** Its place in the new encoding: "b12" (bucket), "r3" (rank), "lp" (listpack order). */
  group: string
  /** Its position in the old encoding's order, null when new. */
  fromIndex: number | null
}

export interface ConversionGroup {
  label: string
  x: number
  y: number
  w: number
  /** Skiplist levels of the node (towers), else 0. */
  levels: number
}

export interface ConversionLayout {
  title: string
  reason: string
  fromLabel: string
  toLabel: string
  fromY: number
  toY: number
  chips: ConversionChip[]
  /** The old places, drawn as empty slots once the elements have left them. */
  slots: { key: string; x: number; y: number }[]
  groups: ConversionGroup[]
  /** Width of a group's label (chips start after it). */
  labelW: number
  /** Elements left out of the drawing. */
  hidden: number
  width: number
  height: number
  summary: string
}

export interface ConversionLayoutOptions {
  width?: number
  /** Elements drawn at most (default 40). */
  maxChips?: number
}

export const CHIP_W = 66
export const CHIP_H = 20
const GAP = 4
const LABEL_W = 38
const SECTION_GAP = 34
const LEVEL_H = 5

/** The elements of a value in the order its encoding keeps them (fields of a hash, members of a zset). */
export function orderedElements(v: ValueSnapshot): string[] {
  switch (v.encoding) {
    case 'listpack':
      // Hashes and zsets keep pairs: the field/member is the first of each.
      return v.entries.filter((_, i) => i % 2 === 0).map((e) => e.value)
    case 'intset':
      return v.values
    case 'skiplist':
      return v.skiplist.nodes.map((n) => n.member)
    case 'hashtable':
      return v.tables.flatMap((t) => t.buckets.flatMap((b) => b.entries.map((e) => e.key)))
    default:
      return []
  }
}

/** The snapshot holds every element (not only a window of them). */
export function isWhole(v: ValueSnapshot): boolean {
  switch (v.encoding) {
    case 'listpack':
      return v.entries.length === v.length
    case 'intset':
      return v.values.length === v.length
    case 'skiplist':
      return v.skiplist.nodes.length === v.skiplist.length
    case 'hashtable':
      return v.window.start === 0 && v.tables.every((t) => t.size <= v.window.count)
    default:
      return false
  }
}

/** Where each element sits in the new encoding: a group (bucket, node, the listpack) per element. */
function targets(v: ValueSnapshot): Map<string, { group: string; order: number; levels: number; depth: number }> {
  const out = new Map<string, { group: string; order: number; levels: number; depth: number }>()
  if (v.encoding === 'hashtable') {
    v.tables.forEach((t, ti) =>
      t.buckets.forEach((b) => b.entries.forEach((e, depth) => out.set(e.key, { group: `${v.tables.length > 1 ? `t${ti} ` : ''}b${b.index}`, order: ti * 1e9 + b.index, levels: 0, depth }))),
    )
  } else if (v.encoding === 'skiplist') {
    for (const n of v.skiplist.nodes) out.set(n.member, { group: `r${n.rank}`, order: n.rank, levels: n.height, depth: 0 })
  } else {
    orderedElements(v).forEach((k, i) => out.set(k, { group: 'lp', order: i, levels: 0, depth: i }))
  }
  return out
}

export function layoutConversion(e: ConversionEvent, from: ValueSnapshot | null, to: ValueSnapshot, opts: ConversionLayoutOptions = {}): ConversionLayout {
  const width = Math.max(260, opts.width ?? 640)
  const max = opts.maxChips ?? 40
  const before = from ? orderedElements(from) : []
  const where = targets(to)
  const known = new Set(before)
  // The drawn elements: the old ones first (in their old order), then up to 3 newcomers
  // (known only when the old snapshot held the whole value).
  const drawn = before.filter((k) => where.has(k)).slice(0, max)
  const newcomers = from === null ? [...where.keys()].slice(0, max) : isWhole(from) ? [...where.keys()].filter((k) => !known.has(k)).slice(0, 3) : []
  const all = [...drawn, ...newcomers]
  const total = Math.max(where.size, before.length)
  const top = 16
  // Old encoding: one flow of chips in stored order.
  const fromFlow = flow(drawn.map(() => ({ width: CHIP_W })), width, CHIP_H, GAP, 0, top)
  const fromPos = new Map(drawn.map((k, i) => [k, fromFlow.placements[i]]))
  const toY = top + Math.max(fromFlow.height, CHIP_H) + SECTION_GAP
  // New encoding: groups (buckets / nodes) in their order, each a label and its chips.
  const byGroup = new Map<string, { order: number; levels: number; keys: string[] }>()
  for (const k of all) {
    const t = where.get(k)!
    const g = byGroup.get(t.group) ?? { order: t.order, levels: t.levels, keys: [] }
    g.keys.push(k)
    byGroup.set(t.group, g)
  }
  // Groups in bucket / rank order; inside a bucket, the chain's order.
  for (const g of byGroup.values()) g.keys.sort((a, b) => where.get(a)!.depth - where.get(b)!.depth)
  const groupsSorted = [...byGroup.entries()].sort((a, b) => a[1].order - b[1].order)
  const isSkiplist = to.encoding === 'skiplist'
  const isList = to.encoding === 'listpack'
  // Bucket labels name the table too while the new dict rehashes ("t1 b12").
  const labelW = isList ? 0 : to.encoding === 'hashtable' && to.tables.length > 1 ? LABEL_W + 16 : LABEL_W
  const towerH = isSkiplist ? Math.max(...groupsSorted.map(([, g]) => g.levels), 1) * LEVEL_H + 4 : 0
  const rowH = CHIP_H + towerH
  const groupFlow = flow(groupsSorted.map(([, g]) => ({ width: labelW + g.keys.length * (CHIP_W + GAP) })), width, rowH, GAP + 2, 0, toY + 14)
  const groups: ConversionGroup[] = []
  const toPos = new Map<string, { x: number; y: number }>()
  groupsSorted.forEach(([label, g], i) => {
    const p = groupFlow.placements[i]
    groups.push({ label, x: p.x, y: p.y + towerH, w: labelW + g.keys.length * (CHIP_W + GAP) - GAP, levels: g.levels })
    g.keys.forEach((k, j) => toPos.set(k, { x: p.x + labelW + j * (CHIP_W + GAP), y: p.y + towerH }))
  })
  const chips: ConversionChip[] = all.map((k, i) => {
    const f = fromPos.get(k)
    const fi = before.indexOf(k)
    return { key: k, label: byteLabel(k, 9), from: f ? { x: f.x, y: f.y } : null, to: toPos.get(k)!, isNew: !known.has(k) && from !== null, order: i, group: where.get(k)!.group, fromIndex: fi === -1 ? null : fi }
  })
  const height = toY + 14 + Math.max(groupFlow.height, CHIP_H) + 8
  const what = e.valueType === 'hash' ? ['field', 'fields'] : e.valueType === 'zset' ? ['member', 'members'] : ['member', 'members']
  return {
    title: `${e.valueType}: ${e.from} → ${e.to}`,
    reason: e.reason,
    fromLabel: `before: ${e.from}`,
    toLabel: `after: ${e.to}${to.encoding === 'hashtable' ? ' (by bucket)' : to.encoding === 'skiplist' ? ' (by rank, towers are levels)' : ''}`,
    fromY: top - 4,
    toY,
    chips,
    slots: drawn.map((k) => ({ key: k, x: fromPos.get(k)!.x, y: fromPos.get(k)!.y })),
    groups,
    labelW,
    hidden: Math.max(0, total - all.length),
    width: Math.max(fromFlow.width, groupFlow.width, 200) + 2,
    height,
    summary: `${e.valueType} converted from ${e.from} to ${e.to} because ${e.reason}; ${plural(chips.length, what[0], what[1])} drawn moving to their new places`,
  }
}
