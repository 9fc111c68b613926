import { describe, expect, it } from 'vitest'
import { LineEditor, type EditorAction } from './line-editor.ts'

const last = (a: EditorAction[]) => a.filter((x) => x.type === 'render').at(-1) as Extract<EditorAction, { type: 'render' }>

function editor(opts: ConstructorParameters<typeof LineEditor>[0] = {}) {
  const e = new LineEditor(opts)
  e.start()
  return e
}

describe('LineEditor (linenoise keys)', () => {
  it('inserts, moves and deletes', () => {
    const e = editor()
    expect(last(e.feed('helo'))).toMatchObject({ text: 'helo', cursor: 4 })
    expect(last(e.feed('\x1b[D\x1b[Dl'))).toMatchObject({ text: 'hello', cursor: 3 })
    expect(last(e.feed('\x01'))).toMatchObject({ cursor: 0 })
    expect(last(e.feed('\x05\x7f'))).toMatchObject({ text: 'hell', cursor: 4 })
    expect(last(e.feed('\x02\x02\x1b[3~'))).toMatchObject({ text: 'hel', cursor: 2 })
    expect(last(e.feed('\x04'))).toMatchObject({ text: 'he', cursor: 2 })
    expect(last(e.feed('\x1b[H\x06\x0b'))).toMatchObject({ text: 'h', cursor: 1 })
    expect(last(e.feed('\x15'))).toMatchObject({ text: '', cursor: 0 })
  })
  it('refresh() draws the typed line again with a hint that has become available', () => {
    let table = false
    const e = editor({ hint: (line) => (table && line.toUpperCase() === 'GET' ? ' key' : null) })
    expect(e.refresh()).toEqual([]) // an empty line: nothing to redraw
    expect(last(e.feed('GET'))).toMatchObject({ text: 'GET', hint: null })
    table = true
    expect(e.refresh()).toEqual([{ type: 'render', text: 'GET', cursor: 3, hint: ' key' }])
  })
  it('Ctrl-T swaps, Ctrl-W deletes a word, unicode is one position', () => {
    const e = editor()
    expect(last(e.feed('abc\x02\x14'))).toMatchObject({ text: 'acb', cursor: 2 })
    const w = editor()
    expect(last(w.feed('set key  value  \x17'))).toMatchObject({ text: 'set key  ', cursor: 9 })
    const u = editor()
    expect(last(u.feed('a😀b\x02\x7f'))).toMatchObject({ text: 'ab', cursor: 1 })
  })
  it('reads escape sequences like linenoise', () => {
    const e = editor()
    e.feed('ab')
    expect(last(e.feed('\x1b[1;5C'))).toMatchObject({ text: 'ab5C' })
    expect(e.feed('\x1b')).toEqual([])
    expect(last(e.feed('[D'))).toMatchObject({ text: 'ab5C', cursor: 3 })
    expect(last(e.feed('\x1bOH'))).toMatchObject({ cursor: 0 })
  })
  it('submits, interrupts, ends', () => {
    const e = editor({ hint: () => ' key' })
    const a = e.feed('get\x01\r')
    expect(a.at(-2)).toMatchObject({ type: 'render', text: 'get', cursor: 3, hint: null })
    expect(a.at(-1)).toEqual({ type: 'submit', line: 'get' })
    expect(e.isEditing).toBe(false)
    e.start()
    expect(e.feed('x\x03').at(-1)).toEqual({ type: 'interrupt' })
    e.start()
    expect(e.feed('\x04')).toEqual([{ type: 'eof' }])
    e.start()
    expect(e.feed('\x0c')).toEqual([{ type: 'clear-screen' }, { type: 'render', text: '', cursor: 0, hint: ' key' }])
  })
  it('runs a multi-line paste one line per start()', () => {
    const e = editor()
    expect(e.feed('set a 1\rget a\r\nincr b\r').at(-1)).toEqual({ type: 'submit', line: 'set a 1' })
    expect(e.start().at(-1)).toEqual({ type: 'submit', line: 'get a' })
    expect(e.start().at(-1)).toEqual({ type: 'submit', line: 'incr b' })
    expect(last(e.start())).toMatchObject({ text: '' })
    // typed while no line is edited: kept for the next one
    const f = editor()
    f.feed('x\r')
    expect(f.feed('yz')).toEqual([])
    expect(last(f.start())).toMatchObject({ text: 'yz' })
  })
  it('shows hints unless disabled', () => {
    const e = editor({ hint: (l) => (l === 'get' ? ' key' : null) })
    expect(last(e.feed('get')).hint).toBe(' key')
    e.setHintsEnabled(false)
    expect(last(e.feed(' \x7f')).hint).toBeNull()
  })
})

describe('history', () => {
  it('walks history with arrows and Ctrl-P/N, keeping edits like linenoise', () => {
    const e = editor({ history: ['one', 'two'] })
    expect(last(e.feed('\x1b[A'))).toMatchObject({ text: 'two', cursor: 3 })
    expect(last(e.feed('\x10'))).toMatchObject({ text: 'one' })
    expect(e.feed('\x10')).toEqual([]) // oldest: nothing happens
    expect(last(e.feed('!\x0e'))).toMatchObject({ text: 'two' })
    expect(last(e.feed('\x1b[B'))).toMatchObject({ text: '' })
    expect(last(e.feed('\x1b[A\x1b[A'))).toMatchObject({ text: 'one!' })
    expect(e.feed('\r').at(-1)).toEqual({ type: 'submit', line: 'one!' })
    expect(e.history).toEqual(['one!', 'two'])
  })
  it('addHistory skips repeats and caps at 100', () => {
    const e = new LineEditor()
    for (let i = 0; i < 150; i++) e.addHistory(`c${i}`)
    e.addHistory('c149')
    expect(e.history).toHaveLength(100)
    expect(e.history[0]).toBe('c50')
    e.start()
    e.addHistory('while editing')
    expect(e.history.at(-1)).toBe('while editing')
    expect(last(e.feed('\x1b[A'))).toMatchObject({ text: 'while editing' })
  })
})

describe('TAB completion (completeLine)', () => {
  const complete = (l: string) => (l.toLowerCase().startsWith('cl') ? ['CLIENT', 'CLIENT LIST', 'CLUSTER'] : [])
  it('cycles, beeps on wrap, and accepts on another key', () => {
    const e = editor({ complete, hint: (l) => (l === 'CLIENT' ? ' ' : null) })
    expect(last(e.feed('cl\t'))).toMatchObject({ text: 'CLIENT', cursor: 6, hint: ' ' })
    expect(last(e.feed('\t\t'))).toMatchObject({ text: 'CLUSTER' })
    const wrap = e.feed('\t')
    expect(wrap[0]).toEqual({ type: 'beep' })
    expect(last(wrap)).toMatchObject({ text: 'cl', cursor: 2 })
    expect(last(e.feed('\t'))).toMatchObject({ text: 'CLIENT' })
    expect(last(e.feed(' x'))).toMatchObject({ text: 'CLIENT x' })
  })
  it('ESC restores the typed text; Enter submits the candidate; no match beeps', () => {
    const e = editor({ complete })
    e.feed('cl\t\t')
    expect(last(e.feed('\x1b'))).toMatchObject({ text: 'cl' })
    // linenoise then reads two more bytes as the rest of an escape sequence
    expect(e.feed('ab')).toEqual([])
    expect(e.line.text).toBe('cl')
    e.feed('\t')
    expect(e.feed('\r').at(-1)).toEqual({ type: 'submit', line: 'CLIENT' })
    e.start()
    expect(e.feed('zz\t').at(-1)).toEqual({ type: 'beep' })
  })
})

describe('Ctrl-R reverse-i-search', () => {
  it('finds older matches, accepts with Enter, cancels with Ctrl-G', () => {
    const e = editor({ history: ['set a 1', 'get a', 'set b 2'] })
    let r = last(e.feed('\x12'))
    expect(r.prompt).toBe("(reverse-i-search)`': ")
    r = last(e.feed('set'))
    expect(r).toMatchObject({ text: 'set b 2', prompt: "(reverse-i-search)`set': ", cursor: 0 })
    r = last(e.feed('\x12'))
    expect(r.text).toBe('set a 1')
    r = last(e.feed('\x12'))
    expect(r.prompt).toBe("(failed reverse-i-search)`set': ")
    expect(e.feed('\r').at(-1)).toEqual({ type: 'submit', line: 'set a 1' })
    e.start()
    e.feed('typed\x12get')
    const g = last(e.feed('\x07'))
    expect(g.text).toBe('typed')
    expect(g.prompt).toBeUndefined()
    expect(last(e.feed('\x12get\x1b[C'))).toMatchObject({ text: 'get a', cursor: 1 })
  })
  it('ESC accepts the match at once', () => {
    const e = editor({ history: ['get a'] })
    expect(last(e.feed('\x12get\x1b'))).toMatchObject({ text: 'get a', cursor: 0 })
    expect(last(e.feed('[C'))).toMatchObject({ text: 'get a', cursor: 1 })
  })
  it('can be turned off (linenoise inserts the control char)', () => {
    const e = editor({ reverseSearch: false })
    expect(last(e.feed('\x12'))).toMatchObject({ text: '\x12' })
  })
})
