// Intset view: header, the sorted array, and the upgrade: when an 'intset-upgrade'
// event is given, cells start at their old width and widen (keyed by value).
import { useLayoutEffect, useState } from 'react'
import type { IntsetSnapshot } from '../../../engine/introspect/inspect.ts'
import { DataTable } from '../DataTable.tsx'
import { usePrefersReducedMotion } from '../motion.ts'
import { layoutIntset } from './layout.ts'

export interface IntsetViewProps {
  snapshot: IntsetSnapshot
  /** The latest 'intset-upgrade' event for this key, if the view should play it. */
  upgrade?: { from: number; to: number } | null
  /** set-max-intset-entries. */
  maxEntries?: number | null
  width?: number
}

export function IntsetView({ snapshot, upgrade, maxEntries, width }: IntsetViewProps) {
  const reduced = usePrefersReducedMotion()
  const L = layoutIntset(snapshot, { width, upgrade, maxEntries })
  const playing = upgrade != null && !reduced
  // 'from' for one frame, then 'to': the CSS transition animates between them.
  const [phase, setPhase] = useState<'from' | 'to'>('to')
  const upgradeKey = upgrade ? `${upgrade.from}>${upgrade.to}:${snapshot.length}` : ''
  useLayoutEffect(() => {
    if (!playing) return
    setPhase('from')
    const id = requestAnimationFrame(() => requestAnimationFrame(() => setPhase('to')))
    return () => cancelAnimationFrame(id)
  }, [playing, upgradeKey])
  const atFrom = playing && phase === 'from'
  return (
    <section className="viz viz-intset" data-testid="view-intset" data-reduced-motion={reduced} aria-label={`Intset: ${L.summary}`}>
      <div className="viz-scroll">
        <svg role="group" aria-label={L.summary} width={L.svgWidth} height={L.height} viewBox={`0 0 ${L.svgWidth} ${L.height}`}>
          <g data-part="header">
            <rect width={L.header.w} height={22} className="viz-header" />
            <text x={4} y={15}>{`encoding ${L.width}`}</text>
            <rect x={L.header.w + 4} width={L.header.w} height={22} className="viz-header" />
            <text x={L.header.w + 8} y={15}>{`length ${snapshot.length}`}</text>
            <text x={0} y={38} className="viz-muted">
              {L.rangeText}
              {L.fromWidth !== null ? ` (was ${L.fromWidth} bytes)` : ''}
              {L.maxEntries ? ` · ${snapshot.length}/${L.maxEntries} set-max-intset-entries` : ''}
            </text>
          </g>
          {L.cells.map((c) => (
            <g
              key={c.value}
              data-entry={c.index}
              data-value={c.value}
              className={playing ? 'viz-anim' : undefined}
              style={{ transform: `translate(${atFrom ? c.fromX : c.x}px,${atFrom ? c.fromY : c.y}px)` }}
              aria-label={`${c.value} at index ${c.index}`}
            >
              <title>{`${c.value}: bytes ${c.hex}`}</title>
              <rect width={atFrom ? c.fromW : c.w} height={34} className={c.isNew ? 'viz-new' : 'viz-data'} />
              <text x={4} y={14}>{c.value}</text>
              <text x={4} y={28} className="viz-muted">{c.hex.replace(/ /g, '')}</text>
            </g>
          ))}
        </svg>
      </div>
      {L.hidden > 0 && <p className="viz-caption">{`${L.hidden} more values outside the window`}</p>}
      <DataTable caption={`Intset values (${L.summary})`} columns={['index', 'value', 'bytes (little-endian)']} rows={L.cells.map((c) => [c.index, c.value, c.hex])} />
    </section>
  )
}
