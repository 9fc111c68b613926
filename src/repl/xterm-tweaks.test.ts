import { describe, expect, it } from 'vitest'
import { skipEmptySelectionRedraws } from './xterm-tweaks.ts'

type Range = [number, number] | undefined

function fakeTerminal(): { term: object; calls: [Range, Range, boolean][] } {
  const calls: [Range, Range, boolean][] = []
  const renderService = {
    handleSelectionChanged(start: Range, end: Range, mode: boolean) {
      calls.push([start, end, mode])
    },
  }
  return { term: { _core: { _renderService: renderService } }, calls }
}

describe('skipEmptySelectionRedraws', () => {
  it('skips redraws while there is no selection, and redraws one that appears, moves or goes', () => {
    const { term, calls } = fakeTerminal()
    expect(skipEmptySelectionRedraws(term)).toBe(true)
    const service = (term as { _core: { _renderService: { handleSelectionChanged(s: Range, e: Range, m: boolean): void } } })._core._renderService
    // Scrolls with nothing selected: no redraw.
    service.handleSelectionChanged(undefined, undefined, false)
    service.handleSelectionChanged(undefined, undefined, false)
    expect(calls).toEqual([])
    // A selection appears, then moves (a scroll with it): both drawn.
    service.handleSelectionChanged([0, 1], [5, 1], false)
    service.handleSelectionChanged([0, 0], [5, 0], true)
    // It goes: drawn once more (to clear it), then scrolls skip again.
    service.handleSelectionChanged(undefined, undefined, false)
    service.handleSelectionChanged(undefined, undefined, false)
    expect(calls).toEqual([
      [[0, 1], [5, 1], false],
      [[0, 0], [5, 0], true],
      [undefined, undefined, false],
    ])
  })

  it('leaves a terminal of another shape alone', () => {
    expect(skipEmptySelectionRedraws({})).toBe(false)
    expect(skipEmptySelectionRedraws({ _core: {} })).toBe(false)
    expect(skipEmptySelectionRedraws({ _core: { _renderService: { handleSelectionChanged: 1 } } })).toBe(false)
  })
})
