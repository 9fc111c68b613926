// A small read-only window into the app for the e2e tests and the REPL
// benchmark (stack.md: read xterm's buffer, not the DOM, to get whole lines).

import type { Terminal } from '@xterm/xterm'
import type { SessionStatus } from './repl/xterm-session.ts'
import type { InspectWindow, KeySnapshot } from '../engine/introspect/inspect.ts'
import type { TraceEvent } from '../engine/introspect/events.ts'

export interface PaneHook {
  term: Terminal
  status(): SessionStatus
  /** xterm-tweaks.ts found xterm's private render service and skips empty selection redraws. */
  selectionRedrawSkip: boolean
}

export interface GlassboxHook {
  panes: Map<number, PaneHook>
  /** Enter-to-painted times of every command run, in ms (to the animation frame in which xterm draws the reply). */
  roundTrips: number[]
  /** Enter to the reply parsed into xterm's buffer (engine, worker hop, formatting), in ms. */
  bufferedTrips: number[]
  /** Enter to the end of the page's work on the frame that draws the reply (style, layout, paint, commit), in ms. */
  frameTrips: number[]
  /** One command's trip to the engine worker and back (comlink, engine, RESP encoding), in ms. */
  engineTrips: number[]
  /** The Enter keydown's timeStamp to the terminal's key handler running: the browser delivering the key, in ms. */
  inputDelays: number[]
  /** performance.now() when the first prompt was drawn. */
  firstPromptAt: number | undefined
  /** Logical lines of a pane's buffer (wrapped rows joined), trailing blank lines dropped. */
  lines(paneIndex?: number): string[]
  /** One bare comlink round trip to the engine worker (info()), in ms: the floor under engineTrips. */
  workerPing?: () => Promise<number>
  /** Implemented commands ('get', 'config get'), from the help table once loaded. */
  commands(): string[] | undefined
  /** Set by the inspector panel: inspect() through the worker, as the views get it. */
  inspect?: (db: number, key: string, window?: InspectWindow) => Promise<KeySnapshot | null>
  /** Set by the inspector panel: the trace events it received (latest 2,000), in arrival order. */
  trace?: TraceEvent[]
}

function logicalLines(term: Terminal): string[] {
  const buf = term.buffer.active
  const out: string[] = []
  for (let i = 0; i < buf.length; i++) {
    const line = buf.getLine(i)
    if (!line) continue
    const next = i + 1 < buf.length ? buf.getLine(i + 1) : undefined
    // A row that continues on the next one keeps its trailing spaces.
    const text = line.translateToString(!next?.isWrapped)
    if (line.isWrapped && out.length > 0) out[out.length - 1] += text
    else out.push(text)
  }
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop()
  return out
}

export const hook: GlassboxHook = {
  panes: new Map(),
  roundTrips: [],
  bufferedTrips: [],
  frameTrips: [],
  engineTrips: [],
  inputDelays: [],
  firstPromptAt: undefined,
  lines(paneIndex = 0) {
    const pane = [...hook.panes.values()][paneIndex]
    return pane ? logicalLines(pane.term) : []
  },
  commands: () => undefined,
}

declare global {
  interface Window {
    __glassbox?: GlassboxHook
  }
}

if (typeof window !== 'undefined') window.__glassbox = hook
