// Conversion stage: the reason in words, then each element glides from its place in
// the old encoding to its place in the new one (keyed by element; CSS transitions on
// transform, staggered). Under reduced motion the end state is drawn at once.
import { useLayoutEffect, useState, type CSSProperties } from 'react'
import type { ValueSnapshot } from '../../../engine/introspect/inspect.ts'
import type { ConversionEvent } from '../inspector-model.ts'
import { DataTable } from '../DataTable.tsx'
import { usePrefersReducedMotion } from '../motion.ts'
import { CHIP_H, CHIP_W, layoutConversion } from './layout.ts'

export interface ConversionViewProps {
  event: ConversionEvent
  /** The value before the converting command (null when unknown). */
  from: ValueSnapshot | null
  /** The value after it (a wide window, so the moved elements are found). */
  to: ValueSnapshot
  width?: number
}

const LEVEL_H = 5

export function ConversionView({ event, from, to, width }: ConversionViewProps) {
  const reduced = usePrefersReducedMotion()
  const L = layoutConversion(event, from, to, { width })
  const [phase, setPhase] = useState<'from' | 'to'>(reduced ? 'to' : 'from')
  useLayoutEffect(() => {
    if (reduced) {
      setPhase('to')
      return
    }
    setPhase('from')
    let id = requestAnimationFrame(() => {
      id = requestAnimationFrame(() => setPhase('to'))
    })
    return () => cancelAnimationFrame(id)
  }, [reduced, event])
  const atFrom = phase === 'from'
  return (
    <section className="viz viz-conversion" data-testid="conversion" data-phase={phase} data-reduced-motion={reduced} aria-label={`Conversion: ${L.summary}`}>
      <p className="viz-conversion-title">
        <strong>{L.title}</strong>{' '}
        <span data-testid="conversion-reason">{L.reason}</span>
      </p>
      <div className="viz-scroll">
        <svg role="img" aria-label={L.summary} width={L.width} height={L.height} viewBox={`0 0 ${L.width} ${L.height}`}>
          <text x={0} y={L.fromY} className="viz-muted">{L.fromLabel}</text>
          <text x={0} y={L.toY} className="viz-muted">{L.toLabel}</text>
          {L.slots.map((s) => (
            <rect key={`slot:${s.key}`} x={s.x} y={s.y} width={CHIP_W} height={CHIP_H} className="viz-gap" aria-hidden="true" />
          ))}
          {L.groups.map((g) => (
            <g key={g.label} data-group={g.label} transform={`translate(${g.x},${g.y})`} className={reduced ? undefined : 'viz-fade-in'}>
              {g.label !== 'lp' && <text x={0} y={14} className="viz-muted">{g.label}</text>}
              {Array.from({ length: g.levels }, (_, l) => (
                <rect key={l} x={L.labelW} y={-(l + 1) * LEVEL_H - 2} width={CHIP_W} height={LEVEL_H - 1} className="viz-level" />
              ))}
            </g>
          ))}
          {L.chips.map((c) => {
            const p = atFrom && c.from ? c.from : c.to
            const style: CSSProperties = {
              transform: `translate(${p.x}px,${p.y}px)`,
              opacity: atFrom && c.from === null ? 0 : 1,
              transitionDelay: reduced ? undefined : `${Math.min(c.order * 25, 900)}ms`,
            }
            return (
              <g key={c.key} data-chip={c.key} data-new={c.isNew || undefined} className={reduced ? undefined : 'viz-glide'} style={style}>
                <title>{c.key}</title>
                <rect width={CHIP_W} height={CHIP_H} className={c.isNew ? 'viz-new' : 'viz-data'} />
                <text x={4} y={14}>{c.label}</text>
              </g>
            )
          })}
        </svg>
      </div>
      {L.hidden > 0 && <p className="viz-caption">{`${L.hidden} more not drawn`}</p>}
      <DataTable
        caption={`Conversion ${L.title}: ${L.reason}`}
        columns={['element', 'before', 'after']}
        rows={L.chips.map((c) => [c.label, c.fromIndex === null ? '(new)' : `${event.from} #${c.fromIndex}`, `${event.to} ${c.group === 'lp' ? 'in order' : c.group}`])}
      />
    </section>
  )
}
