// String view: robj, sds header, bytes, and the 44-byte boundary.
import type { StringSnapshot } from '../../../engine/introspect/inspect.ts'
import { DataTable } from '../DataTable.tsx'
import { layoutString } from './layout.ts'

export interface StringViewProps {
  snapshot: StringSnapshot
  /** Layout width in px (default 640). */
  width?: number
}

const H = 34

export function StringView({ snapshot, width }: StringViewProps) {
  const L = layoutString(snapshot, { width })
  const encoding = snapshot.encoding
  const b = L.boundary
  return (
    <section className="viz viz-string" data-testid="view-string" data-encoding={encoding} aria-label={`String value: ${L.summary}`}>
      <div className="viz-scroll">
        <svg role="img" aria-label={L.summary} width={L.width} height={L.height} viewBox={`0 0 ${L.width} ${L.height}`}>
          <text x={0} y={12} className="viz-muted">{L.allocations === 1 ? 'one allocation' : 'robj allocation → sds allocation'}</text>
          {L.blocks.map((blk) => (
            <g key={blk.kind} data-part={blk.kind} transform={`translate(${blk.x},${blk.y})`}>
              <title>{`${blk.label}: ${blk.detail} (${blk.bytes} bytes)`}</title>
              <rect width={blk.w} height={H} className={blk.kind === 'robj' ? 'viz-robj' : blk.kind === 'sds-header' ? 'viz-header' : blk.kind === 'nul' ? 'viz-end' : 'viz-data'} />
              <text x={4} y={14}>{blk.label}</text>
              <text x={4} y={28} className="viz-muted">{`${blk.bytes} B`}</text>
            </g>
          ))}
          {L.pointer && (
            <g aria-hidden="true">
              <line className="viz-link" x1={L.pointer.x1} y1={L.pointer.y} x2={L.pointer.x2 - 4} y2={L.pointer.y} />
              <path className="viz-arrowhead" d={`M${L.pointer.x2} ${L.pointer.y} l-6 -4 v8 z`} />
            </g>
          )}
          {L.cells.length > 0 && <text x={0} y={L.cells[0].y - 8} className="viz-muted">{`bytes ${snapshot.window.start}…${snapshot.window.start + L.cells.length - 1}`}</text>}
          {L.cells.map((c) => (
            <g key={c.index} data-entry={c.index} transform={`translate(${c.x},${c.y})`}>
              <title>{`byte ${c.index}: 0x${c.hex}`}</title>
              <rect width={24} height={28} className="viz-data" />
              <text x={4} y={12}>{c.hex}</text>
              <text x={8} y={25} className="viz-muted">{c.char}</text>
            </g>
          ))}
          {L.hiddenBytes > 0 && (
            <text x={0} y={b.y - 18} className="viz-muted">{`+${L.hiddenBytes} more bytes`}</text>
          )}
          <g transform={`translate(${b.x},${b.y})`} data-boundary={b.limit}>
            <rect width={b.w} height={10} className="viz-track" />
            <rect width={b.limitX} height={10} className="viz-ok" opacity={0.35} />
            <line className="viz-marker" x1={b.limitX} x2={b.limitX} y1={-4} y2={14} />
            <text x={b.limitX + 3} y={-4} className="viz-muted">{b.limit}</text>
            <line className="viz-marker" x1={b.markerX} x2={b.markerX} y1={0} y2={10} strokeWidth={4} />
            <text x={0} y={28}>{b.text}</text>
          </g>
        </svg>
      </div>
      {L.blocks.find((blk) => blk.kind === 'sds-header') && (
        <p className="viz-caption">{`${L.blocks.find((blk) => blk.kind === 'sds-header')!.label}: ${L.blocks.find((blk) => blk.kind === 'sds-header')!.detail}`}</p>
      )}
      <DataTable
        caption={`String layout (${L.summary})`}
        columns={['part', 'bytes', 'allocation', 'detail']}
        rows={[
          ...L.blocks.map((blk) => [blk.label, blk.bytes, blk.allocation === 0 ? 'robj' : 'sds', blk.detail]),
          ['boundary', b.limit, '', b.text],
        ]}
      />
    </section>
  )
}
