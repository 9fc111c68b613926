// Where the e2e suite finds its browser and real Redis, and how it gates on them.
import { accessSync, constants } from 'node:fs'

export const CHROMIUM = process.env.GLASSBOX_CHROMIUM ?? '/usr/bin/chromium'
export const REDIS_SERVER = process.env.GLASSBOX_REDIS_SERVER ?? '/usr/bin/redis-server'
export const REDIS_CLI = process.env.GLASSBOX_REDIS_CLI ?? '/usr/bin/redis-cli'
/** The port `vite preview` serves the built app on (fixed: workers re-read the config). */
export const E2E_PORT = Number(process.env.GLASSBOX_E2E_PORT ?? 47173)

/** stack.md: Playwright adds --no-sandbox and a fresh profile itself. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function isCI(): boolean {
  return !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase())
}

export const CHROMIUM_MISSING = `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`
export const REDIS_MISSING = `redis-server/redis-cli 7.0.15 not found: apt-get install -y redis-server redis-tools`
