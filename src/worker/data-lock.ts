// One owner for the saved data: the first tab's engine worker holds a Web Lock
// for as long as it lives (the browser releases it when the worker ends), so a
// second tab can tell that the data is in use and run a temporary in-memory
// server instead of two servers writing the same files.

export const DATA_LOCK = 'glassbox-data'

/** The part of LockManager used here (navigator.locks, in windows and workers). */
export interface LockManagerLike {
  request(name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown>
}

export interface HeldLock {
  release(): void
}

/**
 * Take the data lock: at once when it is free, otherwise wait up to `waitMs`
 * (a reloading tab's old worker may not have let go yet). Resolves with the held
 * lock, or null when another tab keeps it. Without Web Locks there is no way to
 * tell, and this tab counts as the owner.
 */
export async function acquireDataLock(
  locks: LockManagerLike | undefined,
  waitMs: number,
  name = DATA_LOCK,
): Promise<HeldLock | null> {
  if (locks === undefined) return { release: () => {} }
  const hold = (): { held: Promise<void>; release: () => void } => {
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    return { held, release }
  }
  // First ask without queueing (steal: false is the default): a free lock is granted at once.
  const first = hold()
  const got = await new Promise<boolean>((resolve) => {
    locks
      .request(name, { mode: 'exclusive', ifAvailable: true }, (lock) => {
        resolve(lock !== null)
        return lock === null ? undefined : first.held
      })
      .catch(() => resolve(false))
  })
  if (got) return { release: first.release }
  if (waitMs <= 0) return null
  const second = hold()
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(), waitMs)
  return new Promise<HeldLock | null>((resolve) => {
    locks
      .request(name, { mode: 'exclusive', signal: ctrl.signal }, () => {
        clearTimeout(timer)
        resolve({ release: second.release })
        return second.held
      })
      // AbortError: the other tab still has it.
      .catch(() => resolve(null))
  })
}
