// The key inspector: type, encoding, TTL (counting down), MEMORY USAGE, a banner
// for the latest conversion with its reason, and the view of the encoding.
import { useEffect, useState, type ReactNode } from 'react'
import type { InspectWindow, KeySnapshot, ValueSnapshot } from '../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'
import { byteLabel } from './common.ts'
import { conversionText, formatTtl, keyEvents, thresholdsFor, viewFor, DEFAULT_VIZ_CONFIG, type VizConfig } from './inspector-model.ts'
import { ConversionView } from './conversion/ConversionView.tsx'
import { HashtableView } from './hashtable/HashtableView.tsx'
import { IntsetView } from './intset/IntsetView.tsx'
import { ListpackView } from './listpack/ListpackView.tsx'
import { QuicklistView } from './quicklist/QuicklistView.tsx'
import { SkiplistView } from './skiplist/SkiplistView.tsx'
import { StringView } from './string/StringView.tsx'
import './viz.css'

export interface InspectorProps {
  /** The latest inspect() result for the selected key; null when the key does not exist. */
  snapshot: KeySnapshot | null
  /** Recent trace events (any key, arrival order); the inspector picks this key's. */
  events?: readonly TraceEvent[]
  /** Threshold config values (CONFIG GET); Redis 7.0 defaults for those left out. */
  config?: Partial<VizConfig>
  /** Ask for another window of the value (re-run inspect with it). */
  onWindowChange?: (window: InspectWindow) => void
  /** Skiplist random seed control, passed to the skiplist view. */
  seed?: number | null
  onSeedChange?: (seed: number | null) => void
  /** Layout width for the views (px, default 640). */
  width?: number
  /** The snapshot of the same key before the last command: conversions and quicklist changes are drawn against it. */
  previous?: KeySnapshot | null
  /** A wide snapshot of the value after a conversion (every bucket / rank), for the conversion stage; else `snapshot` is used. */
  conversionTarget?: ValueSnapshot | null
}

/** Counts a TTL down between snapshots (the next snapshot resets it). */
function useTtl(ttlMs: number | undefined, snapshot: unknown): number | undefined {
  const [state, setState] = useState<{ snap: unknown; at: number; now: number }>(() => ({ snap: snapshot, at: Date.now(), now: Date.now() }))
  const fresh = state.snap === snapshot ? state : { snap: snapshot, at: Date.now(), now: Date.now() }
  if (fresh !== state) setState(fresh)
  const live = ttlMs !== undefined && ttlMs >= 0
  useEffect(() => {
    if (!live) return
    const id = setInterval(() => setState((s) => ({ ...s, now: Date.now() })), 250)
    return () => clearInterval(id)
  }, [live, snapshot])
  if (ttlMs === undefined || ttlMs < 0) return ttlMs
  return Math.max(0, ttlMs - (fresh.now - fresh.at))
}

/** The conversion the last command made, when `previous` shows the value before it. */
export function freshConversion(ev: ReturnType<typeof keyEvents>, snapshot: KeySnapshot, previous: KeySnapshot | null | undefined) {
  const c = ev.conversion
  if (!c || !previous || previous.db !== snapshot.db || previous.key !== snapshot.key) return null
  return previous.encoding === c.from && snapshot.encoding === c.to ? c : null
}

export function Inspector({ snapshot, events = [], config, onWindowChange, seed, onSeedChange, width, previous, conversionTarget }: InspectorProps) {
  const ttl = useTtl(snapshot?.ttlMs, snapshot)
  if (snapshot === null) {
    return (
      <section className="viz viz-inspector" data-testid="inspector" aria-label="Key inspector">
        <p className="viz-caption">No such key.</p>
      </section>
    )
  }
  const cfg = { ...DEFAULT_VIZ_CONFIG, ...config }
  const ev = keyEvents(events, snapshot.db, snapshot.key)
  const v = snapshot.value
  const kind = viewFor(v.encoding)
  const fresh = freshConversion(ev, snapshot, previous)
  const page = (start: number) => onWindowChange?.({ start, count: v.encoding === 'skiplist' ? v.skiplist.window.count : 'window' in v ? v.window.count : 256 })
  let view: ReactNode = <p className="viz-caption">{`No view for encoding ${snapshot.encoding} yet.`}</p>
  switch (v.encoding) {
    case 'int':
    case 'embstr':
    case 'raw':
      view = <StringView snapshot={v} width={width} />
      break
    case 'listpack':
      view = <ListpackView snapshot={v} thresholds={thresholdsFor(snapshot.type, cfg)} width={width} />
      break
    case 'intset':
      view = <IntsetView snapshot={v} upgrade={ev.upgrade} maxEntries={cfg['set-max-intset-entries']} width={width} />
      break
    case 'quicklist':
      view = <QuicklistView snapshot={v} previous={previous?.key === snapshot.key && previous.value.encoding === 'quicklist' ? previous.value : null} width={width} />
      break
    case 'hashtable':
      view = <HashtableView snapshot={v} scan={ev.scan} />
      break
    case 'skiplist':
      view = (
        <SkiplistView
          snapshot={v}
          searchPath={ev.search?.path ?? null}
          searchOp={ev.search?.op ?? null}
          inserted={ev.insert ? { member: ev.insert.member, level: ev.insert.level } : null}
          onWindowChange={onWindowChange ? (fromRank) => page(fromRank - 1) : undefined}
          seed={seed}
          onSeedChange={onSeedChange}
        />
      )
      break
  }
  return (
    <section className="viz viz-inspector" data-testid="inspector" data-view-kind={kind ?? 'none'} aria-label={`Key inspector: ${byteLabel(snapshot.key, 60)}`}>
      {fresh && <ConversionView event={fresh} from={previous?.value ?? null} to={conversionTarget ?? v} width={width} />}
      {ev.conversion && !fresh && (
        <p key={`${ev.conversion.from}>${ev.conversion.to}:${ev.conversion.reason}`} className="viz-banner viz-flash" role="status" data-testid="conversion-banner">
          {conversionText(ev.conversion)}
        </p>
      )}
      <dl className="viz-facts">
        <dt>key</dt>
        <dd>{byteLabel(snapshot.key, 60)}</dd>
        <dt>type</dt>
        <dd data-testid="inspector-type">{snapshot.type}</dd>
        <dt>encoding</dt>
        <dd data-testid="inspector-encoding">{snapshot.encoding}</dd>
        <dt>TTL</dt>
        <dd data-testid="inspector-ttl">{formatTtl(ttl ?? -1)}</dd>
        <dt>MEMORY USAGE</dt>
        <dd data-testid="inspector-memory">{`${snapshot.memoryUsage} bytes`}</dd>
      </dl>
      {view}
    </section>
  )
}
