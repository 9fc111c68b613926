// SipHash-1-2 over byte strings, as Redis's dict hashes keys (siphash.c,
// dictGenHashFunction): one compression round per 8-byte block, two
// finalisation rounds, 16-byte seed read as two little-endian 64-bit words.
//
// JS has no fast 64-bit integers (BigInt allocates), so every 64-bit lane is
// held as two int32 halves. A dict only ever masks the hash with a table mask
// of at most 32 bits, so the hot path returns just the low 32 bits; with the
// same seed this places keys in exactly the buckets Redis would.
//
// Input: a byte string (one char per byte, 0-255). Char codes above 255 are
// taken mod 256 (they must never reach the keyspace anyway).

/** A seeded hash of a byte string returning an unsigned 32-bit number. */
export type Hasher = (data: string) => number

// High 32 bits of the last sipCore result (read by siphash12 only).
let lastHigh = 0

// "somepseudorandomlygeneratedbytes" split into (low, high) int32 halves.
const IV0_LO = 0x70736575 | 0
const IV0_HI = 0x736f6d65 | 0
const IV1_LO = 0x6e646f6d | 0
const IV1_HI = 0x646f7261 | 0
const IV2_LO = 0x6e657261 | 0
const IV2_HI = 0x6c796765 | 0
const IV3_LO = 0x79746573 | 0
const IV3_HI = 0x74656462 | 0

// Returns the low 32 bits (unsigned) and leaves the high 32 bits in lastHigh.
// Written as one flat function over locals so V8 keeps everything in int32
// registers; the SipRound body is repeated inline on purpose.
function sipCore(s: string, k0l: number, k0h: number, k1l: number, k1h: number): number {
  let v0l = IV0_LO ^ k0l
  let v0h = IV0_HI ^ k0h
  let v1l = IV1_LO ^ k1l
  let v1h = IV1_HI ^ k1h
  let v2l = IV2_LO ^ k0l
  let v2h = IV2_HI ^ k0h
  let v3l = IV3_LO ^ k1l
  let v3h = IV3_HI ^ k1h
  let t: number
  let ml: number
  let mh: number
  const len = s.length
  const end = len - (len & 7)
  let i = 0
  // Compression: one SipRound per 8-byte block, plus one for the final
  // block (remaining bytes and the length byte), hence the extra pass.
  for (;;) {
    if (i < end) {
      ml = (s.charCodeAt(i) & 0xff) | ((s.charCodeAt(i + 1) & 0xff) << 8) |
        ((s.charCodeAt(i + 2) & 0xff) << 16) | ((s.charCodeAt(i + 3) & 0xff) << 24)
      mh = (s.charCodeAt(i + 4) & 0xff) | ((s.charCodeAt(i + 5) & 0xff) << 8) |
        ((s.charCodeAt(i + 6) & 0xff) << 16) | ((s.charCodeAt(i + 7) & 0xff) << 24)
      i += 8
    } else if (i === end) {
      // Last block: leftover bytes little-endian, input length in the top byte.
      ml = 0
      mh = (len & 0xff) << 24
      for (let j = 0, rem = len & 7; j < rem; j++) {
        const b = s.charCodeAt(i + j) & 0xff
        if (j < 4) ml |= b << (j << 3)
        else mh |= b << ((j - 4) << 3)
      }
      i = end + 1
    } else {
      break
    }
    v3l ^= ml
    v3h ^= mh
    // SipRound
    t = (v0l + v1l) | 0; v0h = (v0h + v1h + ((t >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0; v0l = t
    t = (v1h << 13) | (v1l >>> 19); v1l = (v1l << 13) | (v1h >>> 19); v1h = t
    v1l ^= v0l; v1h ^= v0h
    t = v0l; v0l = v0h; v0h = t
    t = (v2l + v3l) | 0; v2h = (v2h + v3h + ((t >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0; v2l = t
    t = (v3h << 16) | (v3l >>> 16); v3l = (v3l << 16) | (v3h >>> 16); v3h = t
    v3l ^= v2l; v3h ^= v2h
    t = (v0l + v3l) | 0; v0h = (v0h + v3h + ((t >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0; v0l = t
    t = (v3h << 21) | (v3l >>> 11); v3l = (v3l << 21) | (v3h >>> 11); v3h = t
    v3l ^= v0l; v3h ^= v0h
    t = (v2l + v1l) | 0; v2h = (v2h + v1h + ((t >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0; v2l = t
    t = (v1h << 17) | (v1l >>> 15); v1l = (v1l << 17) | (v1h >>> 15); v1h = t
    v1l ^= v2l; v1h ^= v2h
    t = v2l; v2l = v2h; v2h = t
    v0l ^= ml
    v0h ^= mh
  }
  v2l ^= 0xff
  // Finalisation: two SipRounds.
  for (let u = 0; u < 2; u++) {
    t = (v0l + v1l) | 0; v0h = (v0h + v1h + ((t >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0; v0l = t
    t = (v1h << 13) | (v1l >>> 19); v1l = (v1l << 13) | (v1h >>> 19); v1h = t
    v1l ^= v0l; v1h ^= v0h
    t = v0l; v0l = v0h; v0h = t
    t = (v2l + v3l) | 0; v2h = (v2h + v3h + ((t >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0; v2l = t
    t = (v3h << 16) | (v3l >>> 16); v3l = (v3l << 16) | (v3h >>> 16); v3h = t
    v3l ^= v2l; v3h ^= v2h
    t = (v0l + v3l) | 0; v0h = (v0h + v3h + ((t >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0; v0l = t
    t = (v3h << 21) | (v3l >>> 11); v3l = (v3l << 21) | (v3h >>> 11); v3h = t
    v3l ^= v0l; v3h ^= v0h
    t = (v2l + v1l) | 0; v2h = (v2h + v1h + ((t >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0; v2l = t
    t = (v1h << 17) | (v1l >>> 15); v1l = (v1l << 17) | (v1h >>> 15); v1h = t
    v1l ^= v2l; v1h ^= v2h
    t = v2l; v2l = v2h; v2h = t
  }
  lastHigh = (v0h ^ v1h ^ v2h ^ v3h) >>> 0
  return (v0l ^ v1l ^ v2l ^ v3l) >>> 0
}

function seedWords(seed: Uint8Array): [number, number, number, number] {
  if (seed.length !== 16) throw new RangeError('SipHash seed must be 16 bytes')
  const w = (o: number): number =>
    (seed[o] | (seed[o + 1] << 8) | (seed[o + 2] << 16) | (seed[o + 3] << 24)) | 0
  return [w(0), w(4), w(8), w(12)]
}

/**
 * Returns a SipHash-1-2 hasher bound to a 16-byte seed (Redis keeps one random
 * seed per process: the server should draw it from its injected Random).
 * The result is the low 32 bits of the 64-bit SipHash, unsigned.
 */
export function createSipHasher(seed: Uint8Array): Hasher {
  const [k0l, k0h, k1l, k1h] = seedWords(seed)
  return (data: string): number => sipCore(data, k0l, k0h, k1l, k1h)
}

/** Full 64-bit SipHash-1-2 of a byte string (slow path: allocates a BigInt). */
export function siphash12(data: string, seed: Uint8Array): bigint {
  const [k0l, k0h, k1l, k1h] = seedWords(seed)
  const lo = sipCore(data, k0l, k0h, k1l, k1h)
  return (BigInt(lastHigh) << 32n) | BigInt(lo)
}

/** Hasher with an all-zero seed: deterministic, for tests and standalone use. */
export const defaultHasher: Hasher = createSipHasher(new Uint8Array(16))
