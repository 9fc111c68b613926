// Quicklist view: the node chain, each node's fill bar, compressed nodes hatched.
import type { QuicklistSnapshot } from '../../../engine/introspect/inspect.ts'
import { DataTable } from '../DataTable.tsx'
import { layoutQuicklist } from './layout.ts'

export interface QuicklistViewProps {
  snapshot: QuicklistSnapshot
  width?: number
}

function fillClass(f: number): string {
  return f > 1 ? 'viz-over' : f >= 0.9 ? 'viz-warn' : 'viz-ok'
}

export function QuicklistView({ snapshot, width }: QuicklistViewProps) {
  const L = layoutQuicklist(snapshot, { width })
  return (
    <section className="viz viz-quicklist" data-testid="view-quicklist" aria-label={`Quicklist: ${L.summary}`}>
      <p className="viz-caption">
        {L.limitText}; list-compress-depth {snapshot.compressDepth}
        {L.before > 0 ? ` · ${L.before} nodes before the window` : ''}
        {L.after > 0 ? ` · ${L.after} nodes after` : ''}
      </p>
      <div className="viz-scroll">
        <svg role="group" aria-label={L.summary} width={L.width} height={L.height} viewBox={`0 0 ${L.width} ${L.height}`}>
          <text x={0} y={12} className="viz-muted">{L.before > 0 ? '… head' : 'head'}</text>
          {L.links.map((k) => (
            <line key={`${k.from}-${k.to}`} className="viz-link" x1={k.x1} y1={k.y1} x2={k.x2} y2={k.y2} aria-hidden="true" />
          ))}
          {L.nodes.map((n) => (
            <g
              key={n.index}
              data-node={n.index}
              data-compressed={n.compressed}
              data-count={n.count}
              transform={`translate(${n.x},${n.y})`}
              aria-label={`${n.label}: ${n.fillText}`}
            >
              <title>{`${n.label}: ${n.fillText}${n.compressed ? `, compressed to ${n.compressedSize} bytes` : n.inDepth ? '' : ', not compressed (too small to gain)'}`}</title>
              <rect width={n.w} height={n.h} className={n.compressed ? 'viz-compressed' : 'viz-node'} />
              <text x={5} y={14}>{`#${n.index}${n.plain ? ' plain' : ''}`}</text>
              <text x={5} y={28} className="viz-muted">{`${n.count} · ${n.size} B`}</text>
              {n.compressed && <text x={5} y={42}>{`LZF ${n.compressedSize} B`}</text>}
              <rect x={5} y={n.h - 12} width={n.w - 10} height={6} className="viz-track" />
              <rect x={5} y={n.h - 12} width={Math.min(1, n.fillFraction) * (n.w - 10)} height={6} className={fillClass(n.fillFraction)} />
            </g>
          ))}
        </svg>
      </div>
      <DataTable
        caption={`Quicklist nodes (${L.summary})`}
        columns={['node', 'entries', 'bytes', 'fill', 'compressed']}
        rows={L.nodes.map((n) => [n.index, n.count, n.size, n.fillText, n.compressed ? `yes, ${n.compressedSize} bytes` : 'no'])}
      />
    </section>
  )
}
