// The inspector side panel: the key the last command named, as the engine
// holds it (a fresh inspect() after every command), drawn by the encoding
// views. The views load lazily so the first screen stays light.

import { lazy, Suspense, useEffect, useState } from 'react'
import { useApp } from '../state/app-store.ts'
import { inspectKey, subscribeTrace, thresholds } from '../engine-client.ts'
import type { InspectWindow, KeySnapshot } from '../../engine/introspect/inspect.ts'
import type { TraceEvent } from '../../engine/introspect/events.ts'

const Inspector = lazy(() => import('../viz/index.ts').then((m) => ({ default: m.Inspector })))

/** Trace events kept for the views (conversions, searches, inserts of the shown key). */
const EVENT_MEMORY = 200

export function InspectorPanel() {
  const inspected = useApp((s) => s.inspected)
  const commandCount = useApp((s) => s.commandCount)
  const [snapshot, setSnapshot] = useState<KeySnapshot | null>(null)
  const [config, setConfig] = useState<Record<string, number>>({})
  const [events, setEvents] = useState<TraceEvent[]>([])
  const [window, setWindow] = useState<InspectWindow>({ start: 0, count: 64 })

  useEffect(() => {
    let unsubscribe: (() => void) | undefined
    let gone = false
    void subscribeTrace((batch) => setEvents((prev) => [...prev, ...batch].slice(-EVENT_MEMORY))).then((u) => {
      if (gone) u()
      else unsubscribe = u
    })
    return () => {
      gone = true
      unsubscribe?.()
    }
  }, [])

  // A new key starts at its first window.
  useEffect(() => setWindow({ start: 0, count: 64 }), [inspected?.db, inspected?.key])

  useEffect(() => {
    if (!inspected) return
    let current = true
    void Promise.all([inspectKey(inspected.db, inspected.key, window), thresholds()]).then(([snap, conf]) => {
      if (!current) return
      setSnapshot(snap)
      setConfig(conf)
    })
    return () => {
      current = false
    }
  }, [inspected, commandCount, window])

  if (!inspected) return null
  return (
    <section className="inspector-view" aria-label={`Key ${inspected.key}`}>
      {snapshot === null ? (
        <p data-testid="inspector-empty">
          No key <code>{inspected.key}</code> in db {inspected.db} (it was deleted or has expired).
        </p>
      ) : (
        <Suspense fallback={<p>Loading the views…</p>}>
          <Inspector snapshot={snapshot} events={events} config={config} onWindowChange={setWindow} />
        </Suspense>
      )}
    </section>
  )
}
