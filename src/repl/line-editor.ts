// A pure line editor with the key bindings of the linenoise that redis-cli 7.0.15 is
// built with (deps/linenoise: linenoiseEdit, completeLine, linenoiseEditHistoryNext),
// fed with terminal input (xterm onData strings) and answering with actions the
// terminal layer draws. No DOM, no timers.

export type EditorAction =
  /** Redraw the line: `prompt` is set only while searching (replaces the normal prompt);
   * `cursor` is a UTF-16 offset into `text`; `hint` is drawn dimmed after the text. */
  | { type: 'render'; text: string; cursor: number; hint: string | null; prompt?: string }
  /** Enter: the line is done (the hint has already been cleared by a render). */
  | { type: 'submit'; line: string }
  /** Ctrl-L: clear the screen; a render follows. */
  | { type: 'clear-screen' }
  /** Ctrl-C at the prompt (redis-cli exits: linenoise returns NULL). */
  | { type: 'interrupt' }
  /** Ctrl-D on an empty line (redis-cli exits). */
  | { type: 'eof' }
  /** linenoiseBeep: no completion, or TAB wrapped back to the typed text. */
  | { type: 'beep' }

export interface LineEditorOptions {
  /** Oldest first, as in ~/.rediscli_history. Copied. */
  history?: readonly string[]
  /** linenoise's default, which redis-cli keeps: 100 lines. */
  historyMax?: number
  /** TAB candidates for a line (help.ts completions). */
  complete?: (line: string) => string[]
  /** Dimmed hint for a line (help.ts hintFor), or null. */
  hint?: (line: string) => string | null
  /** Ctrl-R reverse-i-search (readline style). linenoise in 7.0.15 has none and inserts
   * a literal \x12; default true because the app asked for it. */
  reverseSearch?: boolean
}

export const DEFAULT_HISTORY_MAX = 100

interface Completion { list: string[]; index: number }
interface Search { query: string; match: number; failed: boolean; savedBuf: string[]; savedPos: number }

export class LineEditor {
  private hist: string[]
  private readonly historyMax: number
  private readonly complete?: (line: string) => string[]
  private readonly hintFn?: (line: string) => string | null
  private readonly reverseSearch: boolean
  private hintsOn = true

  private buf: string[] = [] // code points
  private pos = 0
  private histIndex = 0
  private editing = false
  private pending = ''
  private completion: Completion | null = null
  private search: Search | null = null
  private actions: EditorAction[] = []

  constructor(opts: LineEditorOptions = {}) {
    this.historyMax = opts.historyMax ?? DEFAULT_HISTORY_MAX
    this.hist = [...(opts.history ?? [])].slice(-this.historyMax)
    this.complete = opts.complete
    this.hintFn = opts.hint
    this.reverseSearch = opts.reverseSearch ?? true
  }

  /** The saved history, oldest first (without the line being edited). */
  get history(): readonly string[] {
    return this.editing ? this.hist.slice(0, -1) : [...this.hist]
  }

  /** The line being edited and the cursor (in code points). */
  get line(): { text: string; pos: number } {
    return { text: this.buf.join(''), pos: this.pos }
  }

  get isEditing(): boolean {
    return this.editing
  }

  /** ':set hints' / ':set nohints'. */
  setHintsEnabled(on: boolean): void {
    this.hintsOn = on
  }

  /**
   * linenoiseHistoryAdd: append a line unless it repeats the last one; drop the oldest
   * beyond historyMax. Call it after a submit when cli.ts says so (redis-cli keeps
   * secrets and bad lines out).
   */
  addHistory(line: string): void {
    const h = this.editing ? this.hist.slice(0, -1) : this.hist
    if (h.length > 0 && h[h.length - 1] === line) return
    h.push(line)
    while (h.length > this.historyMax) h.shift()
    this.hist = this.editing ? [...h, this.hist[this.hist.length - 1]!] : h
  }

  /**
   * Draw the line being edited again, its hint asked anew (the help table has just
   * arrived). Nothing while no line is being edited, or for an empty one.
   */
  refresh(): EditorAction[] {
    if (!this.editing || (this.buf.length === 0 && !this.search)) return []
    this.render()
    return this.take()
  }

  /** Drop typed-ahead input (e.g. after Ctrl-C interrupted subscribed mode). */
  clearPending(): void {
    this.pending = ''
  }

  /**
   * Start editing a new, empty line (linenoise() is called): renders it, then runs any
   * input typed ahead while the previous command ran (a multi-line paste continues
   * here, one line per start()).
   */
  start(): EditorAction[] {
    this.buf = []
    this.pos = 0
    this.histIndex = 0
    this.completion = null
    this.search = null
    this.editing = true
    // linenoise keeps the line being edited as the newest history entry.
    this.hist.push('')
    this.actions = []
    this.render()
    this.drain()
    return this.take()
  }

  /** Terminal input. While no line is being edited it is queued for the next start(). */
  feed(data: string): EditorAction[] {
    this.pending += data
    if (!this.editing) return []
    this.actions = []
    this.drain()
    return this.take()
  }

  private take(): EditorAction[] {
    const a = this.actions
    this.actions = []
    return a
  }

  private emit(a: EditorAction): void {
    const last = this.actions[this.actions.length - 1]
    // A paste produces one redraw per key: keep only the last of a run.
    if (a.type === 'render' && last?.type === 'render') this.actions[this.actions.length - 1] = a
    else this.actions.push(a)
  }

  private text(): string {
    return this.buf.join('')
  }

  private cursorUnits(): number {
    return this.buf.slice(0, this.pos).join('').length
  }

  private render(withHint = true): void {
    if (this.search) {
      const s = this.search
      const shown = s.match >= 0 ? this.hist[s.match]! : this.text()
      const at = s.match >= 0 ? shown.lastIndexOf(s.query) : -1
      this.emit({
        type: 'render',
        text: shown,
        cursor: at >= 0 ? at : shown.length,
        hint: null,
        prompt: `(${s.failed ? 'failed ' : ''}reverse-i-search)\`${s.query}': `,
      })
      return
    }
    const text = this.completion && this.completion.index < this.completion.list.length
      ? this.completion.list[this.completion.index]!
      : this.text()
    const cursor = this.completion && this.completion.index < this.completion.list.length ? text.length : this.cursorUnits()
    const hint = withHint && this.hintsOn && this.hintFn ? this.hintFn(text) : null
    this.emit({ type: 'render', text, cursor, hint })
  }

  /**
   * Split the next key off the pending input: one char, or what linenoise reads after an
   * ESC: two more bytes, three when they are '[' and a digit. Like linenoise, a lone ESC
   * waits for (and swallows) the next bytes, and sequences it does not know are dropped
   * whole, while their tail is typed (xterm's Ctrl-Right "ESC [ 1 ; 5 C" inserts "5C", as
   * in a real terminal). Returns null when more input is needed.
   */
  private nextKey(): string | null {
    const p = this.pending
    if (p.length === 0) return null
    let n: number
    if (p[0] === '\x1b') {
      if (p.length < 3) return null
      n = p[1] === '[' && /[0-9]/.test(p[2]!) ? 4 : 3
      if (p.length < n) return null
    } else if (p[0] === '\r' && p[1] === '\n') {
      n = 2
    } else {
      n = p.codePointAt(0)! > 0xffff ? 2 : 1
    }
    this.pending = p.slice(n)
    return p.slice(0, n)
  }

  private drain(): void {
    while (this.editing) {
      // completeLine returns on the ESC byte itself: the typed text is back at once.
      if (this.completion && this.pending[0] === '\x1b') {
        this.completion = null
        this.render()
      }
      // An ESC ends a reverse search at once, keeping the match (readline).
      if (this.search && this.pending[0] === '\x1b') {
        this.acceptSearch()
        this.render()
      }
      const key = this.nextKey()
      if (key === null) return
      this.key(key)
    }
  }

  private finish(a: EditorAction): void {
    // linenoise drops the "line being edited" history entry before returning.
    this.hist.pop()
    this.editing = false
    this.completion = null
    this.search = null
    this.emit(a)
  }

  private key(k: string): void {
    if (this.search) {
      if (this.searchKey(k)) return
    }
    if (this.completion) {
      const c = this.completion
      if (k === '\t') {
        c.index = (c.index + 1) % (c.list.length + 1)
        if (c.index === c.list.length) this.emit({ type: 'beep' })
        this.render()
        return
      }
      this.completion = null
      if (c.index < c.list.length) {
        this.buf = Array.from(c.list[c.index]!)
        this.pos = this.buf.length
      }
      // ...and the key is handled as usual.
    }
    switch (k) {
      case '\t': {
        const list = this.complete ? this.complete(this.text()) : []
        if (list.length === 0) {
          this.emit({ type: 'beep' })
          return
        }
        this.completion = { list, index: 0 }
        this.render()
        return
      }
      case '\r': case '\n': case '\r\n': {
        // Multi-line mode moves to the end, then redraws without the hint.
        this.pos = this.buf.length
        this.render(false)
        this.finish({ type: 'submit', line: this.text() })
        return
      }
      case '\x03': this.finish({ type: 'interrupt' }); return
      case '\x7f': case '\x08': this.backspace(); return
      case '\x04':
        if (this.buf.length > 0) this.deleteRight()
        else this.finish({ type: 'eof' })
        return
      case '\x14': // Ctrl-T: swap the two chars around the cursor
        if (this.pos > 0 && this.pos < this.buf.length) {
          const t = this.buf[this.pos - 1]!
          this.buf[this.pos - 1] = this.buf[this.pos]!
          this.buf[this.pos] = t
          if (this.pos !== this.buf.length - 1) this.pos++
          this.render()
        }
        return
      case '\x02': this.move(this.pos - 1); return
      case '\x06': this.move(this.pos + 1); return
      case '\x10': this.historyStep(1); return
      case '\x0e': this.historyStep(-1); return
      case '\x15': this.buf = []; this.pos = 0; this.render(); return
      case '\x0b': this.buf = this.buf.slice(0, this.pos); this.render(); return
      case '\x01': this.move(0); return
      case '\x05': this.move(this.buf.length); return
      case '\x0c': this.emit({ type: 'clear-screen' }); this.render(); return
      case '\x17': { // Ctrl-W: delete the previous word (space separated)
        const old = this.pos
        let p = this.pos
        while (p > 0 && this.buf[p - 1] === ' ') p--
        while (p > 0 && this.buf[p - 1] !== ' ') p--
        this.buf.splice(p, old - p)
        this.pos = p
        this.render()
        return
      }
      case '\x12':
        if (this.reverseSearch) {
          this.search = { query: '', match: -1, failed: false, savedBuf: [...this.buf], savedPos: this.pos }
          this.render()
          return
        }
        break
    }
    if (k.startsWith('\x1b')) {
      this.escape(k)
      return
    }
    this.insert(k)
  }

  private escape(k: string): void {
    switch (k) {
      case '\x1b[A': this.historyStep(1); return
      case '\x1b[B': this.historyStep(-1); return
      case '\x1b[C': this.move(this.pos + 1); return
      case '\x1b[D': this.move(this.pos - 1); return
      case '\x1b[H': case '\x1bOH': this.move(0); return
      case '\x1b[F': case '\x1bOF': this.move(this.buf.length); return
      case '\x1b[3~': this.deleteRight(); return
      default: return // other sequences (and a lone ESC) do nothing
    }
  }

  private insert(k: string): void {
    this.buf.splice(this.pos, 0, k)
    this.pos++
    this.render()
  }

  private backspace(): void {
    if (this.pos > 0 && this.buf.length > 0) {
      this.buf.splice(this.pos - 1, 1)
      this.pos--
      this.render()
    }
  }

  private deleteRight(): void {
    if (this.buf.length > 0 && this.pos < this.buf.length) {
      this.buf.splice(this.pos, 1)
      this.render()
    }
  }

  private move(p: number): void {
    if (p < 0 || p > this.buf.length || p === this.pos) return
    this.pos = p
    this.render()
  }

  /** linenoiseEditHistoryNext: dir 1 = older (up), -1 = newer (down). The entry being left
   * keeps the edits made to it, as in linenoise. */
  private historyStep(dir: 1 | -1): void {
    if (this.hist.length <= 1) return
    this.hist[this.hist.length - 1 - this.histIndex] = this.text()
    this.histIndex += dir
    if (this.histIndex < 0) { this.histIndex = 0; return }
    if (this.histIndex >= this.hist.length) { this.histIndex = this.hist.length - 1; return }
    this.buf = Array.from(this.hist[this.hist.length - 1 - this.histIndex]!)
    this.pos = this.buf.length
    this.render()
  }

  /** Search older entries (excluding the line being edited) from `from` down. */
  private findFrom(from: number, query: string): number {
    for (let i = Math.min(from, this.hist.length - 2); i >= 0; i--) {
      if (this.hist[i]!.includes(query)) return i
    }
    return -1
  }

  /** Keys while in reverse-i-search. Returns true when the key was consumed. */
  private searchKey(k: string): boolean {
    const s = this.search!
    const start = s.match >= 0 ? s.match : this.hist.length - 2
    if (k === '\x12') {
      if (s.query !== '') {
        const m = this.findFrom((s.match >= 0 ? s.match : this.hist.length - 1) - 1, s.query)
        if (m >= 0) { s.match = m; s.failed = false } else s.failed = true
      }
      this.render()
      return true
    }
    if (k === '\x07' || k === '\x03') { // Ctrl-G / Ctrl-C: give up, back to the typed line
      this.buf = s.savedBuf
      this.pos = s.savedPos
      this.search = null
      this.render()
      return true
    }
    if (k === '\x7f' || k === '\x08') {
      s.query = Array.from(s.query).slice(0, -1).join('')
      const m = s.query === '' ? -1 : this.findFrom(this.hist.length - 2, s.query)
      s.match = m
      s.failed = s.query !== '' && m < 0
      this.render()
      return true
    }
    if (k.length >= 1 && k >= ' ' && !k.startsWith('\x1b') && k !== '\x7f') {
      const q = s.query + k
      const m = this.findFrom(start, q)
      s.query = q
      if (m >= 0) { s.match = m; s.failed = false } else s.failed = true
      this.render()
      return true
    }
    // Any other key accepts the match into the line and is then handled normally
    // (Enter submits it).
    this.acceptSearch()
    return false
  }

  private acceptSearch(): void {
    const s = this.search!
    if (s.match >= 0) {
      const line = this.hist[s.match]!
      this.buf = Array.from(line)
      const at = line.lastIndexOf(s.query)
      this.pos = at >= 0 ? Array.from(line.slice(0, at)).length : this.buf.length
    } else {
      this.buf = s.savedBuf
      this.pos = s.savedPos
    }
    this.search = null
  }
}
