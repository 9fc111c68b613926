// The toolbar's "Saved data" menu (issue 7): whether the data is kept in this
// browser and when it was last saved (LASTSAVE), downloads of dump.rdb and the
// AOF files, uploading an RDB (checked completely before anything changes),
// and a reset that asks first. Also the notice a second tab gets when another
// tab owns the saved data, with a way to run a temporary server instead.

import { useCallback, useEffect, useId, useRef, useState } from 'react'
import {
  bootEngine,
  downloadFile,
  exportAof,
  exportRdb,
  importRdb,
  refreshStatus,
  resetData,
  retryOwnership,
  serverLogLines,
  startTemporaryServer,
  usePersistence,
} from './persistence-client.ts'
import type { ImportResult, PersistenceStatus } from '../worker/types.ts'
import './persistence.css'

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}

function formatTime(unixSec: number): string {
  return new Date(unixSec * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

type Notice = { kind: 'ok' | 'error'; title: string; lines: string[] }

function storageText(s: PersistenceStatus): string {
  if (s.storage === 'indexeddb') return 'Saved in this browser'
  switch (s.memoryReason) {
    case 'other-tab':
      return 'Temporary server: nothing is saved (another tab owns the saved data)'
    case 'unavailable':
      return 'Temporary server: this browser does not let the page keep data'
    case 'load-failed':
      return 'Temporary server: the saved dump.rdb could not be loaded (kept as it is)'
    default:
      return 'Temporary server: nothing is saved'
  }
}

/** The server log, read when opened (and refreshed with the status while open). */
function ServerLogView({ tick }: { tick: number }) {
  const [open, setOpen] = useState(false)
  const [lines, setLines] = useState<string[]>([])
  useEffect(() => {
    if (open) void serverLogLines().then(setLines)
  }, [open, tick])
  return (
    <details className="persist-details" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Server log</summary>
      <pre className="persist-log" aria-label="Server log" tabIndex={0}>
        {lines.slice(-100).join('\n')}
      </pre>
    </details>
  )
}

/** The notice for a second tab: modal, so it is seen and read first. */
function LockedDialog() {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [busy, setBusy] = useState(false)
  const [stillLocked, setStillLocked] = useState(false)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  const temporary = async (): Promise<void> => {
    setBusy(true)
    await startTemporaryServer()
  }
  const retry = async (): Promise<void> => {
    setBusy(true)
    const r = await retryOwnership()
    setBusy(false)
    if (r.state === 'locked') setStillLocked(true)
  }
  return (
    <dialog ref={ref} className="persist-dialog" aria-labelledby={titleId} onCancel={(e) => e.preventDefault()}>
      <h2 id={titleId}>Glassbox is open in another tab</h2>
      <p>Glassbox is open in another tab, which owns the saved data.</p>
      <p className="persist-muted">
        Close that tab and try again, or run a temporary in-memory server here: it works the same, but nothing you do in this
        tab is saved.
      </p>
      {stillLocked && (
        <p role="status" className="persist-muted">
          The other tab still has the data.
        </p>
      )}
      <div className="persist-actions">
        <button type="button" className="persist-primary" onClick={() => void temporary()} disabled={busy} autoFocus>
          Run a temporary in-memory server here
        </button>
        <button type="button" onClick={() => void retry()} disabled={busy}>
          Try again
        </button>
      </div>
    </dialog>
  )
}

/** "Reset all data?": Cancel has the focus; Escape cancels. */
function ConfirmReset({ onDone }: { onDone: (confirmed: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const descId = useId()
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      className="persist-dialog"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={descId}
      onCancel={(e) => {
        e.preventDefault()
        onDone(false)
      }}
    >
      <h2 id={titleId}>Reset all data?</h2>
      <p id={descId}>
        This runs FLUSHALL on every database and deletes the saved files (dump.rdb and the AOF). It cannot be undone: download
        dump.rdb first to keep a copy.
      </p>
      <div className="persist-actions">
        <button type="button" onClick={() => onDone(false)} autoFocus>
          Cancel
        </button>
        <button type="button" className="persist-danger" onClick={() => onDone(true)}>
          Delete everything
        </button>
      </div>
    </dialog>
  )
}

export function PersistencePanel() {
  const phase = usePersistence((s) => s.phase)
  const status = usePersistence((s) => s.status)
  const [open, setOpen] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [notice, setNotice] = useState<Notice | null>(null)
  const [busy, setBusy] = useState(false)
  const [tick, setTick] = useState(0)
  const toggleRef = useRef<HTMLButtonElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const fileRef = useRef<HTMLInputElement>(null)
  const panelId = useId()

  useEffect(() => {
    void bootEngine()
  }, [])

  // Fresh numbers while the menu is open (save points fire from the server's cron).
  useEffect(() => {
    if (!open || phase !== 'running') return
    void refreshStatus()
    const t = setInterval(() => {
      void refreshStatus()
      setTick((n) => n + 1)
    }, 1000)
    return () => clearInterval(t)
  }, [open, phase])

  const close = useCallback(() => {
    setOpen(false)
    toggleRef.current?.focus()
  }, [])

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent): void => {
      const t = e.target as Node
      if (panelRef.current?.contains(t) || toggleRef.current?.contains(t)) return
      // A click inside a modal dialog of ours is not "outside".
      if ((t as Element).closest?.('dialog')) return
      setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  const run = async (fn: () => Promise<void>): Promise<void> => {
    setBusy(true)
    try {
      await fn()
    } catch (e) {
      setNotice({ kind: 'error', title: `Something went wrong: ${(e as Error).message}`, lines: [] })
    } finally {
      setBusy(false)
    }
  }

  const downloadCurrent = (): Promise<void> =>
    run(async () => {
      const f = await exportRdb('current')
      if (f) downloadFile(f)
      setNotice({ kind: 'ok', title: `Downloaded ${f?.name ?? 'dump.rdb'}: the data as it is now (${formatBytes(f?.bytes.length ?? 0)}).`, lines: [] })
    })

  const downloadSaved = (): Promise<void> =>
    run(async () => {
      const f = await exportRdb('saved')
      if (!f) {
        setNotice({ kind: 'error', title: 'There is no saved dump.rdb yet.', lines: [] })
        return
      }
      downloadFile(f)
      setNotice({ kind: 'ok', title: `Downloaded the saved ${f.name} (${formatBytes(f.bytes.length)}).`, lines: [] })
    })

  const downloadAof = (): Promise<void> =>
    run(async () => {
      const files = await exportAof()
      for (const f of files) downloadFile(f)
      setNotice({
        kind: 'ok',
        title: files.length === 0 ? 'There are no AOF files.' : `Downloaded ${files.length} AOF files: put them in a directory named appendonlydir.`,
        lines: files.map((f) => `${f.name} (${formatBytes(f.bytes.length)})`),
      })
    })

  const upload = (file: File): Promise<void> =>
    run(async () => {
      const r: ImportResult = await importRdb(file)
      if (r.ok) {
        setNotice({
          kind: 'ok',
          title: `Loaded ${file.name}: ${r.keysLoaded} keys${r.keysExpired > 0 ? ` (${r.keysExpired} already expired, dropped)` : ''}${r.saved ? ', saved' : ', not saved (see the log)'}.`,
          lines: r.log,
        })
      } else {
        setNotice({ kind: 'error', title: `${file.name} was not loaded: ${r.error}. Your data is unchanged.`, lines: r.log })
      }
    })

  const reset = async (confirmed: boolean): Promise<void> => {
    setConfirming(false)
    if (!confirmed) {
      panelRef.current?.querySelector<HTMLButtonElement>('.persist-reset')?.focus()
      return
    }
    await run(async () => {
      await resetData()
      setNotice({ kind: 'ok', title: 'All data and saved files were deleted.', lines: [] })
    })
    panelRef.current?.querySelector<HTMLButtonElement>('.persist-reset')?.focus()
  }

  const hasSaved = status?.files.some((f) => f.name === status.dbfilename) ?? false
  const hasAof = status?.files.some((f) => f.name.includes('/')) ?? false
  const badge = phase === 'running' && status ? (status.storage === 'indexeddb' ? 'saved in browser' : 'temporary') : phase === 'locked' ? 'in use elsewhere' : 'starting'

  return (
    <div className="persist" onKeyDown={(e) => e.key === 'Escape' && open && !confirming && (e.stopPropagation(), close())}>
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
        title="Saved data: status, download, upload, reset"
      >
        Saved data <span className={`persist-badge persist-badge-${status?.storage ?? phase}`}>{badge}</span>
      </button>
      {open && (
        <div ref={panelRef} id={panelId} className="persist-panel" role="region" aria-label="Saved data">
          {phase !== 'running' || !status ? (
            <p>{phase === 'locked' ? 'Another tab owns the saved data.' : 'The server is starting…'}</p>
          ) : (
            <>
              <dl className="persist-facts">
                <dt>Storage</dt>
                <dd data-testid="persist-storage">{storageText(status)}</dd>
                <dt>Last saved</dt>
                <dd data-testid="persist-lastsave">
                  {formatTime(status.lastSave)} <span className="persist-muted">(LASTSAVE {status.lastSave})</span>
                  {status.bgsaveInProgress && <span> · saving…</span>}
                </dd>
                <dt>Changes since</dt>
                <dd>{status.changesSinceSave}</dd>
                <dt>Save points</dt>
                <dd>{status.savePoints === '' ? 'none (save "")' : status.savePoints}</dd>
                {status.writeError && (
                  <>
                    <dt>Write error</dt>
                    <dd className="persist-error">{status.writeError}</dd>
                  </>
                )}
                <dt>Files</dt>
                <dd>
                  {status.files.length === 0 ? (
                    <span className="persist-muted">none yet</span>
                  ) : (
                    <ul className="persist-files">
                      {status.files.map((f) => (
                        <li key={f.name}>
                          {f.name} <span className="persist-muted">{formatBytes(f.size)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </dl>
              <p className="persist-muted persist-note">
                Saved by the save points, and when you leave or hide this page with unsaved changes.
              </p>
              <div className="persist-actions persist-stack">
                <button type="button" onClick={() => void downloadCurrent()} disabled={busy}>
                  Download dump.rdb (the data now)
                </button>
                <button type="button" onClick={() => void downloadSaved()} disabled={busy || !hasSaved}>
                  Download the last saved dump.rdb
                </button>
                {hasAof && (
                  <button type="button" onClick={() => void downloadAof()} disabled={busy}>
                    Download the AOF files
                  </button>
                )}
                <button type="button" onClick={() => fileRef.current?.click()} disabled={busy}>
                  Upload an RDB file…
                </button>
                <input
                  ref={fileRef}
                  type="file"
                  accept=".rdb,application/octet-stream"
                  className="persist-file-input"
                  aria-label="RDB file to upload"
                  tabIndex={-1}
                  onChange={(e) => {
                    const f = e.target.files?.[0]
                    e.target.value = ''
                    if (f) void upload(f)
                  }}
                />
                <button type="button" className="persist-reset persist-danger" onClick={() => setConfirming(true)} disabled={busy}>
                  Reset…
                </button>
              </div>
              <ServerLogView tick={tick} />
              {notice && (
                <div className={`persist-notice persist-notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
                  <p>{notice.title}</p>
                  {notice.lines.length > 0 && (
                    <pre className="persist-log" aria-label="Log lines" tabIndex={0}>
                      {notice.lines.join('\n')}
                    </pre>
                  )}
                </div>
              )}
            </>
          )}
        </div>
      )}
      {phase === 'locked' && <LockedDialog />}
      {confirming && <ConfirmReset onDone={(ok) => void reset(ok)} />}
    </div>
  )
}
