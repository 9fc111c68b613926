// One REPL pane: an xterm.js terminal running a ReplSession (its own engine client).

import { useEffect, useRef, useState } from 'react'
import { Terminal } from '@xterm/xterm'
import { FitAddon } from '@xterm/addon-fit'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import '@xterm/xterm/css/xterm.css'
import { ReplSession, type SessionStatus } from './xterm-session.ts'
import { xtermTheme } from './xterm-theme.ts'
import { useApp } from '../state/app-store.ts'
import { sharedHistory } from '../state/history.ts'
import { helpTable, loadHelpTable } from '../state/help-table.ts'
import { hook } from '../test-hook.ts'
import { writeStartLog } from '../app/persistence-client.ts'
import { registerKeyLinks } from './key-links.ts'
import { skipEmptySelectionRedraws } from './xterm-tweaks.ts'

interface Props {
  paneKey: number
  index: number
  canClose: boolean
}

/** Keys the terminal lets through to the page: region and pane navigation. */
export function isShellKey(e: KeyboardEvent): boolean {
  if (e.key === 'F6') return true
  if (e.ctrlKey && e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'n' || e.key === 'N')) return true
  return false
}

export function TerminalPane({ paneKey, index, canClose }: Props) {
  const host = useRef<HTMLDivElement>(null)
  const termRef = useRef<Terminal | null>(null)
  const [status, setStatus] = useState<SessionStatus>({ mode: 'starting', prompt: '', clientId: undefined, done: 0 })
  const theme = useApp((s) => s.theme)
  const closePane = useApp((s) => s.closePane)
  const setActivePane = useApp((s) => s.setActivePane)

  useEffect(() => {
    const el = host.current!
    const term = new Terminal({
      fontFamily: 'ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 14,
      lineHeight: 1.15,
      // A steady cursor: xterm's DOM renderer blinks it with a CSS animation that keeps
      // Chromium rendering frames on the page's thread (~45/s, even when idle), and with a
      // frame always pending Chromium holds every task after a key press, the engine's reply
      // among them, until that frame is done: a frame (~12 ms) added to every command.
      cursorBlink: false,
      scrollback: 10_000,
      allowProposedApi: true,
      theme: xtermTheme(useApp.getState().theme),
    })
    const fit = new FitAddon()
    term.loadAddon(fit)
    term.loadAddon(new Unicode11Addon())
    term.unicode.activeVersion = '11'
    term.open(el)
    const selectionRedrawSkip = skipEmptySelectionRedraws(term)
    registerKeyLinks(term) // quoted key names in replies open in the key browser (issue 6)
    term.textarea?.setAttribute('aria-label', `Redis client ${index + 1} terminal`)
    termRef.current = term
    const refit = (): void => {
      try {
        if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit()
      } catch {
        // not laid out yet
      }
    }
    refit()
    const ro = new ResizeObserver(() => refit())
    ro.observe(el)
    term.textarea?.addEventListener('focus', () => setActivePane(paneKey))
    // Typed characters also land in xterm's hidden textarea (it takes them from the input
    // event); xterm empties it on Enter, and that change makes Chromium render a frame for
    // the key press and hold back other tasks, the engine's reply among them, until that
    // frame is done. Emptying it as each character arrives (in that key's own frame) keeps
    // Enter free of DOM changes, so the reply is drawn in the first frame after Enter.
    // Not while an IME composes (xterm reads the textarea then).
    const textarea = term.textarea
    textarea?.addEventListener('input', (e) => {
      if (!(e as InputEvent).isComposing && textarea.value !== '') textarea.value = ''
    })

    // The header shows mode, prompt and client id: re-render only when one of them changes
    // (not once per command).
    let shown: SessionStatus | undefined
    const onStatus = (s: SessionStatus): void => {
      if (shown && shown.mode === s.mode && shown.prompt === s.prompt && shown.clientId === s.clientId) return
      shown = s
      setStatus(s)
    }
    const session = new ReplSession({
      term,
      history: sharedHistory(),
      help: helpTable,
      outputMode: () => useApp.getState().outputMode,
      onStatus,
      onRoundTrip: (t) => {
        hook.roundTrips.push(t.painted)
        hook.bufferedTrips.push(t.buffered)
        hook.frameTrips.push(t.frameDone)
      },
      onEngineTrip: (ms) => hook.engineTrips.push(ms),
      onCommand: (argv, db) => useApp.getState().commandRan(argv, db),
    })
    term.attachCustomKeyEventHandler((e) => {
      // The round trip starts when the Enter key went down (the event's own time).
      if (e.type === 'keydown' && e.key === 'Enter') {
        session.noteEnterKey(e.timeStamp)
        hook.inputDelays.push(performance.now() - e.timeStamp)
      }
      return !isShellKey(e)
    })
    hook.panes.set(paneKey, { term, status: () => session.status, selectionRedrawSkip })
    // BROWSER-PERSISTENCE: the first client prints the server's start-up log (dump.rdb loaded ...) before its first prompt.
    writeStartLog(term, paneKey)
    void session.start().then(() => {
      // Usable: the prompt is in xterm's buffer and the frame that draws it has begun.
      term.write('', () =>
        requestAnimationFrame(() => {
          hook.firstPromptAt ??= performance.now()
          // Hints and completion: parsing COMMAND DOCS takes the page's thread ~40 ms, so after the prompt is up.
          void loadHelpTable().then(() => session.helpTableLoaded())
        }),
      )
      if (useApp.getState().activePane === paneKey) term.focus()
    })
    // Links in replies (e.g. LOLWUT, help) become clickable; loaded off the critical path.
    void import('@xterm/addon-web-links').then(({ WebLinksAddon }) => {
      if (termRef.current === term) term.loadAddon(new WebLinksAddon())
    })
    return () => {
      ro.disconnect()
      session.dispose()
      hook.panes.delete(paneKey)
      termRef.current = null
      term.dispose()
    }
  }, [paneKey, index, setActivePane])

  useEffect(() => {
    if (termRef.current) termRef.current.options.theme = xtermTheme(theme)
  }, [theme])

  const label = `Client ${index + 1}`
  const modeText: Record<SessionStatus['mode'], string> = {
    starting: 'connecting',
    prompt: 'ready',
    running: 'running',
    subscribed: 'subscribed (Ctrl-C leaves)',
    monitor: 'monitor (Ctrl-C leaves)',
    blocked: 'blocked (Ctrl-C aborts)',
  }
  return (
    <section className="pane" aria-label={label} data-pane-index={index} data-mode={status.mode}>
      <header className="pane-header">
        <h2 className="pane-title">
          {label}
          {status.clientId !== undefined && <span className="pane-id"> · id {status.clientId}</span>}
        </h2>
        <span className={`pane-mode mode-${status.mode}`} aria-live="polite">
          {modeText[status.mode]}
        </span>
        {canClose && (
          <button type="button" className="icon-button" aria-label={`Close ${label}`} title={`Close ${label}`} onClick={() => closePane(paneKey)}>
            ×
          </button>
        )}
      </header>
      <div className="terminal-host" ref={host} onClick={() => termRef.current?.focus()} />
    </section>
  )
}

/** Focus the terminal of the pane with this key (keyboard navigation). */
export function focusPane(paneKey: number): void {
  hook.panes.get(paneKey)?.term.focus()
}
