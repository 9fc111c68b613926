import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Relative base so dist/ works from any sub-path of a static host. The engine
// runs in a module worker ('es' format), in its own chunk with the command docs.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { target: 'es2022' },
  worker: { format: 'es' },
  // Dependencies first imported inside the lazily created worker would make the
  // dev server re-optimise and reload the page mid-session (stack.md).
  optimizeDeps: { include: ['comlink', 'idb', '@xterm/xterm', '@xterm/addon-fit', '@xterm/addon-unicode11', '@xterm/addon-web-links', 'zustand', 'react', 'react-dom/client'] },
  preview: { host: '127.0.0.1', strictPort: true },
})
