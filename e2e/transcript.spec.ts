// Transcript fidelity: the same command lines typed into the REPL in Chromium
// and fed to the real redis-cli --no-raw talking to a real redis-server 7.0.15
// must put the same text on the screen, line for line (prompt lines aside).
import { expect, test } from '@playwright/test'
import { Repl, requireChromium } from './support/repl.ts'
import { corpusFor } from './support/corpus.ts'
import { redisCliTranscript, redisVersion, startRedis } from './support/redis.ts'
import { executable, isCI, REDIS_CLI, REDIS_MISSING, REDIS_SERVER } from './support/env.ts'

requireChromium()
if (!executable(REDIS_SERVER) || !executable(REDIS_CLI)) {
  if (isCI()) test.beforeAll(() => { throw new Error(`${REDIS_MISSING} (CI is set: may not skip)`) })
  else test.skip(true, REDIS_MISSING)
}

// Lines are compared with trailing spaces trimmed: the empty prompt is '127.0.0.1:6379>'.
const PROMPT = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?>( |$)/

/**
 * What both screens may differ in by nature: the client id in HELLO's reply, and
 * redis-cli's "(0.52s)" line, printed when a command takes half a second or more
 * (on a loaded machine any command may).
 */
function normalise(lines: string[]): string[] {
  const out = lines.map((l) => l.replace(/\r$/, '').replace(/\x1b\[[0-9;]*m/g, '').trimEnd())
  for (let i = 0; i < out.length; i++) {
    // RESP3: `4# "id" => (integer) 12`; RESP2: `7) "id"` then `8) (integer) 12`.
    out[i] = out[i].replace(/^(\s*\d+# "id" => \(integer\) )\d+$/, '$1<id>')
    if (/^\s*\d+\) "id"$/.test(out[i]) && i + 1 < out.length) out[i + 1] = out[i + 1].replace(/^(\s*\d+\) \(integer\) )\d+$/, '$1<id>')
  }
  return out.filter((l) => !/^\(\d+\.\d\ds\)$/.test(l))
}

test('the REPL prints what redis-cli prints', async ({ page }) => {
  // ~300 lines with three CDP round trips each: about a minute, several on a loaded machine.
  test.setTimeout(900_000)
  expect(redisVersion()).toBe('7.0.15')
  const repl = await Repl.open(page)
  await page.waitForFunction(() => window.__glassbox?.commands() !== undefined)
  const implemented = new Set(await page.evaluate(() => window.__glassbox!.commands()!))
  const { lines, skipped } = corpusFor(implemented)
  if (skipped.length > 0) console.log(`transcript: sections waiting for engine commands: ${skipped.join(', ')}`)
  expect(lines.length).toBeGreaterThanOrEqual(150)

  const redis = await startRedis()
  let expected: string[]
  try {
    expected = normalise(redisCliTranscript(redis.port, lines).split('\n'))
  } finally {
    await redis.stop()
  }
  while (expected.length > 0 && expected[expected.length - 1] === '') expected.pop()

  await repl.runMany(lines)
  const screen = await repl.lines()

  // Cut the screen into one block of output per typed line (each block starts at its prompt line).
  const blocks: { line: string; output: string[] }[] = []
  for (const row of normalise(screen)) {
    if (PROMPT.test(row)) blocks.push({ line: row.replace(PROMPT, ''), output: [] })
    else if (blocks.length > 0) blocks.at(-1)!.output.push(row)
  }
  const last = blocks.at(-1)
  if (last && last.line === '' && last.output.length === 0) blocks.pop() // the prompt waiting for input
  expect(blocks.map((b) => b.line)).toEqual(lines.map((l) => l.trimEnd()))

  // Walk both in step so a difference names the command line that caused it.
  let at = 0
  for (const b of blocks) {
    const theirs = expected.slice(at, at + b.output.length)
    expect(b.output, `output of ${JSON.stringify(b.line)} (redis-cli line ${at + 1})`).toEqual(theirs)
    at += b.output.length
  }
  expect(at, 'redis-cli printed more lines than the REPL').toBe(expected.length)
})
