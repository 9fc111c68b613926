#!/usr/bin/env node
// `npm test`: the one command that runs every check, in order: lint, typecheck,
// vitest, and Playwright once a playwright.config exists. Lint and typecheck
// count as one test each. Vitest and Playwright do not print a closing total,
// so their JSON reporters are read and this script ends with the plain line
// `N passed, N failed` (plus `, N skipped` when some were skipped), exiting
// non-zero if anything failed.
//
// With CI set, skipped tests count as failures: a skipped oracle test on a
// machine without redis-server must not look like a pass.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ci = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase())
const tmp = mkdtempSync(path.join(os.tmpdir(), 'glassbox-test-all-'))

let passed = 0
let failed = 0
let skipped = 0
/** Lines describing each failure, printed together at the end. */
const failures = []
const skips = []
/** One line per stage for the summary. */
const stages = []

function banner(title) {
  process.stdout.write(`\n=== ${title} ${'='.repeat(Math.max(0, 70 - title.length))}\n`)
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.error) return { code: 127, why: r.error.message }
  return { code: r.status ?? 128, why: r.signal ? `killed by ${r.signal}` : `exit code ${r.status}` }
}

function firstLine(text) {
  const line = String(text ?? '').split('\n').find((l) => l.trim() !== '') ?? ''
  return line.length > 300 ? line.slice(0, 300) + '...' : line
}

const rel = (file) => path.relative(root, file) || file

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

// ---- lint and typecheck: one test each

for (const script of ['lint', 'typecheck']) {
  banner(`npm run ${script}`)
  const r = run('npm', ['run', script])
  if (r.code === 0) {
    passed++
    stages.push(`${script}: passed`)
  } else {
    failed++
    stages.push(`${script}: FAILED (${r.why})`)
    failures.push(`${script}: npm run ${script} failed (${r.why}); see its output above`)
  }
}

// ---- vitest

{
  banner('vitest')
  const out = path.join(tmp, 'vitest.json')
  const r = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`])
  const report = readJson(out)
  let p = 0
  let f = 0
  let s = 0
  if (!report) {
    f++
    failures.push(`vitest: no JSON report (${r.why}); see its output above`)
  } else {
    for (const file of report.testResults ?? []) {
      const name = rel(file.name)
      let failedHere = 0
      for (const t of file.assertionResults ?? []) {
        if (t.status === 'passed') p++
        else if (t.status === 'failed') {
          f++
          failedHere++
          failures.push(`${name} > ${t.fullName}: ${firstLine((t.failureMessages ?? [])[0])}`)
        } else {
          // skipped, pending, todo
          s++
          skips.push(`${name} > ${t.fullName}`)
        }
      }
      // A file that fails to load or collect has no failed tests of its own.
      if (file.status === 'failed' && failedHere === 0) {
        f++
        failures.push(`${name}: ${firstLine(file.message) || 'failed to load'}`)
      }
    }
    // Unhandled errors fail the run without failing a test.
    if (r.code !== 0 && f === 0) {
      f++
      failures.push(`vitest: ${r.why} although no test failed (unhandled error?); see its output above`)
    }
  }
  passed += p
  failed += f
  skipped += s
  stages.push(`vitest: ${p} passed, ${f} failed, ${s} skipped`)
}

// ---- Playwright, once the e2e suite exists

const pwConfig = ['playwright.config.ts', 'playwright.config.js', 'playwright.config.mjs'].find((f) => existsSync(path.join(root, f)))
if (pwConfig) {
  banner('playwright')
  const out = path.join(tmp, 'playwright.json')
  const r = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out })
  const report = readJson(out)
  let p = 0
  let f = 0
  let s = 0
  if (!report) {
    f++
    failures.push(`playwright: no JSON report (${r.why}); see its output above`)
  } else {
    const walk = (suite, titles) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          const name = [...titles, spec.title].filter(Boolean).join(' > ') + (t.projectName ? ` [${t.projectName}]` : '')
          if (t.status === 'expected' || t.status === 'flaky') p++
          else if (t.status === 'skipped') {
            s++
            skips.push(`${spec.file ?? ''} > ${name}`)
          } else {
            f++
            const err = (t.results ?? []).flatMap((res) => res.errors ?? (res.error ? [res.error] : []))[0]
            failures.push(`${spec.file ?? ''} > ${name}: ${firstLine(err?.message)}`)
          }
        }
      }
      for (const child of suite.suites ?? []) walk(child, [...titles, child.title])
    }
    for (const suite of report.suites ?? []) walk(suite, [])
    // Errors outside any test (config, web server that would not start).
    for (const e of report.errors ?? []) {
      f++
      failures.push(`playwright: ${firstLine(e.message)}`)
    }
    if (r.code !== 0 && f === 0) {
      f++
      failures.push(`playwright: ${r.why} although no test failed; see its output above`)
    }
  }
  passed += p
  failed += f
  skipped += s
  stages.push(`playwright: ${p} passed, ${f} failed, ${s} skipped`)
}

rmSync(tmp, { recursive: true, force: true })

// ---- summary

banner('summary')
for (const line of stages) process.stdout.write(`  ${line}\n`)
if (skips.length > 0) {
  process.stdout.write(ci ? `\nSkipped (counted as failures because CI is set):\n` : `\nSkipped:\n`)
  for (const line of skips) process.stdout.write(`  - ${line}\n`)
}
if (failures.length > 0) {
  process.stdout.write('\nFailed:\n')
  for (const line of failures) process.stdout.write(`  - ${line}\n`)
}
if (ci) {
  failed += skipped
  skipped = 0
}
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`)
process.exitCode = failed > 0 ? 1 : 0
