import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/**
 * Starts the engine worker from index.html, before the app's bundle has even
 * loaded: the worker's script downloads and compiles while the page's does.
 * Started from the bundle instead, it waits for the bundle to run, and then for
 * the shell's first render to free the page's thread (Chromium starts a worker
 * from that thread): measured, the worker began ~650 ms into a cold load.
 * src/engine-client.ts takes window.__glassboxWorker when it is there (not in dev).
 */
function startEngineWorkerEarly(): Plugin {
  return {
    name: 'glassbox-start-engine-worker-early',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const file = Object.keys(ctx.bundle ?? {}).find((f) => /(^|\/)engine\.worker-[^/]*\.js$/.test(f))
        if (!file) throw new Error('engine worker chunk not found in the bundle')
        const src = `./${file}`
        return [{
          tag: 'script',
          injectTo: 'head',
          children: `try{window.__glassboxWorker=new Worker(${JSON.stringify(src)},{type:'module',name:'glassbox-engine'})}catch(e){}`,
        }]
      },
    },
  }
}

// Relative base so dist/ works from any sub-path of a static host. The engine
// runs in a module worker ('es' format), in its own chunk with the command docs.
export default defineConfig({
  base: './',
  plugins: [react(), startEngineWorkerEarly()],
  build: { target: 'es2022' },
  worker: { format: 'es' },
  // Dependencies first imported inside the lazily created worker would make the
  // dev server re-optimise and reload the page mid-session (stack.md).
  optimizeDeps: { include: ['comlink', 'idb', '@xterm/xterm', '@xterm/addon-fit', '@xterm/addon-unicode11', '@xterm/addon-web-links', 'zustand', 'react', 'react-dom/client'] },
  preview: { host: '127.0.0.1', strictPort: true },
})
