// The vitest side of the real redis-server: describeOracle runs, skips or
// fails a suite depending on whether the binary is there (and on CI). The
// process management itself is in redis-process.ts.
import { describe, it } from 'vitest'
import { MISSING_MESSAGE, redisAvailable, redisVersion } from './redis-process.ts'

export * from './redis-process.ts'

/** CI is set to something other than '', '0' or 'false' (scripts/test-all.mjs reads it the same way). */
export function isCI(): boolean {
  return !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase())
}

/** What describeOracle does here: run the suite, skip it (no binary), or fail it (no binary under CI). */
export function oracleGate(): { mode: 'run' } | { mode: 'skip' | 'fail'; message: string } {
  if (redisAvailable()) return { mode: 'run' }
  if (isCI()) return { mode: 'fail', message: `${MISSING_MESSAGE} (CI is set, so oracle tests may not be skipped)` }
  return { mode: 'skip', message: MISSING_MESSAGE }
}

/**
 * `describe` for tests that need a real redis-server. Without the binary it
 * skips with an install hint, except under CI, where the suite becomes one
 * failing test: a missing oracle must not pass silently.
 */
export function describeOracle(name: string, fn: () => void): void {
  const gate = oracleGate()
  if (gate.mode === 'run') {
    redisVersion()
    describe(name, fn)
  } else if (gate.mode === 'fail') {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error(gate.message)
      })
    })
  } else {
    console.warn(`skipping "${name}": ${gate.message}`)
    describe.skip(`${name} [skipped: ${gate.message}]`, fn)
  }
}
