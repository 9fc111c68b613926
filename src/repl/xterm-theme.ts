// xterm colour themes matching the app's light and dark themes. Both keep
// redis-cli's hint colour (ANSI bright black, 90) readable: WCAG AA on the
// background for text, a softer grey for hints.

import type { ITheme } from '@xterm/xterm'
import type { Theme } from '../state/app-store.ts'

const dark: ITheme = {
  background: '#14161a',
  foreground: '#e6e6e6',
  cursor: '#f5c451',
  cursorAccent: '#14161a',
  selectionBackground: '#3a4660',
  black: '#1e2127',
  red: '#ff7a85',
  green: '#9ad27a',
  yellow: '#f5c451',
  blue: '#74b0ff',
  magenta: '#d49bff',
  cyan: '#5fd7d7',
  white: '#d0d0d0',
  brightBlack: '#8b93a1',
  brightRed: '#ff98a0',
  brightGreen: '#b5e59b',
  brightYellow: '#ffd77a',
  brightBlue: '#9cc7ff',
  brightMagenta: '#e2b8ff',
  brightCyan: '#8ee8e8',
  brightWhite: '#ffffff',
}

const light: ITheme = {
  background: '#fbfbf8',
  foreground: '#1d1f23',
  cursor: '#b3261e',
  cursorAccent: '#fbfbf8',
  selectionBackground: '#c9dcff',
  black: '#1d1f23',
  red: '#b3261e',
  green: '#2e7d32',
  yellow: '#8a6100',
  blue: '#1b5fbf',
  magenta: '#8e3bb0',
  cyan: '#00707a',
  white: '#c8c8c8',
  brightBlack: '#6b7280',
  brightRed: '#d93a30',
  brightGreen: '#3b8f40',
  brightYellow: '#a37400',
  brightBlue: '#2f74d6',
  brightMagenta: '#a04ec4',
  brightCyan: '#008a96',
  brightWhite: '#000000',
}

export function xtermTheme(t: Theme): ITheme {
  return t === 'dark' ? dark : light
}
