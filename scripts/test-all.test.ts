// Runs scripts/test-all.mjs on small throwaway projects and checks its
// counting, its failure list, its closing line and its exit code.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repo = path.resolve(import.meta.dirname, '..')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function project(opts: { lint: boolean; typecheck: boolean; files: Record<string, string> }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-test-all-fixture-'))
  dirs.push(dir)
  const script = (ok: boolean): string => `node -e "process.exit(${ok ? 0 : 3})"`
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'fixture', private: true, type: 'module',
    scripts: { lint: script(opts.lint), typecheck: script(opts.typecheck) },
  }))
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'))
  mkdirSync(path.join(dir, 'scripts'))
  copyFileSync(path.join(repo, 'scripts/test-all.mjs'), path.join(dir, 'scripts/test-all.mjs'))
  writeFileSync(path.join(dir, 'vitest.config.mjs'), "export default { test: { include: ['t/**/*.test.ts'] } }\n")
  mkdirSync(path.join(dir, 't'))
  for (const [name, text] of Object.entries(opts.files)) writeFileSync(path.join(dir, 't', name), text)
  return dir
}

function runIn(dir: string, ci: boolean): { code: number | null; out: string; last: string } {
  // A clean environment: no markers of the vitest run we are inside, CI only when asked.
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(VITEST|TEST$|NODE_ENV$|CI$|NODE_OPTIONS$)/.test(k)) env[k] = v
  }
  if (ci) env.CI = 'true'
  const r = spawnSync('node', ['scripts/test-all.mjs'], { cwd: dir, env, encoding: 'utf8' })
  const out = r.stdout + r.stderr
  const lines = r.stdout.trimEnd().split('\n')
  return { code: r.status, out, last: lines[lines.length - 1] }
}

const PASSING = `import { it, expect } from 'vitest'
it('one', () => expect(1).toBe(1))
it('two', () => expect(2).toBe(2))
`
const MIXED = `import { it, expect, describe } from 'vitest'
describe('group', () => {
  it('passes', () => expect(1).toBe(1))
  it('fails on purpose', () => expect(1).toBe(2))
  it.skip('is skipped', () => {})
  it.todo('is todo')
})
`
const BROKEN = `throw new Error('cannot collect this file')\n`

describe('scripts/test-all.mjs', () => {
  it('counts lint, typecheck and every passing test, and exits 0', () => {
    const dir = project({ lint: true, typecheck: true, files: { 'a.test.ts': PASSING } })
    const r = runIn(dir, false)
    expect(r.last, r.out).toBe('4 passed, 0 failed')
    expect(r.code).toBe(0)
  })

  it('lists every failure, counts skips apart, and exits 1', () => {
    const dir = project({ lint: false, typecheck: true, files: { 'a.test.ts': PASSING, 'm.test.ts': MIXED, 'b.test.ts': BROKEN } })
    const r = runIn(dir, false)
    // passed: typecheck + 2 + 1; failed: lint + 1 test + 1 file that would not load; skipped: skip + todo
    expect(r.last, r.out).toBe('4 passed, 3 failed, 2 skipped')
    expect(r.code).toBe(1)
    expect(r.out).toContain('lint: npm run lint failed (exit code 3)')
    expect(r.out).toMatch(/t\/m\.test\.ts > group fails on purpose: .*expected 1 to be 2/)
    expect(r.out).toMatch(/t\/b\.test\.ts: .*cannot collect this file/)
    expect(r.out).toContain('t/m.test.ts > group is skipped')
  })

  it('counts skipped tests as failures under CI and says so', () => {
    const dir = project({ lint: true, typecheck: true, files: { 'm.test.ts': MIXED } })
    const r = runIn(dir, true)
    expect(r.last, r.out).toBe('3 passed, 3 failed')
    expect(r.out).toContain('Skipped (counted as failures because CI is set)')
    expect(r.code).toBe(1)
  })
})
