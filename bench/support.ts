// What the benchmarks that drive the built app in Chromium share: the app
// built and served by `vite preview` on a free port, and percentiles.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../test/support/redis-process.ts'

export { freePort }

/** The repository's root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The p-th percentile of ascending numbers (nearest rank); NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export interface ServedApp {
  /** The app's address, with `query` when one was given. */
  url: string
  stop(): void
}

/**
 * Builds the app into `outDir` (its own directory lets a bench run beside e2e runs
 * and other benches in one checkout; `build: false` serves what is there) and
 * serves it with `vite preview` on a free port. Resolves once it answers.
 */
export async function serveBuiltApp(outDir: string, opts: { build?: boolean; query?: string } = {}): Promise<ServedApp> {
  if (opts.build !== false) {
    const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' })
    if (b.status !== 0) throw new Error('vite build failed')
  }
  const port = await freePort()
  const server = spawn('npx', ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--strictPort', '--port', String(port)], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  })
  const stop = (): void => {
    if (server.pid) process.kill(-server.pid, 'SIGTERM')
  }
  const url = `http://127.0.0.1:${port}/${opts.query ?? ''}`
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop }
    } catch {
      // not up yet
    }
    if (i > 300) {
      stop()
      throw new Error('vite preview did not start')
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
