// The app's entry: the React shell. The engine lives in a Web Worker
// (src/worker), reached only through src/engine-client.ts.

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.tsx'
import { engine } from './engine-client.ts'
import { hook } from './test-hook.ts'
import './styles.css'

// Start the worker (the built page has already started it: vite.config.ts) while React renders the shell.
// The help table comes after the first prompt (TerminalPane), as redis-cli asks for COMMAND DOCS once connected.
engine()
hook.workerPing = async () => {
  const t0 = performance.now()
  await engine().info()
  return performance.now() - t0
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
