// prefers-reduced-motion as a React hook: views skip their transitions when it is on.
// During server rendering (tests) there is no motion at all.
import { useSyncExternalStore } from 'react'

const QUERY = '(prefers-reduced-motion: reduce)'

function subscribe(cb: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {}
  const mq = window.matchMedia(QUERY)
  mq.addEventListener('change', cb)
  return () => mq.removeEventListener('change', cb)
}

function current(): boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return true
  return window.matchMedia(QUERY).matches
}

/** True when the user asked for reduced motion (and always on the server). */
export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, current, () => true)
}
