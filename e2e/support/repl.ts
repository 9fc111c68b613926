// Page object for the REPL: drive panes with the real keyboard, read what the
// terminal shows through the app's test hook (xterm's buffer, wrapped rows joined).
import { expect, test, type Page } from '@playwright/test'
import { CHROMIUM, CHROMIUM_MISSING, executable, isCI } from './env.ts'

/** Call at the top of every spec: skip without Chromium (fail under CI). */
export function requireChromium(): void {
  if (executable(CHROMIUM)) return
  if (isCI()) {
    test.beforeAll(() => {
      throw new Error(`${CHROMIUM_MISSING} (CI is set, so e2e tests may not be skipped)`)
    })
  } else {
    console.warn(`skipping e2e tests: ${CHROMIUM_MISSING}`)
    test.skip(true, CHROMIUM_MISSING)
  }
}

export interface PaneStatus {
  mode: string
  prompt: string
  clientId: number | undefined
  done: number
}

export class Repl {
  constructor(readonly page: Page) {}

  /** Load the app and wait for the first prompt. */
  static async open(page: Page, path = './'): Promise<Repl> {
    await page.goto(path)
    const r = new Repl(page)
    await r.waitMode(0, 'prompt')
    // Hints and completion work once the help table has loaded (just after the first prompt).
    await page.waitForFunction(() => window.__glassbox?.commands() !== undefined)
    return r
  }

  async status(pane = 0): Promise<PaneStatus | undefined> {
    return this.page.evaluate((i) => {
      const p = [...(window.__glassbox?.panes.values() ?? [])][i]
      return p ? p.status() : undefined
    }, pane)
  }

  async waitMode(pane: number, mode: string): Promise<void> {
    await this.page.waitForFunction(
      ([i, m]) => [...(window.__glassbox?.panes.values() ?? [])][i as number]?.status().mode === m,
      [pane, mode] as const,
    )
  }

  async focus(pane = 0): Promise<void> {
    await this.page.evaluate((i) => [...window.__glassbox!.panes.values()][i]!.term.focus(), pane)
  }

  /** Type characters into a pane without pressing Enter. */
  async type(text: string, pane = 0): Promise<void> {
    await this.focus(pane)
    await this.page.keyboard.type(text)
  }

  /**
   * Enter a line and wait until it has finished (the next prompt is up). The text
   * goes in as one input event (as an IME or a paste would deliver it: a CDP round
   * trip per key costs ~30 ms with this Chromium), Enter as a real key press.
   */
  async run(line: string, pane = 0): Promise<void> {
    const before = (await this.status(pane))!.done
    await this.focus(pane)
    if (line !== '') await this.page.keyboard.insertText(line)
    await this.page.keyboard.press('Enter')
    await this.page.waitForFunction(
      ([i, n]) => ([...(window.__glassbox?.panes.values() ?? [])][i]?.status().done ?? 0) > n,
      [pane, before] as const,
    )
  }

  /** run() for many lines, with fewer round trips to the browser (focus and counter read once). */
  async runMany(lines: readonly string[], pane = 0): Promise<void> {
    await this.focus(pane)
    const start = (await this.status(pane))!.done
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== '') await this.page.keyboard.insertText(lines[i])
      await this.page.keyboard.press('Enter')
      await this.page.waitForFunction(
        ([p, n]) => ([...(window.__glassbox?.panes.values() ?? [])][p]?.status().done ?? 0) > n,
        [pane, start + i] as const,
      )
    }
  }

  /** Press Enter without waiting (for commands that stream or block). */
  async submit(line: string, pane = 0): Promise<void> {
    await this.type(line, pane)
    await this.page.keyboard.press('Enter')
  }

  /**
   * The pane's lines, trailing spaces trimmed. redis-cli's "(0.52s)" timing lines are
   * dropped unless asked for: whether one appears depends on the machine's load.
   */
  async lines(pane = 0, opts: { timing?: boolean } = {}): Promise<string[]> {
    const lines = (await this.page.evaluate((i) => window.__glassbox!.lines(i), pane)).map((l) => l.trimEnd())
    return opts.timing ? lines : lines.filter((l) => !/^\(\d+\.\d\ds\)$/.test(l))
  }

  /** The row the cursor is on, as shown (prompt, text and hint). */
  async cursorLine(pane = 0): Promise<string> {
    return this.page.evaluate((i) => {
      const t = [...window.__glassbox!.panes.values()][i]!.term
      const b = t.buffer.active
      return b.getLine(b.baseY + b.cursorY)?.translateToString(true) ?? ''
    }, pane).then((l) => l.trimEnd())
  }

  async expectLastLines(expected: string[], pane = 0): Promise<void> {
    await expect.poll(async () => (await this.lines(pane)).slice(-expected.length)).toEqual(expected)
  }

  async waitForLine(re: RegExp, pane = 0): Promise<void> {
    await expect.poll(async () => (await this.lines(pane)).some((l) => re.test(l))).toBe(true)
  }
}
