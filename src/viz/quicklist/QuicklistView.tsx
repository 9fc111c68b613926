// Quicklist view: the node chain, each node's fill bar, compressed nodes hatched.
import type { QuicklistSnapshot } from '../../../engine/introspect/inspect.ts'
import { DataTable } from '../DataTable.tsx'
import { layoutQuicklist, quicklistChanges } from './layout.ts'

export interface QuicklistViewProps {
  snapshot: QuicklistSnapshot
  /** The snapshot before the last command (same key): new and split nodes are highlighted. */
  previous?: QuicklistSnapshot | null
  width?: number
}

function fillClass(f: number): string {
  return f > 1 ? 'viz-over' : f >= 0.9 ? 'viz-warn' : 'viz-ok'
}

export function QuicklistView({ snapshot, previous, width }: QuicklistViewProps) {
  const changes = quicklistChanges(previous ?? null, snapshot)
  const L = layoutQuicklist(snapshot, { width, changes })
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
              key={n.id || `i${n.index}`}
              className={n.change ? 'viz-pop' : undefined}
              data-node={n.index}
              data-node-id={n.id}
              data-change={n.change ?? undefined}
              data-compressed={n.compressed}
              data-count={n.count}
              transform={`translate(${n.x},${n.y})`}
              aria-label={`${n.label}: ${n.fillText}`}
            >
              <title>{`${n.label}: ${n.fillText}${n.compressed ? `, compressed to ${n.compressedSize} bytes` : n.inDepth ? '' : ', not compressed (too small to gain)'}`}</title>
              <rect width={n.w} height={n.h} className={[n.compressed ? 'viz-compressed' : 'viz-node', n.change === 'created' || n.change === 'split' ? 'viz-new' : '', n.change ? 'viz-changed' : ''].join(' ')} />
              <text x={5} y={14}>{`#${n.index}${n.plain ? ' plain' : ''}`}</text>
              {n.change && <text x={n.w - 5} y={14} textAnchor="end" className="viz-change-tag">{n.change === 'created' ? 'new' : 'split'}</text>}
              <text x={5} y={28} className="viz-muted">{`${n.count} · ${n.size} B`}</text>
              {n.compressed && <text x={5} y={42}>{`LZF ${n.compressedSize} B`}</text>}
              <rect x={5} y={n.h - 12} width={n.w - 10} height={6} className="viz-track" />
              <rect x={5} y={n.h - 12} width={Math.min(1, n.fillFraction) * (n.w - 10)} height={6} className={fillClass(n.fillFraction)} />
            </g>
          ))}
        </svg>
      </div>
      {changes.length > 0 && (
        <p className="viz-caption viz-change-text" data-testid="quicklist-change" role="status">
          {changes.map((c) => c.text).join('; ')}
        </p>
      )}
      <DataTable
        caption={`Quicklist nodes (${L.summary})`}
        columns={['node', 'entries', 'bytes', 'fill', 'compressed']}
        rows={L.nodes.map((n) => [n.index, n.count, n.size, n.fillText, n.compressed ? `yes, ${n.compressedSize} bytes` : 'no'])}
      />
    </section>
  )
}
