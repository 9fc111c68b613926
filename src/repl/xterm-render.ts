// Drawing the edited line in a terminal, linenoise's multi-line mode
// (refreshMultiLine): the prompt and the text wrap over as many rows as needed,
// the hint follows dimmed (redis-cli's hint colour 90) when the line fits in one
// row, and the cursor is put back where the editor says.

export interface RenderState {
  /** Rows between the first row of the prompt and the row the cursor is on. */
  rowsAboveCursor: number
}

const DIM = '\x1b[90m'
const RESET = '\x1b[0m'

/** Terminal columns taken by one code point (wcwidth, close to xterm's Unicode 11 tables). */
export function charWidth(cp: number): number {
  if (cp === 0) return 0
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0
  // Combining marks, zero-width space/joiners, variation selectors.
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 0
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)) return 2
  return 1
}

export function textWidth(s: string): number {
  let w = 0
  for (const ch of s) w += charWidth(ch.codePointAt(0)!)
  return w
}

/** Control characters are shown as in a terminal line editor: ^A and so on. */
function visible(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\x7f' ? '^?' : '^' + String.fromCharCode(c.charCodeAt(0) + 64)))
}

/**
 * The escape sequence that replaces the previously drawn line with `prompt` +
 * `text` (+ dimmed `hint`), leaving the cursor at `cursor` (an index into text).
 */
export function renderEditLine(
  prev: RenderState,
  prompt: string,
  text: string,
  cursor: number,
  hint: string,
  cols: number,
): { output: string; state: RenderState } {
  cols = Math.max(1, cols)
  const shown = visible(text)
  const before = visible(text.slice(0, cursor))
  const plen = textWidth(prompt)
  const tlen = textWidth(shown)
  let out = ''
  // Back to the first row of the old drawing, and clear everything below it.
  if (prev.rowsAboveCursor > 0) out += `\x1b[${prev.rowsAboveCursor}A`
  out += '\r\x1b[J'
  out += prompt + shown
  let total = plen + tlen
  // refreshShowHints: only when prompt and text fit in one row, cut to the room left.
  if (hint !== '' && total < cols) {
    let room = cols - total
    let h = ''
    for (const ch of hint) {
      const w = charWidth(ch.codePointAt(0)!)
      if (w > room) break
      room -= w
      h += ch
    }
    if (h !== '') {
      out += DIM + h + RESET
      total += textWidth(h)
    }
  }
  // At an exact multiple of the width the cursor waits past the last column: move it down.
  if (total > 0 && total % cols === 0) out += '\r\n'
  const endRow = Math.floor(total / cols)
  const cur = plen + textWidth(before)
  const curRow = Math.floor(cur / cols)
  const curCol = cur % cols
  if (endRow > curRow) out += `\x1b[${endRow - curRow}A`
  out += '\r'
  if (curCol > 0) out += `\x1b[${curCol}C`
  return { output: out, state: { rowsAboveCursor: curRow } }
}
