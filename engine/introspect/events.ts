// Trace events: what changed inside the engine, for the views to draw
// (design.md "Introspection"). Emitting costs one branch when nobody listens.

export type TraceEvent =
  | { type: 'key-written'; db: number; key: string }
  | { type: 'key-deleted'; db: number; key: string }
  | { type: 'key-expired'; db: number; key: string }
  | { type: 'db-flushed'; db: number | 'all' }
  | { type: 'dbs-swapped'; a: number; b: number }

export type TraceListener = (e: TraceEvent) => void

export class TraceBus {
  private listeners: TraceListener[] = []
  /** Read this before building an event object. */
  active = false

  subscribe(fn: TraceListener): () => void {
    this.listeners.push(fn)
    this.active = true
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn)
      this.active = this.listeners.length > 0
    }
  }

  emit(e: TraceEvent): void {
    for (const l of this.listeners) l(e)
  }
}
