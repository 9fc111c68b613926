import { describe, expect, it } from 'vitest'
import { renderEditLine, textWidth } from './xterm-render.ts'

const P = '127.0.0.1:6379> ' // 16 columns

describe('renderEditLine', () => {
  it('draws prompt, text and a dimmed hint on one row, cursor after the text', () => {
    const { output, state } = renderEditLine({ rowsAboveCursor: 0 }, P, 'GET', 3, ' key', 80)
    expect(output).toBe(`\r\x1b[J${P}GET\x1b[90m key\x1b[0m\r\x1b[19C`)
    expect(state).toEqual({ rowsAboveCursor: 0 })
  })

  it('cuts the hint to the room left and drops it when the line does not fit', () => {
    expect(renderEditLine({ rowsAboveCursor: 0 }, P, 'SET', 3, ' key value', 24).output).toContain('\x1b[90m key \x1b[0m')
    expect(renderEditLine({ rowsAboveCursor: 0 }, P, 'x'.repeat(10), 10, ' hint', 20).output).not.toContain('\x1b[90m')
  })

  it('wraps long lines and goes back up to redraw them', () => {
    const text = 'ECHO ' + 'a'.repeat(30) // 16 + 35 = 51 columns: rows 0..2 at width 20
    const first = renderEditLine({ rowsAboveCursor: 0 }, P, text, text.length, '', 20)
    expect(first.state).toEqual({ rowsAboveCursor: 2 })
    const again = renderEditLine(first.state, P, text, 0, '', 20)
    expect(again.output.startsWith('\x1b[2A\r\x1b[J')).toBe(true)
    // Cursor at text index 0 = column 16 of row 0: up 2 rows from the end, right 16.
    expect(again.output.endsWith('\x1b[2A\r\x1b[16C')).toBe(true)
    expect(again.state).toEqual({ rowsAboveCursor: 0 })
  })

  it('moves to the next row when the line ends exactly at the edge', () => {
    const { output, state } = renderEditLine({ rowsAboveCursor: 0 }, P, 'abcd', 4, '', 20)
    expect(output).toBe(`\r\x1b[J${P}abcd\r\n\r`)
    expect(state).toEqual({ rowsAboveCursor: 1 })
  })

  it('counts wide characters as two columns and shows control characters as ^X', () => {
    expect(textWidth('日本')).toBe(4)
    expect(textWidth('é')).toBe(1)
    const { output } = renderEditLine({ rowsAboveCursor: 0 }, P, 'a\x01b', 3, '', 80)
    expect(output).toContain(`${P}a^Ab`)
  })
})
