// Benchmark: engine Dict (Redis dict.c port, SipHash-1-2) against a JS Map
// on 1,000,000 keys, plus SipHash-1-2 ns/op for 16-byte keys.
// Run: npx tsx bench/dict.ts [keys]. Prints ratios measured in this run;
// not a timed test.
import { Dict } from '../engine/structures/dict.ts'
import { createSipHasher } from '../engine/structures/siphash.ts'
import type { Hasher } from '../engine/structures/siphash.ts'

const N = Number(process.argv[2] ?? 1_000_000)
const ROUNDS = 5
const seed = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff)
const sip = createSipHasher(seed)

// A cheap non-cryptographic hash, only to show how much of the Dict's cost
// is SipHash rather than the table itself.
const fnv1a: Hasher = (s) => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ (s.charCodeAt(i) & 0xff), 0x01000193)
  return h >>> 0
}

const keys: string[] = []
for (let i = 0; i < N; i++) keys.push(`key:${i.toString().padStart(12, '0')}`) // 16 bytes
// Look keys up in a different order than inserted, and as distinct string
// objects (as a server parsing requests would see them).
const probe: string[] = []
for (let i = 0; i < N; i++) probe.push(`key:${((i * 7919) % N).toString().padStart(12, '0')}`)

let sink = 0

function time(fn: () => void): number {
  const t = performance.now()
  fn()
  return performance.now() - t
}

function benchHash(): number {
  const M = 5_000_000
  const ks = keys.slice(0, 1024)
  return (time(() => {
    for (let i = 0; i < M; i++) sink += sip(ks[i & 1023])
  }) * 1e6) / M
}

// Warm up the JIT on a small run first.
for (let w = 0; w < 3; w++) {
  const d = new Dict<string, number>({ hash: sip })
  const m = new Map<string, number>()
  for (let i = 0; i < 50_000; i++) {
    d.set(keys[i], i)
    m.set(keys[i], i)
    sink += (d.get(probe[i]) ?? 0) + (m.get(probe[i]) ?? 0)
  }
}

// Rounds interleave the contenders so background load hits all of them
// alike; each figure is the best round.
const res = { hashNs: Infinity, mapSet: Infinity, mapGet: Infinity, sipSet: Infinity, sipGet: Infinity, fnvSet: Infinity, fnvGet: Infinity }
for (let r = 0; r < ROUNDS; r++) {
  res.hashNs = Math.min(res.hashNs, benchHash())
  const m = new Map<string, number>()
  res.mapSet = Math.min(res.mapSet, time(() => {
    for (let i = 0; i < N; i++) m.set(keys[i], i)
  }))
  res.mapGet = Math.min(res.mapGet, time(() => {
    for (let i = 0; i < N; i++) sink += m.get(probe[i]) as number
  }))
  for (const [hash, kind] of [[sip, 'sip'], [fnv1a, 'fnv']] as const) {
    const d = new Dict<string, number>({ hash })
    const set = time(() => {
      for (let i = 0; i < N; i++) d.set(keys[i], i)
    })
    const get = time(() => {
      for (let i = 0; i < N; i++) sink += d.get(probe[i]) as number
    })
    if (kind === 'sip') {
      res.sipSet = Math.min(res.sipSet, set)
      res.sipGet = Math.min(res.sipGet, get)
    } else {
      res.fnvSet = Math.min(res.fnvSet, set)
      res.fnvGet = Math.min(res.fnvGet, get)
    }
  }
}
const map = { set: res.mapSet, get: res.mapGet }
const dict = { set: res.sipSet, get: res.sipGet }
const dictFnv = { set: res.fnvSet, get: res.fnvGet }
const hashNs = res.hashNs

const fmt = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms (${((ms * 1e6) / N).toFixed(0)} ns/op)`
console.log(`SipHash-1-2, 16-byte keys: ${hashNs.toFixed(1)} ns/op`)
console.log(`${N} keys, best of ${ROUNDS}`)
console.log(`  Map            set ${fmt(map.set)}  get ${fmt(map.get)}`)
console.log(`  Dict (SipHash) set ${fmt(dict.set)}  get ${fmt(dict.get)}`)
console.log(`  Dict (FNV-1a)  set ${fmt(dictFnv.set)}  get ${fmt(dictFnv.get)}`)
console.log(
  `  ratio Dict/Map: set ${(dict.set / map.set).toFixed(2)}x, get ${(dict.get / map.get).toFixed(2)}x` +
    ` (FNV-1a: set ${(dictFnv.set / map.set).toFixed(2)}x, get ${(dictFnv.get / map.get).toFixed(2)}x)`,
)
if (sink === 42) console.log('')
