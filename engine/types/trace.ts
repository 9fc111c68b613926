// Trace helpers shared by the collection types: a conversion says which
// threshold was crossed, in words, for the views to show (design.md).

import type { Keyspace } from '../keyspace/keyspace.ts'

/** Where a value lives, when the caller knows it (conversions inside RESTORE or SORT may not). */
export interface ValueSite {
  db: number
  key: string
}

/** Emit an encoding-converted event; `reason` reads like "513th field: hash-max-listpack-entries is 512". */
export function traceConversion(
  ks: Pick<Keyspace, 'traceBus' | 'trace'>,
  site: ValueSite | undefined,
  valueType: string,
  from: string,
  to: string,
  reason: () => string,
): void {
  if (!ks.traceBus.active || site === undefined) return
  ks.trace({ type: 'encoding-converted', db: site.db, key: site.key, valueType, from, to, reason: reason() })
}

/** What traceRehash needs of a dict: its observer slot (engine/structures/dict.ts onRehash). */
export interface RehashObservable {
  onRehash: ((rehashIndex: number, done: boolean) => void) | undefined
}

/**
 * Reports the rehash steps of the dict inside the value at `site` as
 * 'rehash-step' events. The type modules call it on each keyed write: while
 * someone listens it (re)attaches an observer bound to the site (reads and
 * deletes that step the rehash later report through it too); when nobody
 * listens, or the site is unknown, it detaches any observer, so nothing is
 * built and the dict pays one comparison per rehash step.
 */
export function traceRehash(ks: Pick<Keyspace, 'traceBus' | 'trace'>, site: ValueSite | undefined, dict: RehashObservable): void {
  if (!ks.traceBus.active || site === undefined) {
    if (dict.onRehash !== undefined) dict.onRehash = undefined
    return
  }
  const { db, key } = site
  dict.onRehash = (rehashIndex, done) => {
    if (ks.traceBus.active) ks.trace({ type: 'rehash-step', db, key, rehashIndex, done })
  }
}

/** English ordinal for reasons: 1st, 2nd, 3rd, 4th, 11th, 513th. */
export function ordinal(n: number): string {
  const mod100 = n % 100
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`
  switch (n % 10) {
    case 1:
      return `${n}st`
    case 2:
      return `${n}nd`
    case 3:
      return `${n}rd`
    default:
      return `${n}th`
  }
}
