// UI state (zustand): the open REPL panes, the theme and the output mode.

import { create } from 'zustand'
import type { OutputMode } from '../repl/format.ts'

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
  setTheme: (theme) => {
    safeSet(THEME_KEY, theme)
    set({ theme })
  },
  setOutputMode: (outputMode) => {
    safeSet(MODE_KEY, outputMode)
    set({ outputMode })
  },
}))
