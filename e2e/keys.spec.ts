// The key browser (issue 6): keys appear and go as the REPL writes them, TTLs
// count down, pattern and type filters, keyboard selection into the inspector,
// db switching, and 100,000 keys without freezing.
import { expect, test, type Page } from '@playwright/test'
import { Repl, requireChromium } from './support/repl.ts'

requireChromium()

const SHOTS = process.env.GLASSBOX_E2E_SHOTS

function browser(page: Page) {
  const root = page.getByTestId('key-browser')
  return {
    root,
    list: root.getByRole('listbox'),
    count: root.getByTestId('key-count'),
    pattern: root.getByRole('searchbox', { name: 'Filter keys by pattern' }),
    type: root.getByRole('combobox', { name: 'Filter by type' }),
    db: root.getByRole('combobox', { name: 'Database' }),
    names: async (): Promise<string[]> => root.locator('.kb-row .kb-name').allInnerTexts(),
    row: (name: string) => root.locator('.kb-row', { has: page.locator('.kb-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }),
  }
}

test('keys appear as they are written and go on DEL, expiry and FLUSHDB', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const repl = await Repl.open(page)
  const kb = browser(page)
  await expect(kb.count).toHaveText('0 keys')
  await repl.run('SET greeting hello')
  await repl.run('HSET user:1 name ada')
  await repl.run('RPUSH queue a b c')
  await repl.run('SADD tags 1 2 3')
  await repl.run('ZADD board 1 x')
  await repl.run('SET counter 42')
  await expect.poll(kb.names).toEqual(['board', 'counter', 'greeting', 'queue', 'tags', 'user:1'])
  await expect(kb.count).toHaveText('6 keys')
  await expect(kb.row('user:1').locator('.kb-type')).toHaveText('hash')
  await expect(kb.row('user:1').locator('.kb-enc')).toHaveText('listpack')
  await expect(kb.row('queue').locator('.kb-enc')).toHaveText('quicklist')
  await expect(kb.row('tags').locator('.kb-enc')).toHaveText('intset')
  await expect(kb.row('counter').locator('.kb-enc')).toHaveText('int')
  // A conversion shows in the row.
  await repl.run('SADD tags notanumber')
  await expect(kb.row('tags').locator('.kb-enc')).toHaveText('hashtable')
  await repl.run('DEL greeting')
  await expect.poll(kb.names).toEqual(['board', 'counter', 'queue', 'tags', 'user:1'])
  // TTL counts down, from the absolute expire time.
  await repl.run('EXPIRE board 100')
  const ttl = kb.row('board').locator('.kb-ttl')
  await expect(ttl).toHaveText(/^(100|99|98) s$/)
  await expect(ttl).toHaveText(/^9[0-8] s$/, { timeout: 5000 })
  await repl.run('PERSIST board')
  await expect(ttl).toHaveText('')
  // A key that expires goes when the server expires it (active expiry).
  await repl.run('PEXPIRE counter 4000')
  await expect(kb.row('counter').locator('.kb-ttl')).toHaveText(/^[0-3]\.\d s$/)
  await expect.poll(kb.names, { timeout: 20_000 }).toEqual(['board', 'queue', 'tags', 'user:1'])
  await repl.run('FLUSHDB')
  await expect.poll(kb.names).toEqual([])
  await expect(kb.count).toHaveText('0 keys')
  await expect(kb.root.getByText('No keys in db 0')).toBeVisible()
  expect(errors).toEqual([])
})

test('filter by pattern and type; keyboard selection brings the key up in the inspector', async ({ page }) => {
  const repl = await Repl.open(page)
  const kb = browser(page)
  await repl.run('MSET user:1 a user:2 b user:10 c other d')
  await repl.run('HSET user:h f v')
  await repl.run('RPUSH user:list x')
  await expect(kb.count).toHaveText('6 keys')
  await kb.pattern.fill('user:?')
  await expect.poll(kb.names).toEqual(['user:1', 'user:2', 'user:h'])
  await expect(kb.count).toHaveText('3 of 6 keys')
  await kb.type.selectOption('string')
  await expect.poll(kb.names).toEqual(['user:1', 'user:2'])
  await kb.pattern.fill('')
  await expect.poll(kb.names).toEqual(['other', 'user:1', 'user:10', 'user:2'])
  await kb.type.selectOption('')
  await kb.pattern.fill('nomatch*')
  await expect(kb.root.getByText('No key matches.')).toBeVisible()
  await kb.pattern.fill('user:*')
  await expect.poll(kb.names).toEqual(['user:1', 'user:10', 'user:2', 'user:h', 'user:list'])

  // Keyboard: focus the list, move down three rows, Enter.
  await kb.list.focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(kb.row('user:h')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('inspector-type')).toHaveText('hash')
  await expect(page.getByTestId('inspector-encoding')).toHaveText('listpack')
  await page.keyboard.press('End')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('inspector-type')).toHaveText('list')
  await expect(page.getByTestId('inspector-encoding')).toHaveText('quicklist')
  // A click does the same; a command naming a key brings it up too.
  await kb.row('user:10').click()
  await expect(page.getByTestId('inspector-type')).toHaveText('string')
  await expect(kb.row('user:10')).toHaveAttribute('aria-selected', 'true')
  await repl.run('GET user:2')
  await expect(kb.row('user:2')).toHaveAttribute('aria-selected', 'true')
  await expect(kb.row('user:10')).toHaveAttribute('aria-selected', 'false')
})

test('a key in a REPL reply is a link that brings it up', async ({ page }) => {
  const repl = await Repl.open(page)
  const kb = browser(page)
  await repl.run('RPUSH mylist a b')
  await repl.run('SET other x')
  await repl.run('KEYS my*')
  await expect(page.getByTestId('inspector-type')).toHaveText('string')
  // Where "mylist" is drawn: the row of `1) "mylist"` and the column after the quote.
  const at = await page.evaluate(() => {
    const t = [...window.__glassbox!.panes.values()][0]!.term
    const b = t.buffer.active
    for (let y = 0; y < t.rows; y++) {
      const text = b.getLine(b.viewportY + y)?.translateToString(true) ?? ''
      const x = text.indexOf('"mylist"')
      if (x >= 0 && text.startsWith('1)')) {
        const screen = document.querySelector('.xterm-screen')!.getBoundingClientRect()
        const w = screen.width / t.cols
        const h = screen.height / t.rows
        return { x: screen.left + (x + 3.5) * w, y: screen.top + (y + 0.5) * h }
      }
    }
    return null
  })
  expect(at).not.toBeNull()
  await page.mouse.move(at!.x - 30, at!.y)
  await page.mouse.move(at!.x, at!.y)
  await expect(page.locator('.xterm-screen')).toHaveCSS('cursor', 'pointer')
  await page.mouse.click(at!.x, at!.y)
  await expect(page.getByTestId('inspector-type')).toHaveText('list')
  await expect(kb.row('mylist')).toHaveAttribute('aria-selected', 'true')
})

test('the browser follows SELECT and can switch db itself', async ({ page }) => {
  const repl = await Repl.open(page)
  const kb = browser(page)
  await repl.run('SET in0 x')
  await repl.run('SELECT 3')
  await expect(kb.db).toHaveValue('3')
  await expect(kb.count).toHaveText('0 keys')
  await repl.run('SET in3 y')
  await repl.run('LPUSH also3 z')
  await expect.poll(kb.names).toEqual(['also3', 'in3'])
  await kb.db.selectOption('0')
  await expect.poll(kb.names).toEqual(['in0'])
  await repl.run('SWAPDB 0 3')
  await expect.poll(kb.names).toEqual(['also3', 'in3'])
})

test('100,000 keys after DEBUG POPULATE: listed without freezing, filtered, scrolled', async ({ page }) => {
  const repl = await Repl.open(page)
  const kb = browser(page)
  await repl.run('DEBUG POPULATE 100000')
  await expect(kb.count).toHaveText('100,000 keys', { timeout: 30_000 })
  // Only the visible rows are in the DOM.
  const rendered = await kb.root.locator('.kb-row').count()
  expect(rendered).toBeGreaterThan(5)
  expect(rendered).toBeLessThan(80)
  await expect(kb.root.locator('.kb-row').first().locator('.kb-name')).toHaveText('key:0')
  // The page stays responsive: a frame within 200 ms while a filter runs over every key.
  await kb.pattern.fill('key:9999*')
  await expect.poll(kb.names).toEqual(['key:9999', 'key:99990', 'key:99991', 'key:99992', 'key:99993', 'key:99994', 'key:99995', 'key:99996', 'key:99997', 'key:99998', 'key:99999'])
  await expect(kb.count).toHaveText('11 of 100,000 keys')
  await kb.pattern.fill('')
  await expect(kb.count).toHaveText('100,000 keys')
  await kb.list.focus()
  await page.keyboard.press('End')
  await expect(kb.root.locator('.kb-row.kb-active .kb-name')).toHaveText('key:99999')
  // A burst of writes in one command stays live.
  await repl.run('DEBUG POPULATE 1000 burst')
  await expect(kb.count).toHaveText('101,000 keys')
  await kb.pattern.fill('burst:99*')
  await expect.poll(kb.names).toEqual(['burst:99', 'burst:990', 'burst:991', 'burst:992', 'burst:993', 'burst:994', 'burst:995', 'burst:996', 'burst:997', 'burst:998', 'burst:999'])
  const gap = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let last = performance.now()
        let worst = 0
        let n = 0
        const step = (): void => {
          const t = performance.now()
          worst = Math.max(worst, t - last)
          last = t
          if (++n < 30) requestAnimationFrame(step)
          else resolve(worst)
        }
        requestAnimationFrame(step)
      }),
  )
  expect(gap).toBeLessThan(500)
})

test('looks right in both themes, beside the REPL and on a tablet', async ({ page }, info) => {
  const repl = await Repl.open(page)
  await repl.run('MSET user:1 ada user:2 grace "caf\\xc3\\xa9" x')
  await repl.run('HSET user:3 name linus langs c')
  await repl.run('RPUSH queue a b c')
  await repl.run('ZADD board 10 ada 20 grace')
  await repl.run('SADD tags 1 2 3')
  await repl.run('SET session:9 token EX 120')
  await repl.run('DEBUG POPULATE 200 item')
  await repl.run('HGETALL user:3')
  const kb = browser(page)
  for (const theme of ['light', 'dark'] as const) {
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click()
    for (const [width, height] of [[1400, 900], [1024, 768]] as const) {
      await page.setViewportSize({ width, height })
      await expect(kb.count).toHaveText('208 keys')
      // The panel and the key the last command named stay on screen at this size.
      await expect(kb.list).toBeInViewport()
      await expect(kb.row('user:3')).toBeInViewport()
      await expect(kb.row('user:3')).toHaveAttribute('aria-selected', 'true')
      const name = `keys-${theme}-${width}`
      const path = info.outputPath(`${name}.png`)
      await page.screenshot({ path })
      await info.attach(name, { path, contentType: 'image/png' })
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` })
    }
  }
})
