// The page's side of persistence (issue 7): how the engine started (owner of
// the saved data, or a temporary server because another tab owns it), the
// save when the page is hidden or closed, downloads, and the start-up log the
// first REPL client prints.

import type { Terminal } from '@xterm/xterm'
import { transfer } from 'comlink'
import { create } from 'zustand'
import { engine } from '../engine-client.ts'
import type { BootResult, ExportedFile, ImportResult, PersistenceStatus } from '../worker/types.ts'

export type BootPhase = 'starting' | 'locked' | 'running'

export interface PersistenceState {
  phase: BootPhase
  status: PersistenceStatus | null
  /** The start-up log lines (empty when nothing was loaded). */
  startLog: string[]
}

export const usePersistence = create<PersistenceState>(() => ({ phase: 'starting', status: null, startLog: [] }))

let booting: Promise<BootResult> | undefined
let resolveRunning!: (lines: string[]) => void
const running = new Promise<string[]>((r) => (resolveRunning = r))

function accept(r: BootResult): BootResult {
  if (r.state === 'locked') {
    usePersistence.setState({ phase: 'locked' })
  } else {
    usePersistence.setState({ phase: 'running', status: r.status, startLog: r.log })
    installPageHide()
    resolveRunning(r.log)
  }
  return r
}

/** Start the engine the default way (own the saved data unless another tab does); once. */
export function bootEngine(): Promise<BootResult> {
  booting ??= engine().boot().then(accept)
  return booting
}

/** In a tab whose data another tab owns: run a temporary in-memory server. */
export async function startTemporaryServer(): Promise<BootResult> {
  return accept(await engine().boot({ storage: 'memory' }))
}

/** In a tab whose data another tab owned: try to take it again (the other tab may be closed now). */
export async function retryOwnership(): Promise<BootResult> {
  return accept(await engine().boot())
}

export async function refreshStatus(): Promise<PersistenceStatus | null> {
  if (usePersistence.getState().phase !== 'running') return null
  const status = await engine().persistenceStatus()
  usePersistence.setState({ status })
  return status
}

let pageHideInstalled = false

/**
 * Save when the page goes away (SHUTDOWN's final save, when there are changes):
 * on visibilitychange to hidden (switching tabs, closing, reloading, and the
 * last event a mobile browser reliably gives) and on pagehide.
 */
function installPageHide(): void {
  if (pageHideInstalled || typeof document === 'undefined') return
  pageHideInstalled = true
  const save = (): void => void engine().pageHidden()
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save()
  })
  window.addEventListener('pagehide', save)
}

/** Hand bytes to the user as a download. */
export function downloadFile(f: ExportedFile): void {
  // Browsers do not accept a path in a download name: appendonlydir/x.aof downloads as x.aof.
  const name = f.name.slice(f.name.lastIndexOf('/') + 1)
  const url = URL.createObjectURL(new Blob([f.bytes as BlobPart], { type: 'application/octet-stream' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function exportRdb(source: 'current' | 'saved'): Promise<ExportedFile | null> {
  return engine().exportRdb(source)
}

export function exportAof(): Promise<ExportedFile[]> {
  return engine().exportAof()
}

export async function importRdb(file: Blob): Promise<ImportResult> {
  const buf = await file.arrayBuffer()
  const bytes = new Uint8Array(buf)
  const r = await engine().importRdb(transfer(bytes, [buf]))
  await refreshStatus()
  return r
}

/** The server log (redis-server's format), the last lines kept. */
export async function serverLogLines(): Promise<string[]> {
  return (await engine().serverLog()).lines
}

export async function resetData(): Promise<PersistenceStatus> {
  const status = await engine().resetData()
  usePersistence.setState({ status })
  return status
}

// ---- the REPL's start-up log ----------------------------------------------

/** The pane that shows the start-up log: the first one to ask (React may mount it twice). */
let logPane: number | undefined

const DIM = '\x1b[2m'
const WARN = '\x1b[33m'
const RESET = '\x1b[0m'

/**
 * Print the server's start-up lines (loading dump.rdb ...) dimmed at the top of
 * the first REPL client, before its first prompt. The worker answers boot()
 * before any client call, so this runs before the prompt is drawn.
 */
export function writeStartLog(term: Terminal, paneKey: number): void {
  if (logPane !== undefined && logPane !== paneKey) return
  logPane = paneKey
  void bootEngine()
  void running.then((lines) => {
    if (lines.length === 0) return
    // Warnings (#) in the theme's yellow, the rest dim: a server log, not replies.
    const text = lines.map((l) => (/^\d+:M [^#]* # /.test(l) ? `${WARN}${l}${RESET}` : `${DIM}${l}${RESET}`)).join('\r\n')
    term.write(`${text}\r\n\r\n`)
  })
}
