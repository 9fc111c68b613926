// e2e suite: Debian's Chromium against the built app served by `vite preview`.
// Run with `npx playwright test` (also part of `npm test`). Without
// /usr/bin/chromium every test skips with an install hint (fails under CI).
import { defineConfig } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS, E2E_PORT } from './e2e/support/env.ts'

// GLASSBOX_E2E_OUTDIR builds and serves somewhere other than dist/, so two runs
// (with different GLASSBOX_E2E_PORTs) can share a checkout.
const outDir = process.env.GLASSBOX_E2E_OUTDIR ?? 'dist'

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  reporter: process.env.CI ? 'list' : [['list']],
  outputDir: process.env.GLASSBOX_E2E_OUTDIR ? `${outDir}-results` : 'test-results',
  webServer: {
    // Build first so the suite always tests the current sources, then serve dist/ statically
    // (GLASSBOX_E2E_NO_BUILD=1 serves the dist/ already there).
    command: `${process.env.GLASSBOX_E2E_NO_BUILD ? '' : `npx vite build --logLevel warn --outDir ${outDir} --emptyOutDir && `}npx vite preview --outDir ${outDir} --host 127.0.0.1 --strictPort --port ${E2E_PORT}`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}/`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
})
