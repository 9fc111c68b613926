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
