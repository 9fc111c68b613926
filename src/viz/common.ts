// Small helpers shared by the view layouts: byte formatting, label escaping and a
// flow layout that wraps items into rows. Pure: no DOM, no React.

/** Two-digit (or wider) lower-case hex of a byte or small number. */
export function hex(n: number, pad = 2): string {
  return n.toString(16).padStart(pad, '0')
}

/** Space-separated hex of some bytes, e.g. "6d 33". */
export function hexBytes(bytes: readonly number[]): string {
  return bytes.map((b) => hex(b)).join(' ')
}

/** A byte as a visible character, or '·' for control and high bytes. */
export function byteChar(code: number): string {
  return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : '·'
}

/** Char codes of a byte string (one char per byte, design.md "Bytes"). */
export function byteCodes(s: string, max = Infinity): number[] {
  const n = Math.min(s.length, max)
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) out[i] = s.charCodeAt(i) & 0xff
  return out
}

/**
 * A byte string as a label: UTF-8 decoded when it is valid UTF-8, printable ASCII kept,
 * other bytes escaped like redis-cli ("\xff"), cut to `max` characters with an ellipsis.
 */
let utf8: TextDecoder | null = null

export function byteLabel(s: string, max = 24): string {
  let text: string
  try {
    utf8 ??= new TextDecoder('utf-8', { fatal: true })
    text = utf8.decode(Uint8Array.from(byteCodes(s)))
    text = text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${hex(c.charCodeAt(0))}`)
  } catch {
    text = ''
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      text += c >= 0x20 && c < 0x7f ? s[i] : `\\x${hex(c & 0xff)}`
    }
  }
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text
}

/** Clamp to [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}

export interface FlowItem {
  width: number
}

export interface FlowPlacement {
  x: number
  y: number
  row: number
}

/**
 * Place items left to right, starting a new row when the next item would pass
 * `maxWidth` (an item wider than a row gets a row of its own).
 */
export function flow(items: readonly FlowItem[], maxWidth: number, rowHeight: number, gap: number, left = 0, top = 0): { placements: FlowPlacement[]; width: number; height: number; rows: number } {
  const placements: FlowPlacement[] = []
  let x = left
  let row = 0
  let widest = 0
  for (const it of items) {
    if (x > left && x + it.width > left + maxWidth) {
      row++
      x = left
    }
    placements.push({ x, y: top + row * (rowHeight + gap), row })
    x += it.width + gap
    widest = Math.max(widest, x - gap)
  }
  const rows = items.length === 0 ? 0 : row + 1
  return { placements, width: widest, height: rows === 0 ? 0 : rows * rowHeight + (rows - 1) * gap, rows }
}

/** "1 entry" / "3 entries". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
