// Randomness is injected and seedable, so a class can share one seed and see the
// same skiplist levels, eviction samples and RANDOMKEY choices.

export interface Random {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform unsigned 32-bit integer. */
  u32(): number
}

/** xoshiro128** seeded through splitmix32: small, fast and good enough for sampling. */
export class SeededRandom implements Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = this.b = this.c = this.d = 0
    this.reseed(seed)
  }

  /** Restart the sequence from `seed`, as a new SeededRandom(seed) would (a class fixing one seed). */
  reseed(seed: number): void {
    let s = seed >>> 0
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = split()
    this.b = split()
    this.c = split()
    this.d = split()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  next(): number {
    return this.u32() / 4294967296
  }

  /** Hex string of n random bytes, e.g. for run ids. */
  hex(n: number): string {
    let out = ''
    for (let i = 0; i < n; i++) out += (this.u32() & 0xff).toString(16).padStart(2, '0')
    return out
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
