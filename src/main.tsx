// The app's entry: the React shell. The engine lives in a Web Worker
// (src/worker), reached only through src/engine-client.ts.

import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.tsx'
import { engine } from './engine-client.ts'
import { loadHelpTable } from './state/help-table.ts'
import { hook } from './test-hook.ts'
import './styles.css'

// Start the worker and the help table while React renders the shell.
engine()
void loadHelpTable()
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
