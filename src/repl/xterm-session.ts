// One REPL session in an xterm.js terminal: redis-cli's repl() loop for one
// engine client. The pure pieces (argument splitting, reply formatting, hints,
// the line editor) live beside this file; this module owns the terminal, the
// order of input and output, and the client's modes (prompt, command running,
// subscribed / MONITOR streaming, blocked).

import type { Terminal } from '@xterm/xterm'
import { EngineConnection } from '../engine-client.ts'
import type { Frame } from '../worker/types.ts'
import { HISTORY_MAX, type HistoryStore } from '../state/history.ts'
import { parseResp, type RespValue } from './resp.ts'
import { formatCommandReply, formatElapsed, formatPush, type OutputMode } from './format.ts'
import { utf8Text } from './split.ts'
import { completions, helpCommand, hintFor, type HelpTable } from './help.ts'
import { afterInterrupt, INTERRUPT_ECHO, modeForCommand, promptFor, staysInMode, subscribedBanner, trackClientState, type ClientState } from './prompt.ts'
import { interpretLine } from './cli.ts'
import { LineEditor, type EditorAction } from './line-editor.ts'
import { renderEditLine, type RenderState } from './xterm-render.ts'

export interface ReplSessionOptions {
  term: Terminal
  history: HistoryStore
  /** The help table once COMMAND DOCS has loaded (hints and completion wait for it). */
  help: () => HelpTable | undefined
  /** tty (redis-cli on a terminal, --no-raw) or raw (--raw). */
  outputMode: () => OutputMode
  /** Called when the prompt or the mode changes (for the pane's header). */
  onStatus?: (s: SessionStatus) => void
  /**
   * Called for every command line (the REPL benchmark), in ms from the Enter key:
   * `painted`, to the animation frame in which xterm's renderer draws the reply (its
   * onRender event); `buffered`, to the reply being parsed into xterm's buffer;
   * `frameDone`, to the end of that frame's work on the page's thread (style, layout,
   * paint, commit: what is left is the compositor's raster and the display).
   */
  onRoundTrip?: (t: RoundTrip) => void
  /**
   * Called after each command the engine answered, with the db selected when it was sent
   * (the inspector follows it). Called after the reply has been painted, off the reply's path.
   */
  onCommand?: (argv: string[], db: number) => void
  /** Called with the time of each command's trip to the engine worker and back, in ms. */
  onEngineTrip?: (ms: number) => void
}

export interface RoundTrip {
  painted: number
  buffered: number
  frameDone: number
}

export type SessionMode = 'starting' | 'prompt' | 'running' | 'subscribed' | 'monitor' | 'blocked'

export interface SessionStatus {
  mode: SessionMode
  prompt: string
  clientId: number | undefined
  /** Lines finished so far (tests wait for this to move). */
  done: number
}

const HOST = '127.0.0.1'
const PORT = 6379


const CONNECT_UNAVAILABLE = 'Glassbox runs one server inside this page: CONNECT is not available.\n'

/**
 * Output waits at most this long in the session's buffer (a slow or blocked command's
 * newline, the replies of a long repeat or paste): what a command prints normally goes
 * out with the next prompt, in one write.
 */
const FLUSH_MS = 20

/**
 * Run work that is not the reply (history writes, the inspector's refresh) after the
 * frame that paints the reply: a message posted from an animation frame callback runs
 * once that frame's rendering is done. Queued by afterPaint(), started by
 * startAfterPaint() once the reply is written (so its frame callback comes after
 * xterm's render in that frame); a timer covers hidden pages (no frames).
 */
const afterPaintQueue: (() => void)[] = []
let afterPaintScheduled = false
let afterPaintChannel: MessageChannel | undefined
function runAfterPaint(): void {
  afterPaintScheduled = false
  for (const fn of afterPaintQueue.splice(0)) fn()
}
function afterPaint(fn: () => void): void {
  afterPaintQueue.push(fn)
  setTimeout(runAfterPaint, 250)
}
function startAfterPaint(): void {
  if (afterPaintQueue.length === 0 || afterPaintScheduled) return
  afterPaintScheduled = true
  if (!afterPaintChannel) {
    afterPaintChannel = new MessageChannel()
    afterPaintChannel.port1.onmessage = runAfterPaint
  }
  const channel = afterPaintChannel
  requestAnimationFrame(() => channel.port2.postMessage(null))
}

export class ReplSession {
  private conn: EngineConnection | undefined
  private editor: LineEditor | undefined
  private mode: SessionMode = 'starting'
  private state: ClientState = { host: HOST, port: PORT, db: 0, inMulti: false, preMultiDb: 0 }
  /** Input typed before the editor exists. */
  private early: string[] = []
  private render: RenderState = { rowsAboveCursor: 0 }
  /** The last line drawn, to redraw it after a resize. */
  private lastDraw: { text: string; cursor: number; hint: string; prompt?: string } = { text: '', cursor: 0, hint: '' }
  /** RESP3 pushes that arrived at the prompt: redis-cli reads them before the next reply. */
  private readonly unsolicited: RespValue[] = []
  /** The argv whose replies are being printed (output_raw depends on it). */
  private currentArgv: string[] = []
  private lastReply: RespValue | undefined
  private waiter: { frames: (f: Frame) => boolean; interrupt: () => void } | undefined
  private disposed = false
  private reconnectNeeded = false
  private unlisten: (() => void) | undefined
  private enterAt = 0
  /** timeStamp of the last Enter keydown (the round trip starts there, when known). */
  private enterKeyAt = 0
  private done = 0
  /** Terminal output not yet handed to xterm (see flush()). */
  private pendingOut = ''
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  /** Lines finished whose output is in pendingOut: `done` counts them once xterm has parsed it. */
  private linesUnflushed = 0
  /** Enter time of the first of those lines (the round trip measured at the next flush). */
  private measureFrom = 0
  /** Work for after the next flush's frame (history writes). */
  private afterReply: (() => void)[] = []
  /** A measured round trip waiting for xterm's renderer to draw it. */
  private awaitingRender: { from: number; buffered: number } | undefined
  private statusTimer: ReturnType<typeof setTimeout> | undefined
  private unblocks = 0

  constructor(private readonly opts: ReplSessionOptions) {}

  // ---- life cycle -----------------------------------------------------------

  async start(): Promise<void> {
    this.opts.term.onData((data) => this.onData(data))
    this.opts.term.onResize(() => {
      if (this.mode === 'prompt') {
        this.redraw()
        this.flush()
      }
    })
    this.opts.term.onRender(() => this.rendered())
    // History from IndexedDB first: the editor takes a copy, like linenoise loading its file.
    await Promise.all([this.opts.history.ready, this.connect()])
    if (this.disposed) return
    this.editor = new LineEditor({
      history: this.opts.history.entries,
      historyMax: HISTORY_MAX,
      hint: (line: string) => this.hintFor(line),
      complete: (line: string) => this.completionsFor(line),
    })
    for (const d of this.early.splice(0)) this.editor.feed(d)
    await this.newLine()
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.statusTimer)
    clearTimeout(this.flushTimer)
    this.waiter?.interrupt()
    this.unlisten?.()
    this.conn?.close()
  }

  get status(): SessionStatus {
    return { mode: this.mode, prompt: this.prompt(), clientId: this.conn?.id, done: this.done }
  }

  private async connect(): Promise<void> {
    this.unlisten?.()
    this.conn?.close()
    const conn = await EngineConnection.open()
    if (this.disposed) {
      conn.close()
      return
    }
    // cliConnect re-selects the db the prompt shows (cliSelect), silently: before anyone listens.
    if (this.state.db !== 0) await conn.send(['SELECT', String(this.state.db)])
    this.conn = conn
    this.reconnectNeeded = false
    this.unlisten = conn.onFrame((f) => this.onFrame(f))
    this.emitStatus()
  }

  private setMode(m: SessionMode): void {
    if (m === this.mode) return
    this.mode = m
    clearTimeout(this.statusTimer)
    // Most commands finish within a frame: say "running" only for the slow ones, so the pane
    // header (and its live region) does not flicker and re-render on every command.
    if (m === 'running') this.statusTimer = setTimeout(() => this.emitStatus(), 150)
    else this.emitStatus()
  }

  /** The help table has loaded: the line being typed gets its hint. */
  helpTableLoaded(): void {
    if (this.editor && !this.disposed) void this.perform(this.editor.refresh())
  }

  /** The Enter key went down at `timeStamp` (an event's timeStamp, performance.now()'s clock). */
  noteEnterKey(timeStamp: number): void {
    this.enterKeyAt = timeStamp
  }

  private emitStatus(): void {
    this.opts.onStatus?.(this.status)
  }

  private prompt(): string {
    return promptFor(this.state)
  }

  // ---- input ----------------------------------------------------------------

  private onData(data: string): void {
    if (this.disposed) return
    // Ctrl-C while a command runs or a stream is open acts at once (redis-cli's SIGINT).
    if (this.mode !== 'prompt' && this.mode !== 'starting' && data.includes('\x03')) {
      this.waiter?.interrupt()
      return
    }
    if (!this.editor) {
      this.early.push(data)
      return
    }
    // While a command runs the editor queues the input (type-ahead, the rest of a paste).
    void this.perform(this.editor.feed(data))
  }

  /**
   * Carry out editor actions; a submitted line runs to completion before the next line starts.
   * What they print goes to xterm in one write once they are done (the reply and the next
   * prompt together, parsed at once since the user just typed: see flush()).
   */
  private async perform(actions: EditorAction[]): Promise<void> {
    let queue = actions
    while (queue.length > 0 && !this.disposed) {
      const next: EditorAction[] = []
      for (const a of queue) next.push(...(await this.act(a)))
      queue = next
    }
    this.flush()
  }

  /** One editor action; returns the actions of the next line when this one ended it. */
  private async act(a: EditorAction): Promise<EditorAction[]> {
    switch (a.type) {
      case 'render':
        this.draw(a.text, a.cursor, a.hint ?? '', a.prompt)
        return []
      case 'submit': {
        const now = performance.now()
        // The Enter keydown's own time when this line is the one it submitted (not type-ahead).
        this.enterAt = this.enterKeyAt > 0 && now - this.enterKeyAt < 1000 ? this.enterKeyAt : now
        this.enterKeyAt = 0
        this.setMode('running')
        // Not drawn alone: the newline goes out with the reply (one frame, one write) unless
        // the command takes longer than FLUSH_MS.
        this.write('\r\n')
        this.render = { rowsAboveCursor: 0 }
        await this.runLine(a.line)
        if (this.linesUnflushed++ === 0) this.measureFrom = this.enterAt
        return this.disposed ? [] : this.nextLine()
      }
      case 'clear-screen':
        this.clearScreen()
        return []
      case 'interrupt':
        // At the prompt Ctrl-C abandons the line (redis-cli would exit; a fresh line is friendlier):
        // the line stays, without its hint, followed by ^C as a shell shows it.
        this.draw(this.lastDraw.text, this.lastDraw.text.length, '', this.lastDraw.prompt)
        this.write(INTERRUPT_ECHO + '\r\n')
        this.render = { rowsAboveCursor: 0 }
        return this.nextLine()
      case 'eof':
        // Ctrl-D on an empty line ends redis-cli: here it restarts the client.
        this.write('\r\n')
        this.render = { rowsAboveCursor: 0 }
        this.state = { ...this.state, db: 0, inMulti: false, preMultiDb: 0 }
        await this.connect()
        return this.nextLine()
      case 'beep':
        return []
    }
  }

  private nextLine(): EditorAction[] {
    this.setMode('prompt')
    this.render = { rowsAboveCursor: 0 }
    return this.editor!.start()
  }

  private async newLine(): Promise<void> {
    await this.perform(this.nextLine())
  }

  private clearScreen(): void {
    this.write('\x1b[H\x1b[2J\x1b[3J')
    this.render = { rowsAboveCursor: 0 }
  }

  private redraw(): void {
    const d = this.lastDraw
    this.draw(d.text, d.cursor, d.hint, d.prompt)
  }

  private draw(text: string, cursor: number, hint: string, prompt?: string): void {
    this.lastDraw = { text, cursor, hint, prompt }
    const { output, state } = renderEditLine(this.render, prompt ?? this.prompt(), text, cursor, hint, this.opts.term.cols)
    this.render = state
    this.write(output)
  }

  /** Write engine/REPL output: a byte string with '\n' line ends, shown as UTF-8. */
  private out(bytes: string): void {
    if (bytes === '') return
    this.write(utf8Text(bytes).replace(/\r?\n/g, '\r\n'))
  }

  /** Queue terminal output; flush() hands it to xterm (at the latest FLUSH_MS later). */
  private write(text: string): void {
    if (text === '') return
    this.pendingOut += text
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS)
  }

  /**
   * Hand the queued output to xterm in one write. The first write after a keystroke is
   * parsed at once (xterm's WriteBuffer, after user input); any other waits for a timer
   * task, which the browser may run after a frame: so the Enter path writes once, reply
   * and prompt together, and xterm draws them in the next animation frame.
   */
  private flush(): void {
    clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    if (this.disposed) return
    const data = this.pendingOut
    const lines = this.linesUnflushed
    const from = this.measureFrom
    this.pendingOut = ''
    this.linesUnflushed = 0
    this.measureFrom = 0
    for (const fn of this.afterReply.splice(0)) afterPaint(fn)
    if (data === '' && lines === 0) {
      startAfterPaint()
      return
    }
    this.opts.term.write(data, () => {
      // The lines' output is in xterm's buffer now (tests read it once `done` moves).
      this.done += lines
      if (lines > 0 && from > 0 && this.opts.onRoundTrip) this.awaitingRender = { from, buffered: performance.now() - from }
    })
    startAfterPaint()
  }

  /** xterm's renderer drew rows (in an animation frame callback): a measured reply is on its way to the screen. */
  private rendered(): void {
    const m = this.awaitingRender
    if (!m) return
    this.awaitingRender = undefined
    const painted = performance.now() - m.from
    // A message posted now is handled once this frame's style, layout, paint and commit are done.
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      this.opts.onRoundTrip?.({ painted, buffered: m.buffered, frameDone: performance.now() - m.from })
    }
    channel.port2.postMessage(null)
  }

  // ---- a submitted line (repl() in redis-cli.c) -----------------------------

  private async runLine(line: string): Promise<void> {
    const { action, addToHistory } = interpretLine(line)
    if (addToHistory) {
      this.editor!.addHistory(line)
      // The shared, persisted history (IndexedDB) is written after the reply is on screen
      // (asking for a frame now would make the browser render one before the reply arrives).
      const history = this.opts.history
      this.afterReply.push(() => history.add(line))
    }
    switch (action.kind) {
      case 'empty':
        return
      case 'print':
        this.out(action.output)
        return
      case 'set-hints':
        this.editor!.setHintsEnabled(action.hints)
        return
      case 'clear':
        this.clearScreen()
        return
      case 'quit':
        // redis-cli exits; the closest thing here is a fresh client, as after a restart.
        this.state = { ...this.state, db: 0, inMulti: false, preMultiDb: 0 }
        await this.connect()
        return
      case 'connect':
        this.out(CONNECT_UNAVAILABLE)
        return
      case 'help': {
        const table = this.opts.help()
        this.out(table ? helpCommand(table, action.args) : 'The help table is still loading.\n')
        return
      }
      case 'command':
        break
    }
    if (this.reconnectNeeded || !this.conn || this.conn.closed) await this.connect()
    const started = performance.now()
    for (let i = 0; i < action.repeat && !this.disposed; i++) {
      const more = await this.runCommand(action.argv)
      if (!more) break
    }
    this.out(formatElapsed(performance.now() - started, this.opts.outputMode()))
  }

  /** Send one command and print what comes back; false when repeating must stop. */
  private async runCommand(argv: string[]): Promise<boolean> {
    const conn = this.conn!
    const mode = this.opts.outputMode()
    this.currentArgv = argv
    this.lastReply = undefined
    // Pushes read at the prompt are printed before this command's reply (hiredis's push callback).
    for (const v of this.unsolicited.splice(0)) this.out(formatPush(v, mode))
    const read = modeForCommand(argv)
    const streaming = read === 'subscribed' ? 'subscribed' : read === 'monitor' ? 'monitor' : undefined
    if (streaming === 'subscribed') this.out(subscribedBanner(mode))
    this.setMode(streaming ?? 'running')
    const interrupted = this.interruptible()
    const unblocksBefore = this.unblocks
    const sentAt = performance.now()
    const result = await Promise.race([conn.send(argv), interrupted.promise])
    this.opts.onEngineTrip?.(performance.now() - sentAt)
    if (result === 'interrupted') {
      await this.abandon()
      return false
    }
    const dbBefore = this.state.db
    if (this.lastReply) this.state = trackClientState(this.state, argv, this.lastReply)
    this.commandDone(argv, dbBefore)
    if (streaming) {
      // An error ends the stream at once, as in redis-cli.
      if ((this.lastReply && !staysInMode(read, this.lastReply)) || conn.closed) {
        interrupted.cancel()
        return false
      }
      this.setMode(streaming)
      await interrupted.promise
      await this.abandon()
      return false
    }
    if (result.blocked && !conn.closed) {
      // BLPOP and friends, WAIT, a command held by CLIENT PAUSE: the answer comes when the block ends.
      this.setMode('blocked')
      const served = await Promise.race([this.unblocked(unblocksBefore), interrupted.promise])
      if (served === 'interrupted') {
        await this.abandon()
        return false
      }
      const dbBefore = this.state.db
      if (this.lastReply) this.state = trackClientState(this.state, argv, this.lastReply)
      this.commandDone(argv, dbBefore)
    }
    interrupted.cancel()
    if (conn.closed) this.reconnectNeeded = true
    this.setMode('running')
    return true
  }

  /** Tell the page a command ran (the inspector re-inspects), once its reply is painted. */
  private commandDone(argv: string[], db: number): void {
    const onCommand = this.opts.onCommand
    if (onCommand) afterPaint(() => onCommand(argv, db))
  }

  /** Ctrl-C out of a stream or a blocked/slow command: like restarting redis-cli, a fresh client. */
  private async abandon(): Promise<void> {
    // The terminal echoes ^C; a new line keeps it visible above the next prompt.
    this.write(INTERRUPT_ECHO + '\r\n')
    this.flush()
    this.editor?.clearPending()
    this.state = afterInterrupt(this.state)
    await this.connect()
  }

  private interruptible(): { promise: Promise<'interrupted'>; cancel: () => void } {
    let resolve!: (v: 'interrupted') => void
    const promise = new Promise<'interrupted'>((r) => (resolve = r))
    const waiter = { frames: () => false, interrupt: () => resolve('interrupted') }
    this.waiter = waiter
    return {
      promise,
      cancel: () => {
        if (this.waiter === waiter) this.waiter = undefined
      },
    }
  }

  /** Resolves once an 'unblocked' frame came after the first `seen` (it may beat send()'s answer). */
  private unblocked(seen: number): Promise<'served'> {
    return new Promise((resolve) => {
      if (this.unblocks > seen) {
        resolve('served')
        return
      }
      const prev = this.waiter
      this.waiter = {
        interrupt: () => prev?.interrupt(),
        frames: (f) => {
          if (f.kind !== 'unblocked' && f.kind !== 'closed') return false
          resolve('served')
          return true
        },
      }
    })
  }

  // ---- engine output --------------------------------------------------------

  private onFrame(f: Frame): void {
    if (this.disposed) return
    if (f.kind === 'closed' || f.kind === 'unblocked') {
      if (f.kind === 'closed') this.reconnectNeeded = true
      else this.unblocks++
      this.waiter?.frames(f)
      return
    }
    let v: RespValue
    try {
      v = parseResp(f.bytes)
    } catch (e) {
      this.out(`Error: ${(e as Error).message}\n`)
      return
    }
    const mode = this.opts.outputMode()
    if (this.mode === 'prompt' || this.mode === 'starting') {
      // Nothing is reading the socket: keep it for the next command (hiredis reads it then).
      this.unsolicited.push(v)
      return
    }
    if (this.mode === 'subscribed' || this.mode === 'monitor' || f.kind === 'reply') {
      if (f.kind === 'reply' || this.mode === 'subscribed' || this.mode === 'monitor') this.lastReply = v
      this.out(formatCommandReply(this.currentArgv, v, mode))
    } else {
      this.out(formatPush(v, mode))
    }
    this.waiter?.frames(f)
    // Streams show what arrives as it arrives; a command's own reply goes out with the prompt.
    if (this.mode === 'subscribed' || this.mode === 'monitor' || this.mode === 'blocked') this.flush()
  }

  // ---- hints, completion, preferences --------------------------------------

  private hintFor(line: string): string | null {
    const table = this.opts.help()
    return table ? hintFor(table, line) : null
  }

  private completionsFor(line: string): string[] {
    const table = this.opts.help()
    return table ? completions(table, line) : []
  }
}
