// Listpack view: the byte map, a decode panel for the hovered (or focused) entry, and
// the gauge against the conversion thresholds.
import { useState } from 'react'
import type { ListpackSnapshot } from '../../../engine/introspect/inspect.ts'
import { DataTable } from '../DataTable.tsx'
import { describeEnd, describeHeader, layoutListpack, type ListpackThresholds, type LpGauge } from './layout.ts'

export interface ListpackViewProps {
  snapshot: ListpackSnapshot
  /** Conversion thresholds for the gauge (omit to hide it). */
  thresholds?: ListpackThresholds | null
  /** Layout width in px (default 640). */
  width?: number
}

const PART_CLASS = { enc: 'viz-enc', data: 'viz-data', backlen: 'viz-backlen' } as const

function gaugeClass(f: number): string {
  return f > 1 ? 'viz-over' : f >= 0.8 ? 'viz-warn' : 'viz-ok'
}

function Gauge({ g }: { g: LpGauge }) {
  const bar = (y: number, f: number, text: string, name: string) => (
    <g transform={`translate(0,${y})`} data-gauge={name}>
      <rect width={g.w} height={10} className="viz-track" />
      <rect width={Math.min(1, f) * g.w} height={10} className={gaugeClass(f)} />
      <text x={0} y={23}>{text}</text>
    </g>
  )
  return (
    <g transform={`translate(0,${g.y})`}>
      {bar(0, g.entriesFraction, g.entriesText, 'entries')}
      {bar(30, g.valueFraction, g.valueText, 'value')}
    </g>
  )
}

export function ListpackView({ snapshot, thresholds, width }: ListpackViewProps) {
  const L = layoutListpack(snapshot, { width, thresholds })
  const [focus, setFocus] = useState<string | null>(null)
  const H = L.rowHeight - 14
  const hovered = focus === 'header' ? describeHeader(L) : focus === 'end' ? describeEnd(L) : (L.entries.find((e) => `e${e.offset}` === focus)?.decode ?? null)
  const hoverProps = (id: string) => ({
    tabIndex: 0,
    onMouseEnter: () => setFocus(id),
    onFocus: () => setFocus(id),
    onMouseLeave: () => setFocus((f) => (f === id ? null : f)),
    onBlur: () => setFocus((f) => (f === id ? null : f)),
  })
  return (
    <section className="viz viz-listpack" data-testid="view-listpack" aria-label={`Listpack: ${L.summary}`}>
      <div className="viz-scroll">
        <svg role="group" aria-label={L.summary} width={L.width} height={L.height} viewBox={`0 0 ${L.width} ${L.height}`}>
          <g transform={`translate(${L.header.x},${L.header.y})`} data-part="header" className={focus === 'header' ? 'viz-hover' : undefined} {...hoverProps('header')} aria-label={`header: total bytes ${L.header.totalBytes}, count ${L.header.countText}`}>
            <rect width={L.header.w} height={H} className="viz-header" />
            <line x1={L.header.countX} x2={L.header.countX} y1={0} y2={H} />
            <text x={3} y={16}>{L.header.totalBytes}</text>
            <text x={L.header.countX + 3} y={16}>{L.header.count}</text>
            <text x={3} y={H + 11} className="viz-muted">total</text>
            <text x={L.header.countX + 3} y={H + 11} className="viz-muted">count</text>
          </g>
          {L.gapBefore && (
            <g transform={`translate(${L.gapBefore.x},${L.gapBefore.y})`} data-gap="before">
              <rect width={L.gapBefore.w} height={H} className="viz-gap" />
              <text x={4} y={16} className="viz-muted">{`…${L.gapBefore.entries}`}</text>
            </g>
          )}
          {L.entries.map((e) => (
            <g
              key={e.offset}
              data-entry={e.index}
              data-offset={e.offset}
              data-encoding={e.encoding}
              transform={`translate(${e.x},${e.y})`}
              className={focus === `e${e.offset}` ? 'viz-hover' : undefined}
              aria-label={`entry ${e.index} at byte ${e.offset}: ${e.text}, ${e.encoding}, ${e.size} bytes`}
              {...hoverProps(`e${e.offset}`)}
            >
              <rect width={e.w} height={H} fill="none" />
              {e.parts.map((p) => (
                <g key={p.kind} transform={`translate(${p.x},0)`}>
                  <rect width={p.w} height={H} className={PART_CLASS[p.kind]} />
                </g>
              ))}
              <text x={3} y={16}>{e.label}</text>
              {e.w >= 7 * (String(e.offset).length + 1) && <text x={3} y={H + 11} className="viz-muted">{`@${e.offset}`}</text>}
            </g>
          ))}
          {L.gapAfter && (
            <g transform={`translate(${L.gapAfter.x},${L.gapAfter.y})`} data-gap="after">
              <rect width={L.gapAfter.w} height={H} className="viz-gap" />
              <text x={4} y={16} className="viz-muted">{`${L.gapAfter.entries}…`}</text>
            </g>
          )}
          <g transform={`translate(${L.end.x},${L.end.y})`} data-part="end" className={focus === 'end' ? 'viz-hover' : undefined} {...hoverProps('end')} aria-label={`end byte at ${L.end.offset}`}>
            <rect width={L.end.w} height={H} className="viz-end" />
            <text x={2} y={16}>ff</text>
          </g>
          {L.gauge && <Gauge g={L.gauge} />}
        </svg>
      </div>
      <p className="viz-decode" aria-live="polite">
        {hovered ? hovered.join('\n') : 'Hover or focus an entry to see how its bytes decode.'}
      </p>
      <DataTable
        caption={`Listpack entries (${L.summary})`}
        columns={['index', 'offset', 'value', 'encoding', 'encoding bytes', 'data bytes', 'back-length', 'size']}
        rows={[
          ['header', 0, `total ${L.header.totalBytes}, count ${L.header.countText}`, 'u32 + u16', 6, 0, '', 6],
          ...L.entries.map((e) => [e.index, e.offset, e.text, e.encoding, e.parts[0].hex, e.parts.find((p) => p.kind === 'data')?.hex ?? '', e.parts[e.parts.length - 1].hex, e.size]),
          ['end', L.end.offset, '', '0xff', 1, 0, '', 1],
        ]}
      />
      {L.gauge && (
        <p className="viz-caption">
          {L.gauge.entriesText}; {L.gauge.valueText}
          {L.gauge.over ? ' (over a threshold: the next write converts)' : ''}
        </p>
      )}
    </section>
  )
}
