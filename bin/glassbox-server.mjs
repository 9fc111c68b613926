#!/usr/bin/env node
// Starts glassbox-server without a build step. The engine (TypeScript) is
// bundled with esbuild into node_modules/.cache/glassbox-server/ whenever a
// source file under engine/ is newer than the bundle, then run by plain Node.
// This starts faster than a loader and, unlike tsx's loader thread, lets the
// process exit at once on SHUTDOWN. Without esbuild it falls back to tsx.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

process.setSourceMapsEnabled(true)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = path.join(root, 'engine', 'node', 'main.ts')
const cacheDir = path.join(root, 'node_modules', '.cache', 'glassbox-server')
const bundle = path.join(cacheDir, 'main.mjs')

/** Newest modification time of the engine's non-test sources. */
function newestSource(dir) {
  let newest = 0
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, ent.name)
    if (ent.isDirectory()) newest = Math.max(newest, newestSource(p))
    else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs)
  }
  return newest
}

async function loadBundled() {
  const { build } = await import('esbuild')
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(path.join(root, 'engine'))) {
    mkdirSync(cacheDir, { recursive: true })
    // Built beside the target and renamed, so servers starting together never read half a file.
    const tmp = `${bundle}.${process.pid}.tmp.mjs`
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: tmp,
      sourcemap: 'inline',
      logLevel: 'error',
    })
    renameSync(tmp, bundle)
  }
  return import(pathToFileURL(bundle).href)
}

let mod
try {
  mod = await loadBundled()
} catch (e) {
  if (process.env.GLASSBOX_DEBUG) console.error('bundling failed, using tsx:', e)
  const { register } = await import('tsx/esm/api')
  register()
  mod = await import(pathToFileURL(entry).href)
}
await mod.main(process.argv.slice(2))
