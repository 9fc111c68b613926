// The app shell: a toolbar, the REPL panes side by side, and a side panel that
// the inspector and the visualisations of later issues will fill.

import { useEffect } from 'react'
import { useApp, MAX_PANES } from '../state/app-store.ts'
import { TerminalPane, focusPane } from '../repl/TerminalPane.tsx'
import { InspectorPanel } from './InspectorPanel.tsx'
import { PersistencePanel } from './PersistencePanel.tsx'
import { KeyBrowser } from './KeyBrowser.tsx'

/** F6 / Shift+F6 move between the page's regions, like browsers and IDEs do. */
function cycleRegion(back: boolean): void {
  const regions = [...document.querySelectorAll<HTMLElement>('[data-region]')]
  if (regions.length === 0) return
  const current = regions.findIndex((r) => r.contains(document.activeElement))
  const next = regions[(current + (back ? -1 : 1) + regions.length) % regions.length]
  // A region that is itself focusable (the inspector: the key browser, then the views) is entered
  // as a whole, so F6 lands on its landmark and Tab walks into it; the others focus their first control.
  const term = next.querySelector<HTMLElement>('.xterm-helper-textarea')
  const target = term ?? (next.getAttribute('tabindex') === '-1' ? next : null) ?? next.querySelector<HTMLElement>('button, [tabindex], a, input, select') ?? next
  target.focus()
}

export function App() {
  const panes = useApp((s) => s.panes)
  const theme = useApp((s) => s.theme)
  const outputMode = useApp((s) => s.outputMode)
  const inspecting = useApp((s) => s.inspected !== null)
  const { addPane, setTheme, setOutputMode } = useApp.getState()

  useEffect(() => {
    document.documentElement.dataset.theme = theme
    document.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme)
  }, [theme])

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'F6') {
        e.preventDefault()
        cycleRegion(e.shiftKey)
      } else if (e.ctrlKey && e.altKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        e.preventDefault()
        const { panes: ps, activePane } = useApp.getState()
        const i = ps.findIndex((p) => p.key === activePane)
        const next = ps[(i + (e.key === 'ArrowRight' ? 1 : -1) + ps.length) % ps.length]
        useApp.getState().setActivePane(next.key)
        focusPane(next.key)
      } else if (e.ctrlKey && e.altKey && (e.key === 'n' || e.key === 'N')) {
        e.preventDefault()
        useApp.getState().addPane()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <div className="app">
      <header className="toolbar" data-region="toolbar" aria-label="Toolbar">
        <h1 className="brand">
          Glassbox <span className="brand-sub">a Redis 7.0 you can see through</span>
        </h1>
        <div className="toolbar-actions" role="toolbar" aria-label="REPL options">
          <button type="button" onClick={addPane} disabled={panes.length >= MAX_PANES} title="Open another client (Ctrl+Alt+N)">
            New client
          </button>
          <button
            type="button"
            aria-pressed={outputMode === 'raw'}
            onClick={() => setOutputMode(outputMode === 'raw' ? 'tty' : 'raw')}
            title="Print replies like redis-cli --raw"
          >
            Raw output
          </button>
          <button
            type="button"
            aria-pressed={theme === 'dark'}
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            title="Switch between the light and the dark theme"
          >
            Dark theme
          </button>
        </div>
        <PersistencePanel />
      </header>
      <main className="workspace">
        <div className={`panes panes-${panes.length}`} data-region="panes" aria-label="Redis clients">
          {panes.map((p, i) => (
            <TerminalPane key={p.key} paneKey={p.key} index={i} canClose={panes.length > 1} />
          ))}
        </div>
        <aside className="inspector" data-region="inspector" aria-label="Inspector" tabIndex={-1}>
          <KeyBrowser />
          <h2>Inspector</h2>
          <InspectorPanel />
          {!inspecting && (
            <p>
              Keys, encodings and the structures behind them will show here. Type commands in a client; open more clients to try
              pub/sub, MONITOR or a WATCH race.
            </p>
          )}
          <h3>Keyboard</h3>
          <dl className="keys">
            <dt>F6 / Shift+F6</dt>
            <dd>next / previous region</dd>
            <dt>Ctrl+Alt+← →</dt>
            <dd>previous / next client</dd>
            <dt>Ctrl+Alt+N</dt>
            <dd>new client</dd>
            <dt>Tab</dt>
            <dd>complete a command</dd>
            <dt>↑ ↓, Ctrl+R</dt>
            <dd>history, search it</dd>
            <dt>Ctrl+C</dt>
            <dd>leave subscribed mode, MONITOR or a blocked command</dd>
            <dt>Ctrl+L</dt>
            <dd>clear the screen</dd>
          </dl>
        </aside>
      </main>
    </div>
  )
}
