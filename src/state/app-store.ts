// UI state (zustand): the open REPL panes, the theme and the output mode.

import { create } from 'zustand'
import type { OutputMode } from '../repl/format.ts'
import { commandKeys } from '../engine-client.ts'

export type Theme = 'light' | 'dark'

export interface PaneInfo {
  /** Stable id of the pane (not the engine client id, which changes on reconnect). */
  key: number
}

export interface AppState {
  panes: PaneInfo[]
  /** The pane that has (or last had) the keyboard. */
  activePane: number
  theme: Theme
  outputMode: OutputMode
  addPane(): void
  closePane(key: number): void
  setActivePane(key: number): void
  setTheme(t: Theme): void
  setOutputMode(m: OutputMode): void
  /** The key the inspector shows: the last key a command named, in the db it ran in. */
  inspected: { db: number; key: string } | null
  /** Bumped after every command, so the inspector takes a fresh snapshot. */
  commandCount: number
  commandRan(argv: string[], db: number): void
  /** The db the last command ran in, or the one a SELECT moved to (the key browser follows it). */
  clientDb: number
  inspect(db: number, key: string): void
}

export const MAX_PANES = 4
const THEME_KEY = 'glassbox.theme'
const MODE_KEY = 'glassbox.outputMode'

function initialTheme(): Theme {
  const saved = safeGet(THEME_KEY)
  if (saved === 'light' || saved === 'dark') return saved
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

let nextKey = 1

export const useApp = create<AppState>((set, get) => ({
  panes: [{ key: nextKey++ }],
  activePane: 1,
  theme: initialTheme(),
  outputMode: safeGet(MODE_KEY) === 'raw' ? 'raw' : 'tty',
  addPane: () => {
    if (get().panes.length >= MAX_PANES) return
    const key = nextKey++
    set((s) => ({ panes: [...s.panes, { key }], activePane: key }))
  },
  closePane: (key) => {
    const panes = get().panes.filter((p) => p.key !== key)
    if (panes.length === 0) panes.push({ key: nextKey++ })
    set({ panes, activePane: panes[Math.max(0, panes.length - 1)].key })
  },
  setActivePane: (key) => set({ activePane: key }),
  inspected: null,
  commandCount: 0,
  clientDb: 0,
  commandRan: (argv, db) => {
    // SELECT n: the browser follows at once (a failed SELECT is corrected by the next command's db).
    const selected = argv.length === 2 && argv[0].toLowerCase() === 'select' && /^(1[0-5]|[0-9])$/.test(argv[1]) ? Number(argv[1]) : db
    set((s) => ({ commandCount: s.commandCount + 1, clientDb: selected }))
    // Which arguments are keys is the command table's business (COMMAND GETKEYS), asked of the worker.
    void commandKeys(argv).then((keys) => {
      if (keys.length > 0) set({ inspected: { db, key: keys[0] } })
    })
  },
  inspect: (db, key) => set({ inspected: { db, key } }),
  setTheme: (theme) => {
    safeSet(THEME_KEY, theme)
    set({ theme })
  },
  setOutputMode: (outputMode) => {
    safeSet(MODE_KEY, outputMode)
    set({ outputMode })
  },
}))
