// Hashtable view: both tables while rehashing, buckets with their chains, the rehash
// index, load factors. Entries are one flat layer keyed by field, so an entry moved
// by a rehash step glides from table 0 to table 1.
import type { HashtableSnapshot } from '../../../engine/introspect/inspect.ts'
import { DataTable } from '../DataTable.tsx'
import { usePrefersReducedMotion } from '../motion.ts'
import type { ScanWalk } from '../inspector-model.ts'
import { HT_BUCKET_W, HT_ENTRY_GAP, HT_ROW_H, layoutHashtable, loadFactorText } from './layout.ts'

export interface HashtableViewProps {
  snapshot: HashtableSnapshot
  /** Chain entries drawn per bucket (default 5). */
  maxChain?: number
  /** The current HSCAN/SSCAN walk over this value: the buckets it read are highlighted. */
  scan?: ScanWalk | null
}

const H = HT_ROW_H - 6

export function HashtableView({ snapshot, maxChain, scan }: HashtableViewProps) {
  const reduced = usePrefersReducedMotion()
  const L = layoutHashtable(snapshot, { maxChain, scan })
  return (
    <section className="viz viz-hashtable" data-testid="view-hashtable" data-rehashing={L.rehashing} data-reduced-motion={reduced} aria-label={`Hashtable: ${L.summary}`}>
      <div className="viz-scroll">
        <svg role="group" aria-label={L.summary} width={L.width} height={L.height} viewBox={`0 0 ${L.width} ${L.height}`}>
          {L.tables.map((t) => (
            <g key={t.table} data-table={t.table} transform={`translate(${t.x},0)`}>
              <text x={0} y={12}>{t.title}</text>
              <text x={0} y={26} className="viz-muted">{`load factor ${loadFactorText(t.used, t.size)}`}</text>
              {t.rows.map((r) =>
                r.kind === 'bucket' ? (
                  <g
                    key={`b${r.index}`}
                    data-bucket={r.index}
                    data-table={r.table}
                    data-chain={r.chain}
                    data-scan-call={r.scanCall ?? undefined}
                    data-scan-latest={r.scanLatest || undefined}
                    transform={`translate(0,${r.y})`}
                    aria-label={`bucket ${r.index}: ${r.chain} entries${r.scanCall !== null ? `, read by scan call ${r.scanCall}` : ''}`}
                  >
                    <rect width={HT_BUCKET_W} height={H} className={[r.moved ? 'viz-moved' : 'viz-header', r.scanLatest ? 'viz-scan-latest' : r.scanCall !== null ? 'viz-scanned' : ''].join(' ')} />
                    <text x={4} y={14}>{r.index}</text>
                    {r.scanCall !== null && (
                      <text x={-5} y={14} textAnchor="end" className={r.scanLatest ? 'viz-scan-badge viz-scan-badge-latest' : 'viz-scan-badge'}>
                        {`s${r.scanCall}`}
                      </text>
                    )}
                    {r.chain > 0 && <line className="viz-link" x1={HT_BUCKET_W} x2={HT_BUCKET_W + HT_ENTRY_GAP} y1={H / 2} y2={H / 2} />}
                    {r.hiddenChain > 0 && <text x={r.moreX} y={14} className="viz-muted">{`+${r.hiddenChain}`}</text>}
                  </g>
                ) : (
                  <g key={`e${r.from}`} data-empty={`${r.from}-${r.to}`} transform={`translate(0,${r.y})`}>
                    <rect width={HT_BUCKET_W} height={H} className={r.moved ? 'viz-moved' : 'viz-gap'} />
                    <text x={HT_BUCKET_W + 6} y={14} className="viz-muted">
                      {r.from === r.to ? `bucket ${r.from} empty` : `buckets ${r.from}–${r.to} empty`}
                      {r.moved ? ' (moved)' : ''}
                    </text>
                  </g>
                ),
              )}
              {t.rehashY !== null && (
                <g data-rehash-index={L.rehashIndex} transform={`translate(0,${t.rehashY - 2})`}>
                  <title>{`rehashidx ${L.rehashIndex}: buckets above are moved to table 1`}</title>
                  <line className="viz-marker" x1={-6} x2={HT_BUCKET_W + 6} y1={0} y2={0} />
                </g>
              )}
            </g>
          ))}
          {L.entries.map((e) => (
            <g
              key={e.key}
              data-entry={e.key}
              data-table={e.table}
              data-bucket-of={e.bucket}
              className={reduced ? undefined : 'viz-anim'}
              style={{ transform: `translate(${e.x}px,${e.y}px)` }}
            >
              <title>{`${e.label}${e.value === null ? '' : ` = ${e.value}`} (table ${e.table}, bucket ${e.bucket})`}</title>
              <rect width={e.w} height={H} className="viz-data" />
              <text x={4} y={14}>{e.label}</text>
              {!e.last && <line className="viz-link" x1={e.w} x2={e.w + HT_ENTRY_GAP} y1={H / 2} y2={H / 2} aria-hidden="true" />}
            </g>
          ))}
        </svg>
      </div>
      {L.scan && (
        <div className="viz-caption" data-testid="scan-path">
          <p>
            {`${L.scan.op} walk: cursor ${L.scan.cursors}${L.scan.done ? ' (complete)' : ''}; call ${L.scan.calls} read ${L.scan.latestText}`}
            {L.scan.outside > 0 ? ` (${L.scan.outside} outside the drawn buckets)` : ''}
          </p>
          <p>{`A scan visits buckets in reverse-binary cursor order, so a table that grows or shrinks between calls still returns every element: ${L.scan.orderText}`}</p>
        </div>
      )}
      <DataTable
        caption={`Hashtable buckets (${L.summary})`}
        columns={['table', 'bucket', 'chain (first entry first)']}
        rows={L.tables.flatMap((t) => t.rows.filter((r) => r.kind === 'bucket').map((r) => [t.table, r.kind === 'bucket' ? r.index : '', L.entries.filter((e) => e.table === t.table && r.kind === 'bucket' && e.bucket === r.index).map((e) => e.label).join(' → ')]))}
      />
    </section>
  )
}
