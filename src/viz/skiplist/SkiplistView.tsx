// Skiplist view: header, node towers, forward pointers with spans, NIL; the search
// path revealed level by level; the inserted node and the level drawn for it; paging
// through a windowed snapshot. Nodes are keyed by member and links by source member +
// level, so an insert slides the others along instead of redrawing them.
import { useEffect, useId, useRef, useState } from 'react'
import type { SearchStep } from '../../../engine/structures/skiplist.ts'
import type { ZsetSkiplistSnapshot } from '../../../engine/introspect/inspect.ts'
import { byteLabel } from '../common.ts'
import { DataTable } from '../DataTable.tsx'
import { usePrefersReducedMotion } from '../motion.ts'
import { describePath, layoutSkiplist } from './layout.ts'

export interface SkiplistViewProps {
  snapshot: ZsetSkiplistSnapshot
  /** Path of the latest 'skiplist-search' event for this key. */
  searchPath?: readonly SearchStep[] | null
  /** What the search was for ('zscore', 'zrank', 'zadd', ...), shown beside the path. */
  searchOp?: string | null
  /** Member of the latest 'skiplist-insert' event, and the level drawn for it. */
  inserted?: { member: string; level: number } | null
  /** Ask for another window (1-based first rank); without it no paging buttons are shown. */
  onWindowChange?: (fromRank: number) => void
  /** Nodes per page for the paging buttons (default: the snapshot's window count). */
  pageSize?: number
  /** The server's fixed random seed, if any, and a way to set one (for a class to share levels). */
  seed?: number | null
  onSeedChange?: (seed: number | null) => void
  /** Milliseconds per path step (default 280). */
  stepMs?: number
}

export function SkiplistView({ snapshot, searchPath, searchOp, inserted, onWindowChange, pageSize, seed, onSeedChange, stepMs = 280 }: SkiplistViewProps) {
  const reduced = usePrefersReducedMotion()
  const sl = snapshot.skiplist
  const L = layoutSkiplist(sl, { searchPath, insertedMember: inserted?.member ?? null })
  const markerId = `viz-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  // Reveal the path one step at a time; all at once under reduced motion.
  const total = L.segments.length
  const [shown, setShown] = useState(total)
  const pathKey = L.segments.map((s) => s.id).join('|')
  useEffect(() => {
    if (reduced || total === 0) {
      setShown(total)
      return
    }
    setShown(0)
    let n = 0
    const id = setInterval(() => {
      n++
      setShown(n)
      if (n >= total) clearInterval(id)
    }, stepMs)
    return () => clearInterval(id)
  }, [pathKey, reduced, total, stepMs])
  const visibleStep = reduced ? total : shown
  // Page by what is drawn (the layout caps the nodes), so no rank is skipped.
  const drawn = L.columns.filter((c) => c.kind === 'node').length
  const page = Math.max(1, Math.min(pageSize ?? sl.window.count, drawn || 1))
  const from = sl.window.fromRank
  const [seedText, setSeedText] = useState(seed == null ? '' : String(seed))
  const anim = reduced ? undefined : 'viz-anim'
  // Bring the end of the search path (or the inserted node) into view in a wide window.
  const scroller = useRef<HTMLDivElement>(null)
  const focusX = L.path.length > 0 ? L.path[L.path.length - 1].x : (L.columns.find((c) => c.inserted)?.x ?? null)
  useEffect(() => {
    const el = scroller.current
    if (!el || focusX === null || typeof el.scrollTo !== 'function') return
    const want = Math.max(0, focusX - el.clientWidth / 2)
    if (focusX < el.scrollLeft + 40 || focusX > el.scrollLeft + el.clientWidth - 40) el.scrollTo({ left: want, behavior: reduced ? 'auto' : 'smooth' })
  }, [focusX, pathKey, reduced])
  return (
    <section className="viz viz-skiplist" data-testid="view-skiplist" data-reduced-motion={reduced} aria-label={`Skiplist: ${L.summary}`}>
      <p className="viz-caption">
        {`${sl.length} members, ${sl.level} levels; dict ${snapshot.dict.used}/${snapshot.dict.size}`}
        {inserted ? ` · inserted ${inserted.member} at level ${inserted.level}` : ''}
        {searchPath && searchPath.length > 0 ? ` · ${searchOp ?? 'search'} walked ${searchPath.length} steps` : ''}
      </p>
      {(onWindowChange || onSeedChange) && (
        <div className="viz-controls">
          {onWindowChange && (
            <>
              <button type="button" disabled={from <= 1} onClick={() => onWindowChange(Math.max(1, from - page))}>
                Earlier ranks
              </button>
              <button type="button" disabled={from + drawn > sl.length} onClick={() => onWindowChange(from + page)}>
                Later ranks
              </button>
            </>
          )}
          {onSeedChange && (
            <form
              onSubmit={(ev) => {
                ev.preventDefault()
                const t = seedText.trim()
                onSeedChange(t === '' ? null : Number(t))
              }}
            >
              <label>
                Random seed{' '}
                <input type="number" inputMode="numeric" value={seedText} onChange={(ev) => setSeedText(ev.target.value)} placeholder="random" style={{ width: '8em' }} />
              </label>{' '}
              <button type="submit">Fix seed</button>{' '}
              <span className="viz-muted-text">Fix a seed and a class sees one structure: same seed, same levels (for the inserts that follow).</span>
            </form>
          )}
        </div>
      )}
      <div className="viz-scroll" ref={scroller}>
        <svg role="group" aria-label={L.summary} width={L.width} height={L.height} viewBox={`0 0 ${L.width} ${L.height}`}>
          <defs>
            <marker id={markerId} viewBox="0 0 8 8" refX={8} refY={4} markerWidth={7} markerHeight={7} markerUnits="userSpaceOnUse" orient="auto">
              <path d="M0 0 L8 4 L0 8 z" className="viz-arrowhead" />
            </marker>
          </defs>
          {L.links.map((k) => {
            const d = `M${k.x1} ${k.y} H${k.x2 - 2}`
            return (
              <g key={k.id} data-link={k.id} data-span={k.span}>
                <path d={d} className={k.onPath && visibleStep > 0 ? 'viz-link viz-path' : `viz-link ${anim ?? ''}`} markerEnd={`url(#${markerId})`} />
                <text className={`viz-muted ${anim ?? ''}`} style={{ transform: `translate(${(k.x1 + k.x2) / 2 - 4}px,${k.y - 4}px)` }}>
                  {k.span}
                </text>
              </g>
            )
          })}
          {L.columns.map((c) => {
            const key = c.kind === 'node' ? `m:${c.member}` : c.kind
            const isNode = c.kind === 'node'
            return (
              <g
                key={key}
                className={anim}
                style={{ transform: `translate(${c.x}px,0px)` }}
                data-node={isNode ? c.rank : undefined}
                data-level={isNode ? c.height : undefined}
                data-member={isNode ? (c.member ?? undefined) : undefined}
                data-column={c.kind}
                aria-label={isNode ? `rank ${c.rank}: ${c.label}, score ${c.score}, ${c.height} levels` : c.label}
              >
                {Array.from({ length: c.height }, (_, level) => (
                  <rect
                    key={level}
                    y={L.levelY(level)}
                    width={L.boxW}
                    height={L.boxH}
                    className={[
                      c.kind === 'header' || c.kind === 'before' ? 'viz-header' : c.kind === 'node' ? (c.inserted ? 'viz-new' : 'viz-node') : 'viz-gap',
                      L.visited.has(`${c.rank}:${level}`) ? 'viz-visited' : '',
                    ].join(' ')}
                  />
                ))}
                {c.kind === 'nil' && Array.from({ length: c.height }, (_, level) => (
                  <text key={`t${level}`} x={6} y={L.levelY(level) + 14}>NIL</text>
                ))}
                <text x={0} y={L.labelY}>{c.label}</text>
                {isNode && <text x={0} y={L.labelY + 13} className="viz-muted">{`${c.score} · r${c.rank}`}</text>}
                {c.inserted && (
                  <text x={0} y={L.labelY + 26} className="viz-change-tag">
                    {`level ${c.height} drawn`}
                  </text>
                )}
              </g>
            )
          })}
          {L.segments.map((s) => (
            <line key={s.id} data-step={s.step} className="viz-path viz-step" x1={s.x1} y1={s.y1} x2={s.x2} y2={s.y2} opacity={s.order < visibleStep ? 1 : 0} />
          ))}
        </svg>
      </div>
      {searchPath && searchPath.length > 0 && (
        <ol className="viz-caption" aria-label="Search path">
          {describePath(searchPath).map((line, i) => (
            <li key={`${i}:${line}`}>{line}</li>
          ))}
        </ol>
      )}
      <DataTable
        caption={`Skiplist nodes (${L.summary})`}
        columns={['rank', 'member', 'score', 'levels', 'spans (level 1 up)']}
        rows={sl.nodes.map((n) => [n.rank, byteLabel(n.member, 40), n.score, n.height, n.links.map((l) => `${l.span}→${l.forwardMember ?? 'NIL'}`).join(', ')])}
      />
    </section>
  )
}
