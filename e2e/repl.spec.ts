// One client: prompt, hints, completion, history (also across a reload), Ctrl-R,
// Ctrl-L, multi-line paste, HELP, raw output and the theme switch.
import { expect, test } from '@playwright/test'
import { Repl, requireChromium } from './support/repl.ts'

requireChromium()

test('prompt, replies, the db in the prompt and no console errors', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  const repl = await Repl.open(page)
  await repl.run('SET greeting hello')
  await repl.run('GET greeting')
  await repl.run('SELECT 2')
  await repl.run('MULTI')
  await repl.run('ECHO "two words"')
  await repl.run('EXEC')
  await repl.run('ECHO "unbalanced')
  await repl.expectLastLines([
    '127.0.0.1:6379> SET greeting hello', 'OK',
    '127.0.0.1:6379> GET greeting', '"hello"',
    '127.0.0.1:6379> SELECT 2', 'OK',
    '127.0.0.1:6379[2]> MULTI', 'OK',
    '127.0.0.1:6379[2](TX)> ECHO "two words"', 'QUEUED',
    '127.0.0.1:6379[2](TX)> EXEC', '1) "two words"',
    '127.0.0.1:6379[2]> ECHO "unbalanced', 'Invalid argument(s)',
    '127.0.0.1:6379[2]>',
  ])
  expect(errors).toEqual([])
})

test('hints show the remaining arguments, dimmed, as you type', async ({ page }) => {
  const repl = await Repl.open(page)
  await page.waitForFunction(() => window.__glassbox?.commands() !== undefined)
  await repl.type('SET k')
  await expect.poll(() => repl.cursorLine()).toMatch(/^127\.0\.0\.1:6379> SET k value \[NX\|XX\] \[GET\]/)
  // The hint is drawn in colour 90 (bright black), the typed text in the default colour.
  const colours = await page.evaluate(() => {
    const t = [...window.__glassbox!.panes.values()][0]!.term
    const b = t.buffer.active
    const line = b.getLine(b.baseY + b.cursorY)!
    const typed = line.getCell('127.0.0.1:6379> S'.length - 1)!
    const hint = line.getCell('127.0.0.1:6379> SET k v'.length - 1)!
    return { typed: typed.isFgDefault(), hint: hint.isFgPalette() ? hint.getFgColor() : -1 }
  })
  expect(colours).toEqual({ typed: true, hint: 8 })
  // The cursor stays after the typed text, not after the hint.
  const x = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.buffer.active.cursorX)
  expect(x).toBe('127.0.0.1:6379> SET k'.length)
  await page.keyboard.type(' v ')
  await expect.poll(() => repl.cursorLine()).toMatch(/^127\.0\.0\.1:6379> SET k v \[NX\|XX\]/)
  // Enter removes the hint from the submitted line.
  await page.keyboard.press('Enter')
  await repl.expectLastLines(['127.0.0.1:6379> SET k v', 'OK', '127.0.0.1:6379>'])
})

test('TAB completes commands and cycles through the candidates', async ({ page }) => {
  const repl = await Repl.open(page)
  await page.waitForFunction(() => window.__glassbox?.commands() !== undefined)
  await repl.type('bitf')
  await page.keyboard.press('Tab')
  await expect.poll(() => repl.cursorLine()).toMatch(/^127\.0\.0\.1:6379> BITFIELD key/)
  await page.keyboard.press('Tab')
  await expect.poll(() => repl.cursorLine()).toMatch(/^127\.0\.0\.1:6379> BITFIELD_RO key/)
  await page.keyboard.type(' x GET u8 0')
  await page.keyboard.press('Enter')
  await repl.expectLastLines(['127.0.0.1:6379> BITFIELD_RO x GET u8 0', '1) (integer) 0', '127.0.0.1:6379>'])
})

test('history: up/down, Ctrl-R search, and it survives a reload', async ({ page }) => {
  let repl = await Repl.open(page)
  await repl.run('ECHO alpha')
  await repl.run('ECHO beta')
  await repl.focus()
  await page.keyboard.press('ArrowUp')
  await expect.poll(() => repl.cursorLine()).toBe('127.0.0.1:6379> ECHO beta')
  await page.keyboard.press('ArrowUp')
  await expect.poll(() => repl.cursorLine()).toBe('127.0.0.1:6379> ECHO alpha')
  await page.keyboard.press('ArrowDown')
  await expect.poll(() => repl.cursorLine()).toBe('127.0.0.1:6379> ECHO beta')
  await page.keyboard.press('Control+U')
  // Wait until IndexedDB has both lines, then reload.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('glassbox-repl')
            open.onsuccess = () => {
              const req = open.result.transaction('history').objectStore('history').count()
              req.onsuccess = () => resolve(req.result)
              req.onerror = () => resolve(-1)
            }
            open.onerror = () => resolve(-1)
          }),
      ),
    )
    .toBeGreaterThanOrEqual(2)
  await page.reload()
  repl = await Repl.open(page)
  await repl.focus()
  await page.keyboard.press('ArrowUp')
  await expect.poll(() => repl.cursorLine()).toBe('127.0.0.1:6379> ECHO beta')
  await page.keyboard.press('Control+U')
  await page.keyboard.press('Control+R')
  await page.keyboard.type('alp')
  await expect.poll(() => repl.cursorLine()).toBe("(reverse-i-search)`alp': ECHO alpha")
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => [...window.__glassbox!.panes.values()][0]!.status().done >= 1)
  await repl.expectLastLines(['127.0.0.1:6379> ECHO alpha', '"alpha"', '127.0.0.1:6379>'])
})

test('readline keys, Ctrl-C on a line, Ctrl-L', async ({ page }) => {
  const repl = await Repl.open(page)
  await repl.type('ECHO world')
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Control+F')
  await page.keyboard.press('Control+F')
  await page.keyboard.press('Control+F')
  await page.keyboard.press('Control+F')
  await page.keyboard.press('Control+F')
  await page.keyboard.type('hello-')
  await page.keyboard.press('Control+E')
  await page.keyboard.type(' extra')
  await page.keyboard.press('Control+W')
  await expect.poll(() => repl.cursorLine()).toBe('127.0.0.1:6379> ECHO hello-world')
  await page.keyboard.press('Enter')
  await repl.expectLastLines(['127.0.0.1:6379> ECHO hello-world', '"hello-world"', '127.0.0.1:6379>'])
  await repl.type('GET abandoned')
  await page.keyboard.press('Control+C')
  await repl.expectLastLines(['127.0.0.1:6379> GET abandoned^C', '127.0.0.1:6379>'])
  await page.keyboard.press('Control+L')
  await expect.poll(() => repl.lines()).toEqual(['127.0.0.1:6379>'])
})

test('a multi-line paste runs line by line', async ({ page }) => {
  const repl = await Repl.open(page)
  await repl.focus()
  await page.evaluate(() => {
    const ta = document.querySelector<HTMLTextAreaElement>('.xterm-helper-textarea')!
    const data = new DataTransfer()
    data.setData('text/plain', 'SET p 1\nINCR p\nINCRBY p 10\nGET p\n')
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  })
  await page.waitForFunction(() => [...window.__glassbox!.panes.values()][0]!.status().done >= 4)
  await repl.expectLastLines([
    '127.0.0.1:6379> SET p 1', 'OK',
    '127.0.0.1:6379> INCR p', '(integer) 2',
    '127.0.0.1:6379> INCRBY p 10', '(integer) 12',
    '127.0.0.1:6379> GET p', '"12"',
    '127.0.0.1:6379>',
  ])
})

test('HELP, repeat counts, raw output and the theme switch', async ({ page }) => {
  const repl = await Repl.open(page)
  await page.waitForFunction(() => window.__glassbox?.commands() !== undefined)
  await repl.run('HELP INCR')
  await repl.expectLastLines([
    '127.0.0.1:6379> HELP INCR',
    '',
    '  INCR key',
    '  summary: Increment the integer value of a key by one',
    '  since: 1.0.0',
    '  group: string',
    '',
    '127.0.0.1:6379>',
  ])
  await repl.run('3 INCR n')
  await repl.expectLastLines(['127.0.0.1:6379> 3 INCR n', '(integer) 1', '(integer) 2', '(integer) 3', '127.0.0.1:6379>'])
  await page.getByRole('button', { name: 'Raw output' }).click()
  await expect(page.getByRole('button', { name: 'Raw output' })).toHaveAttribute('aria-pressed', 'true')
  await repl.run('INCR n')
  await repl.run('MGET n nokey')
  await repl.expectLastLines(['127.0.0.1:6379> INCR n', '4', '127.0.0.1:6379> MGET n nokey', '4', '', '127.0.0.1:6379>'])
  await page.getByRole('button', { name: 'Raw output' }).click()

  const before = await page.evaluate(() => document.documentElement.dataset.theme)
  await page.getByRole('button', { name: 'Dark theme' }).click()
  const after = await page.evaluate(() => document.documentElement.dataset.theme)
  expect(after).not.toBe(before)
  // The mouse still rests on the button just clicked: its label stays readable (WCAG AA, 4.5:1).
  const contrast = await page.getByRole('button', { name: 'Dark theme' }).evaluate((el) => {
    const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number)
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const cs = getComputedStyle(el)
    const [a, b] = [lum(cs.color), lum(cs.backgroundColor)].sort((x, y) => y - x)
    return (a + 0.05) / (b + 0.05)
  })
  expect(contrast).toBeGreaterThanOrEqual(4.5)
  const bg = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.options.theme?.background)
  expect(bg).toBe(after === 'dark' ? '#14161a' : '#fbfbf8')
  // Every part of the terminal shows its background, also the strip below the last whole row (xterm.css paints it black).
  const viewportBg = () => page.evaluate(() => getComputedStyle(document.querySelector('.xterm-viewport')!).backgroundColor)
  expect(await viewportBg()).toBe(after === 'dark' ? 'rgb(20, 22, 26)' : 'rgb(251, 251, 248)')
  await page.getByRole('button', { name: /theme/ }).click()
  expect(await viewportBg()).toBe(after === 'dark' ? 'rgb(251, 251, 248)' : 'rgb(20, 22, 26)')
  await page.getByRole('button', { name: /theme/ }).click()
  await page.reload()
  await Repl.open(page)
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(after)
})

test('keyboard only: F6 reaches the toolbar, Ctrl+Alt+N opens a client', async ({ page }) => {
  const repl = await Repl.open(page)
  await repl.focus()
  await page.keyboard.press('F6')
  await expect(page.locator('.inspector')).toBeFocused()
  await page.keyboard.press('F6')
  await expect(page.getByRole('button', { name: 'New client' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('.pane')).toHaveCount(2)
  await repl.waitMode(1, 'prompt')
  await page.keyboard.press('Control+Alt+N')
  await expect(page.locator('.pane')).toHaveCount(3)
})

test('mouse selection after replies scrolled the screen: drawn, copied as text, cleared by a click', async ({ page }) => {
  const repl = await Repl.open(page)
  // The empty-selection redraw skip (src/repl/xterm-tweaks.ts) found xterm's render service.
  expect(await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.selectionRedrawSkip)).toBe(true)
  // Enough output to scroll: every scroll used to rebuild all rows for the (empty) selection.
  await repl.run('60 ECHO line')
  await repl.run('ECHO "select me"')
  const layer = page.locator('.xterm-selection div')
  await expect(layer).toHaveCount(0)
  // Drag across the row that shows "select me" (the reply above the last prompt).
  const box = (await page.locator('.xterm-screen').first().boundingBox())!
  const rowOf = await page.evaluate(() => {
    const t = [...window.__glassbox!.panes.values()][0]!.term
    const b = t.buffer.active
    for (let y = b.length - 1; y >= 0; y--) if (b.getLine(y)!.translateToString(true) === '"select me"') return y - b.viewportY
    return -1
  })
  expect(rowOf).toBeGreaterThanOrEqual(0)
  const rows = await page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.rows)
  const rowH = box.height / rows
  const y = box.y + rowH * (rowOf + 0.5)
  await page.mouse.move(box.x + 2, y)
  await page.mouse.down()
  await page.mouse.move(box.x + 200, y, { steps: 5 })
  await page.mouse.up()
  await expect.poll(() => page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.getSelection())).toContain('select me')
  await expect.poll(() => layer.count()).toBeGreaterThan(0)
  // More output scrolls the screen; then a click clears the selection and its drawing.
  await repl.run('20 ECHO more')
  await page.mouse.click(box.x + 5, box.y + 5)
  await expect.poll(() => page.evaluate(() => [...window.__glassbox!.panes.values()][0]!.term.getSelection())).toBe('')
  await expect(layer).toHaveCount(0)
})
