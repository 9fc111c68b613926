// Keys named in REPL replies become links (issue 6): a double-quoted string
// redis-cli printed ("user:1" in a KEYS or SCAN reply) that is an existing key
// of the db the key browser shows is underlined on hover, and a click brings
// it up in the key browser and the inspector.

import type { IDisposable, ILink, Terminal } from '@xterm/xterm'
import { keysInfo } from '../engine-client.ts'
import { useApp } from '../state/app-store.ts'

/** A quoted string as redis-cli prints it (sdscatrepr), with its columns on the line. */
export interface QuotedSpan {
  /** 0-based column of the opening quote, and one past the closing quote. */
  start: number
  end: number
  /** The bytes it stands for, as a byte string. */
  bytes: string
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', '"': '"', '\\': '\\' }

/** The double-quoted strings of one terminal line, their escapes undone (sdscatrepr in reverse). */
export function quotedSpans(line: string): QuotedSpan[] {
  const out: QuotedSpan[] = []
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '"') continue
    let bytes = ''
    let j = i + 1
    let closed = false
    while (j < line.length) {
      const ch = line[j]
      if (ch === '"') {
        closed = true
        break
      }
      if (ch === '\\' && j + 1 < line.length) {
        const n = line[j + 1]
        if (n === 'x' && /^[0-9a-f]{2}$/i.test(line.slice(j + 2, j + 4))) {
          bytes += String.fromCharCode(parseInt(line.slice(j + 2, j + 4), 16))
          j += 4
          continue
        }
        if (n in ESCAPES) {
          bytes += ESCAPES[n]
          j += 2
          continue
        }
      }
      bytes += ch.charCodeAt(0) <= 0xff ? ch : '?'
      j++
    }
    if (!closed) break
    out.push({ start: i, end: j + 1, bytes })
    i = j
  }
  return out
}

/** Make quoted key names in this terminal clickable. */
export function registerKeyLinks(term: Terminal): IDisposable {
  return term.registerLinkProvider({
    provideLinks(y, callback) {
      const line = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? ''
      const spans = quotedSpans(line).filter((s) => s.bytes !== '')
      if (spans.length === 0) {
        callback(undefined)
        return
      }
      const db = useApp.getState().clientDb
      void keysInfo(db, spans.map((s) => s.bytes)).then(
        (infos) => {
          const links: ILink[] = []
          spans.forEach((s, i) => {
            const info = infos[i]
            if (info === null) return
            links.push({
              // xterm ranges are 1-based and inclusive; the link covers the text inside the quotes.
              range: { start: { x: s.start + 2, y }, end: { x: s.end - 1, y } },
              text: s.bytes,
              decorations: { underline: true, pointerCursor: true },
              activate: () => useApp.getState().inspect(db, s.bytes),
            })
          })
          callback(links.length > 0 ? links : undefined)
        },
        () => callback(undefined),
      )
    },
  })
}
