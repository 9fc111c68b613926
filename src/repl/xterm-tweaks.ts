// One measured fix to xterm.js 6's DOM renderer, through its private shape.
//
// xterm's SelectionService asks for a selection redraw after every scroll
// (its refresh() runs on each onScroll), and the DOM renderer answers a
// selection redraw by rebuilding every row. So a reply that scrolls the
// screen had all of its rows built twice in the frame that shows it: once by
// the render of the new lines, once for a selection that does not exist
// (~0.5 ms of script per reply, plus the DOM churn, on a 40-row terminal).
// Here the redraw is skipped when there is no selection now and none drawn
// before; a selection that appears, moves or goes still redraws as before.

/** The part of xterm's private render service this touches. */
interface RenderServiceLike {
  handleSelectionChanged(start: [number, number] | undefined, end: [number, number] | undefined, columnSelectMode: boolean): void
}

interface TerminalLike {
  _core?: { _renderService?: RenderServiceLike }
}

/**
 * Installs the skip on a terminal that has been opened (term.open creates the
 * render service). Returns false, and changes nothing, when xterm's private
 * shape is not the one expected (a future version): xterm then works as shipped.
 */
export function skipEmptySelectionRedraws(term: object): boolean {
  const service = (term as TerminalLike)._core?._renderService
  if (!service || typeof service.handleSelectionChanged !== 'function') return false
  const original = service.handleSelectionChanged.bind(service)
  let drawn = false
  service.handleSelectionChanged = (start, end, columnSelectMode) => {
    const has = start !== undefined && end !== undefined
    if (!has && !drawn) return
    drawn = has
    original(start, end, columnSelectMode)
  }
  return true
}
