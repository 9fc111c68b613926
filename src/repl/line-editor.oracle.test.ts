// The line editor, hints and TAB completion against the real redis-cli 7.0.15 running on
// a pseudo-terminal (util-linux `script`): the same keystrokes go to both, and the line
// and hint redis-cli's linenoise draws last must equal our editor's last render.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeOracle, startRedis, type RedisProcess } from '../../test/support/redis-server.ts'
import { connectRaw, toBytes } from '../../test/support/resp-conn.ts'
import { parseResp } from './resp.ts'
import { buildHelpTable, completions, hintFor, type HelpTable } from './help.ts'
import { LineEditor, type EditorAction } from './line-editor.ts'
import { interpretLine } from './cli.ts'

const REDIS_CLI = process.env.GLASSBOX_REDIS_CLI ?? '/usr/bin/redis-cli'
const SCRIPT = '/usr/bin/script'

/** line is null when nothing was redrawn. */
interface Drawn { line: string | null; hint: string | null; beep: boolean }

/** redis-cli on a pty; `step` writes keys and returns what linenoise drew last. */
class PtyCli {
  private out = ''
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => { this.out += d.toString('latin1') })
  }

  static async open(port: number): Promise<PtyCli> {
    const child = spawn(SCRIPT, ['-q', '-c', `stty cols 400 rows 50; exec ${REDIS_CLI} -p ${port}`, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm', HOME: '/nonexistent', REDISCLI_HISTFILE: '/dev/null' },
    })
    const cli = new PtyCli(child)
    const deadline = Date.now() + 5000
    while (!/> $/.test(cli.out)) {
      if (Date.now() > deadline) throw new Error(`no prompt from redis-cli: ${JSON.stringify(cli.out)}`)
      await new Promise((r) => setTimeout(r, 20))
    }
    cli.out = ''
    return cli
  }

  async step(keys: string): Promise<Drawn> {
    this.out = ''
    this.child.stdin.write(Buffer.from(keys, 'latin1'))
    // Wait until redis-cli has been quiet for a while.
    let seen = -1
    const deadline = Date.now() + 3000
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 40))
      if (this.out.length === seen && seen > 0) break
      seen = this.out.length
    }
    const chunk = this.out.replace(/\x07/g, '')
    const beep = this.out.includes('\x07')
    const at = chunk.lastIndexOf('\r\x1b[0K')
    if (at < 0) return { line: null, hint: null, beep }
    let drawn = chunk.slice(at + 4).replace(/\r\x1b\[\d+C[^]*$/, '')
    drawn = drawn.slice(drawn.indexOf('> ') + 2)
    const h = /\x1b\[0;90;49m([^]*?)\x1b\[0m$/.exec(drawn)
    return { line: h ? drawn.slice(0, h.index) : drawn, hint: h ? h[1]! : null, beep }
  }

  close(): void {
    this.child.stdin.write('\x03')
    this.child.kill()
  }
}

function ours(editor: LineEditor, keys: string): Drawn {
  const actions: EditorAction[] = editor.feed(keys)
  const renders = actions.filter((a) => a.type === 'render')
  const r = renders.at(-1)
  return {
    line: r ? r.text : null,
    hint: r ? r.hint : null,
    beep: actions.some((a) => a.type === 'beep'),
  }
}

const available = existsSync(SCRIPT) && existsSync(REDIS_CLI)

describeOracle('line editor, hints and completion vs redis-cli 7.0.15 on a pty', () => {
  let server: RedisProcess
  let table: HelpTable
  let cli: PtyCli | undefined
  beforeAll(async () => {
    server = await startRedis()
    const c = await connectRaw(server.port)
    table = buildHelpTable(parseResp(toBytes(await c.call(['COMMAND', 'DOCS']))))
    await c.close()
    if (available) cli = await PtyCli.open(server.port)
  })
  afterAll(async () => {
    cli?.close()
    await server?.stop()
  })

  it.skipIf(!available)('draws the same line and hint after each keystroke group', async () => {
    const editor = new LineEditor({ hint: (l) => hintFor(table, l), complete: (l) => completions(table, l) })
    editor.start()
    const names = table.entries.filter((e) => e.type === 'command' && e.argv.length === 1).map((e) => e.full.toLowerCase())
    const sample = names.filter((_, i) => i % 9 === 0)
    const steps: string[] = []
    for (const n of [...sample, 'set', 'zadd', 'client', 'xadd', 'georadius']) {
      steps.push('\x15' + n, ' ', 'a', ' b ', 'c d e f')
    }
    steps.push(
      '\x15cl\t', '\t', '\t', '\x1b', // ESC: back to "cl" (then linenoise eats two bytes: send none)
    )
    steps.push(
      '\x15\x15client l\t', '\t', '\t', '\t', ' x', '\x15zz\t', '\x15help @st\t', '\t', '\t', '\t',
      '\x15help  get\t', '\x15get "a b" \x01\x06\x06\x14', '\x15set k v\x17', '\x15lpush\x1b[D\x1b[D\x0b',
      '\x15ping\x02\x02\x04', '\x15\x15',
    )
    // History: submitted lines (secrets excluded) come back with the arrows.
    steps.push('set hk 1\r', 'get hk\r', 'auth secret\r', '2 incr n\r', '"bad\r', '\x1b[A', '\x1b[A', '\x10', 'x',
      '\x1b[B', '\x0e', '\x1b[A\x1b[A', '\x1b[B\x1b[B\x1b[B\x1b[B')
    for (const keys of steps) {
      const theirs = await cli!.step(keys)
      const mine = ours(editor, keys)
      expect({ keys, ...mine }).toEqual({ keys, ...theirs })
      if (!editor.isEditing) {
        // What the terminal layer does after a submit (the command itself ran in redis-cli).
        const submitted = editor.line.text
        if (interpretLine(submitted).addToHistory) editor.addHistory(submitted)
        editor.start()
      }
    }
  }, 120_000)
})
