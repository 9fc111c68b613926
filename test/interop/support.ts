// Shared pieces of the interop tests: finding the external tools (redis-cli,
// redis-benchmark, redis-server), and skipping (locally) or failing (under CI)
// when one is missing.

import { accessSync, constants } from 'node:fs'
import { describe, it } from 'vitest'
import { isCI } from '../support/redis-server.ts'

export { startGlassbox, type GlassboxProcess } from '../../engine/node/test-helpers.ts'

/** Path of a tool: $GLASSBOX_<NAME> (e.g. GLASSBOX_REDIS_CLI), else /usr/bin/<name>, else the first on $PATH. */
export function findTool(name: string): string | undefined {
  const env = process.env[`GLASSBOX_${name.toUpperCase().replace(/-/g, '_')}`]
  const candidates = [env, `/usr/bin/${name}`, ...(process.env.PATH ?? '').split(':').map((d) => `${d}/${name}`)]
  for (const c of candidates) {
    if (!c) continue
    try {
      accessSync(c, constants.X_OK)
      return c
    } catch {
      // next
    }
  }
  return undefined
}

const INSTALL_HINT = 'apt-get install -y redis-server redis-tools'

/**
 * `describe` for tests that need external tools. Missing tools skip the suite
 * with a message, except under CI, where the suite is one failing test.
 */
export function describeWithTools(name: string, tools: readonly string[], fn: (paths: Record<string, string>) => void): void {
  const paths: Record<string, string> = {}
  const missing: string[] = []
  for (const t of tools) {
    const p = findTool(t)
    if (p) paths[t] = p
    else missing.push(t)
  }
  if (missing.length === 0) {
    describe(name, () => fn(paths))
    return
  }
  const message = `${missing.join(', ')} not found (${INSTALL_HINT})`
  if (isCI()) {
    describe(name, () => {
      it(`needs ${missing.join(', ')}`, () => {
        throw new Error(`${message}; CI is set, so interop tests may not be skipped`)
      })
    })
  } else {
    console.warn(`skipping "${name}": ${message}`)
    describe.skip(`${name} [skipped: ${message}]`, () => fn(paths))
  }
}
