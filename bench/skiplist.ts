// Skiplist timings at 1,000,000 members (run: npx tsx bench/skiplist.ts).
// Printed, never asserted: timings belong in benchmarks, not tests.
import { Skiplist } from '../engine/structures/skiplist.ts'
import { SeededRandom } from '../engine/server/random.ts'

const n = 1_000_000
const zsl = new Skiplist(new SeededRandom(42))
const rnd = new SeededRandom(99)
const scores = new Float64Array(n)
for (let i = 0; i < n; i++) scores[i] = rnd.u32() % 100_000
let t = performance.now()
for (let i = 0; i < n; i++) zsl.insert(scores[i], 'member:' + i)
const insertMs = performance.now() - t
const q = 200_000
const picks = Array.from({ length: q }, () => rnd.u32() % n)
const names = picks.map((i) => 'member:' + i)
t = performance.now()
for (let j = 0; j < q; j++) zsl.getRank(scores[picks[j]], names[j])
const rankMs = performance.now() - t
t = performance.now()
const snap = zsl.snapshot({ fromRank: 654_321, count: 50 })
const snapMs = performance.now() - t
console.log(
  `skiplist ${n}: insert ${(insertMs / n * 1000).toFixed(2)} µs/op, getRank ${(rankMs / q * 1000).toFixed(2)} µs/op, ` +
    `50-node snapshot window ${snapMs.toFixed(2)} ms (${snap.nodes.length} nodes), level ${zsl.level}`,
)
