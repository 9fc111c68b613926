// The inspector side panel: the key the last command named, as the engine
// holds it (a fresh inspect() after every command), drawn by the encoding
// views. The views load lazily so the first screen stays light. It also owns
// the split between the REPL and the side panel (a separator the user drags).

import { lazy, memo, Suspense, useEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { useApp } from '../state/app-store.ts'
import { engineInfo, inspectKey, setSeed, subscribeTrace, thresholds } from '../engine-client.ts'
import { hook } from '../test-hook.ts'
import type { InspectWindow, KeySnapshot, ValueSnapshot } from '../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'

const Inspector = lazy(() => import('../viz/index.ts').then((m) => ({ default: m.Inspector })))

/** Trace events kept for the views (conversions, searches, inserts, scans of the shown key). */
const EVENT_MEMORY = 200
/** Trace events kept for the e2e tests. */
const HOOK_MEMORY = 2000
/** The window a conversion stage asks for: every bucket / rank of a value just converted. */
const CONVERSION_WINDOW: InspectWindow = { start: 0, count: 4096 }
const FIRST_WINDOW: InspectWindow = { start: 0, count: 64 }

interface Shown {
  snapshot: KeySnapshot | null
  previous: KeySnapshot | null
  conversionTarget: ValueSnapshot | null
}

export function InspectorPanel() {
  const inspected = useApp((s) => s.inspected)
  const commandCount = useApp((s) => s.commandCount)
  const [shown, setShown] = useState<Shown>({ snapshot: null, previous: null, conversionTarget: null })
  const [config, setConfig] = useState<Record<string, number>>({})
  const [events, setEvents] = useState<TraceEvent[]>([])
  const [window, setWindow] = useState<InspectWindow>(FIRST_WINDOW)
  const [seed, setSeedState] = useState<number | null>(null)
  const [width, setWidth] = useState(640)
  const last = useRef<KeySnapshot | null>(null)
  const host = useRef<HTMLElement | null>(null)

  useEffect(() => {
    let unsubscribe: (() => void) | undefined
    let gone = false
    hook.inspect = inspectKey
    hook.trace = []
    void subscribeTrace((batch) => {
      const t = hook.trace
      if (t) {
        t.push(...batch)
        if (t.length > HOOK_MEMORY) t.splice(0, t.length - HOOK_MEMORY)
      }
      setEvents((prev) => [...prev, ...batch].slice(-EVENT_MEMORY))
    }).then((u) => {
      if (gone) u()
      else unsubscribe = u
    })
    // A seed fixed by the page URL (?seed=) shows in the skiplist control.
    if (new URLSearchParams(location.search).has('seed')) void engineInfo().then((i) => setSeedState(i.seed))
    return () => {
      gone = true
      unsubscribe?.()
    }
  }, [])

  // The views lay out to the panel's width (rounded, so a drag does not re-layout every pixel).
  useEffect(() => {
    const el = host.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(280, Math.floor(entry.contentRect.width / 20) * 20)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [inspected !== null])

  // A new key starts at its first window.
  useEffect(() => setWindow(FIRST_WINDOW), [inspected?.db, inspected?.key])

  useEffect(() => {
    if (!inspected) return
    let current = true
    void Promise.all([inspectKey(inspected.db, inspected.key, window), thresholds()]).then(async ([snap, conf]) => {
      const prev = last.current
      const sameKey = prev !== null && snap !== null && prev.db === snap.db && prev.key === snap.key
      // The encoding changed: take the whole new structure for the conversion stage.
      const target = sameKey && prev.encoding !== snap.encoding ? ((await inspectKey(inspected.db, inspected.key, CONVERSION_WINDOW))?.value ?? null) : null
      if (!current) return
      last.current = snap
      setShown({ snapshot: snap, previous: sameKey ? prev : null, conversionTarget: target })
      setConfig(conf)
    })
    return () => {
      current = false
    }
  }, [inspected, commandCount, window])

  const changeSeed = (s: number | null): void => {
    // No seed: back to an unpredictable one (but still a seed the engine reports).
    const next = s === null || !Number.isFinite(s) ? crypto.getRandomValues(new Uint32Array(1))[0] : Math.trunc(s) >>> 0
    void setSeed(next).then(() => setSeedState(s === null ? null : next))
  }

  const snapshot = shown.snapshot
  return (
    <>
      <SplitHandle />
      {inspected && (
        <section className="inspector-view" aria-label={`Key ${inspected.key}`} ref={host}>
          {snapshot === null ? (
            <p data-testid="inspector-empty">
              No key <code>{inspected.key}</code> in db {inspected.db} (it was deleted or has expired).
            </p>
          ) : (
            <Suspense fallback={<p>Loading the views…</p>}>
              <Inspector
                snapshot={snapshot}
                previous={shown.previous}
                conversionTarget={shown.conversionTarget}
                events={events}
                config={config}
                onWindowChange={setWindow}
                seed={seed}
                onSeedChange={changeSeed}
                width={width}
              />
            </Suspense>
          )}
        </section>
      )}
    </>
  )
}

// ---- the split between the REPL panes and the side panel --------------------

const SPLIT_KEY = 'glassbox.inspectorWidth'
/** Room the REPL keeps, and the side panel's least width, in px. */
const MIN_REPL = 360
const MIN_PANEL = 280

function savedWidth(): number | null {
  try {
    const v = Number(localStorage.getItem(SPLIT_KEY))
    return Number.isFinite(v) && v > 0 ? v : null
  } catch {
    return null
  }
}

function applyWidth(ws: HTMLElement, px: number | null): number {
  const total = ws.clientWidth
  if (px === null) {
    ws.style.removeProperty('--inspector-w')
    return Math.round((ws.querySelector('.inspector')?.getBoundingClientRect().width ?? total / 2))
  }
  const w = Math.round(Math.max(MIN_PANEL, Math.min(px, total - MIN_REPL)))
  ws.style.setProperty('--inspector-w', `${w}px`)
  return w
}

/**
 * A vertical separator between the panes and the side panel (a portal into the
 * workspace grid's middle column): drag it, or focus it and use ← → (Shift for
 * bigger steps), Home for the default split. The width is kept in localStorage.
 */
// memo: the panel re-renders after every command; the handle has nothing to redraw then.
const SplitHandle = memo(function SplitHandle() {
  const [ws, setWs] = useState<HTMLElement | null>(null)
  const [width, setWidthState] = useState(0)
  // The workspace's width for aria-valuemax, kept by a ResizeObserver: reading clientWidth
  // while rendering would force a layout in the middle of a command's updates.
  const [wsWidth, setWsWidth] = useState(0)
  useEffect(() => {
    const el = document.querySelector<HTMLElement>('.workspace')
    if (!el) return
    setWs(el)
    setWidthState(applyWidth(el, savedWidth()))
    if (typeof ResizeObserver === 'undefined') return
    // Layout is clean when observers run, so clientWidth costs nothing here.
    const ro = new ResizeObserver(() => setWsWidth(el.clientWidth))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  if (!ws) return null
  const set = (px: number | null): void => {
    const w = applyWidth(ws, px)
    setWidthState(w)
    try {
      if (px === null) localStorage.removeItem(SPLIT_KEY)
      else localStorage.setItem(SPLIT_KEY, String(w))
    } catch {
      // storage disabled: the split lasts for this page
    }
  }
  const current = (): number => ws.querySelector('.inspector')?.getBoundingClientRect().width ?? width
  return createPortal(
    <div
      className="split-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the inspector"
      aria-valuemin={MIN_PANEL}
      aria-valuemax={Math.max(MIN_PANEL, wsWidth - MIN_REPL)}
      aria-valuenow={width}
      tabIndex={0}
      title="Drag to resize the inspector (or focus and use ← →)"
      onPointerDown={(e) => {
        e.preventDefault()
        const startX = e.clientX
        const startW = current()
        const target = e.currentTarget
        target.setPointerCapture(e.pointerId)
        const move = (m: PointerEvent): void => set(startW + (startX - m.clientX))
        const up = (): void => {
          target.removeEventListener('pointermove', move)
          target.removeEventListener('pointerup', up)
          target.removeEventListener('pointercancel', up)
        }
        target.addEventListener('pointermove', move)
        target.addEventListener('pointerup', up)
        target.addEventListener('pointercancel', up)
      }}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 80 : 20
        if (e.key === 'ArrowLeft') set(current() + step)
        else if (e.key === 'ArrowRight') set(current() - step)
        else if (e.key === 'Home') set(null)
        else return
        e.preventDefault()
      }}
    />,
    ws,
  )
})
