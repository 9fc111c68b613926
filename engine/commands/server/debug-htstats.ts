// dict.c dictGetStats (Redis 7.0.15), the text of DEBUG HTSTATS and
// DEBUG HTSTATS-KEY: per table, its size, entries, used buckets, chain
// lengths and their distribution. Chain lengths depend on the hash seed, so
// only the size and entry lines are reproducible across servers.

import type { Dict } from '../../structures/dict.ts'

/** DICT_STATS_VECTLEN: chain lengths counted separately up to 49 (longer ones are counted but not printed). */
const STATS_VECTLEN = 50
/** dictGetStats writes into a 4096-byte buffer (the last byte is the NUL). */
const STATS_BUFSIZE = 4096

/**
 * printf("%.2f"): the value's exact binary expansion rounded half to even,
 * where toFixed would round a tie (1.125) up.
 */
export function formatFixed2(x: number): string {
  const y = x * 100
  if (Number.isFinite(y) && !Number.isInteger(y) && Number.isInteger(y * 2)) {
    const down = Math.floor(y)
    const n = down % 2 === 0 ? down : down + 1
    return (n / 100).toFixed(2)
  }
  return x.toFixed(2)
}

/** (float)a / b as C computes it, in single precision. */
const floatDiv = (a: number, b: number): number => Math.fround(Math.fround(a) / Math.fround(b))

function tableStats(d: Dict<string, unknown>, table: 0 | 1): string {
  const name = table === 0 ? 'main hash table' : 'rehashing target'
  const used = d.tableUsed(table)
  if (used === 0) return `Hash table ${table} stats (${name}):\nNo stats available for empty dictionaries\n`
  const size = d.tableSize(table)
  const vector = new Array<number>(STATS_VECTLEN).fill(0)
  let slots = 0
  let maxChain = 0
  let total = 0
  for (let i = 0; i < size; i++) {
    const chain = d.bucket(table, i).length
    if (chain === 0) {
      vector[0]++
      continue
    }
    slots++
    vector[Math.min(chain, STATS_VECTLEN - 1)]++
    if (chain > maxChain) maxChain = chain
    total += chain
  }
  let out =
    `Hash table ${table} stats (${name}):\n` +
    ` table size: ${size}\n` +
    ` number of elements: ${used}\n` +
    ` different slots: ${slots}\n` +
    ` max chain length: ${maxChain}\n` +
    ` avg chain length (counted): ${formatFixed2(floatDiv(total, slots))}\n` +
    ` avg chain length (computed): ${formatFixed2(floatDiv(used, slots))}\n` +
    ` Chain length distribution:\n`
  for (let i = 0; i < STATS_VECTLEN - 1; i++) {
    if (vector[i] === 0) continue
    if (out.length >= STATS_BUFSIZE) break
    out += `   ${i}: ${vector[i]} (${formatFixed2(Math.fround(floatDiv(vector[i], size) * 100))}%)\n`
  }
  return out
}

/** dictGetStats: table 0, then table 1 while rehashing, cut to the 4095 characters of Redis's buffer. */
export function dictGetStats(d: Dict<string, unknown>): string {
  let out = tableStats(d, 0)
  if (d.isRehashing && out.length < STATS_BUFSIZE - 1) out += tableStats(d, 1)
  return out.slice(0, STATS_BUFSIZE - 1)
}
