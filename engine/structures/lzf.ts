// LZF as bundled with Redis 7.0 (liblzf 3.6: lzf_c.c / lzf_d.c, lzfP.h): HLOG 16,
// VERY_FAST 1, ULTRA_FAST 0, CHECK_INPUT 1, hash slots hold offsets (64-bit build). The compressor is mirrored step by step so its output is
// byte-identical to Redis's: RDB strings and compressed quicklist nodes depend on it.
//
// Stream format: 000LLLLL + L+1 literal bytes; LLLooooo oooooooo = back reference of
// L+2 bytes at distance o+1; 111ooooo LLLLLLLL oooooooo = back reference of L+9 bytes.
//
// One caveat: Redis builds with INIT_HTAB 0, so its hash table starts as whatever the
// stack held (offsets left by an earlier call). A stale slot only matters if it points
// at an unhashed earlier copy of the same 3 bytes in the current input; we start from an
// empty table, as the zeroed table of INIT_HTAB 1 would.

const HLOG = 16
const HSIZE = 1 << HLOG
const MAX_LIT = 1 << 5
const MAX_OFF = 1 << 13
const MAX_REF = (1 << 8) + (1 << 3)

// Reused between calls (the engine is single threaded). Instead of clearing 64K slots per
// call, each slot carries the call's generation; a slot from an older call reads as empty.
let htab: Int32Array | null = null
let stamps: Uint32Array | null = null
let generation = 0

// IDX for VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), h being a u32.
function idx(h: number): number {
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1)
}

/**
 * lzf_compress: compresses `input` into at most `outLen` bytes. Returns null where
 * lzf_compress returns 0: empty input, outLen 0, or output that would not fit.
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length
  if (inLen === 0 || outLen <= 0) return null
  if (htab === null || stamps === null) {
    htab = new Int32Array(HSIZE)
    stamps = new Uint32Array(HSIZE)
  }
  generation = (generation + 1) >>> 0
  if (generation === 0) {
    stamps.fill(0)
    generation = 1
  }
  const tab = htab
  const stamp = stamps
  const gen = generation
  // A few spare bytes: the tail loop writes after a check that leaves exactly enough room.
  const out = new Uint8Array(outLen + 4)
  const inp = input
  let ip = 0
  let op = 1 // the first literal run's header
  let lit = 0
  let hval = ((inp[0] << 8) | (inp[1] ?? 0)) >>> 0

  while (ip < inLen - 2) {
    hval = ((hval << 8) | inp[ip + 2]) >>> 0
    const slot = idx(hval)
    const ref = stamp[slot] === gen ? tab[slot] : 0
    tab[slot] = ip
    stamp[slot] = gen
    const off = ip - ref - 1
    // ref 0 doubles as "empty": Redis requires ref > in_data, so position 0 never matches anyway.
    if (
      ref > 0 &&
      ref < ip &&
      off < MAX_OFF &&
      inp[ref] === inp[ip] &&
      inp[ref + 1] === inp[ip + 1] &&
      inp[ref + 2] === inp[ip + 2]
    ) {
      let len = 2
      let maxlen = inLen - ip - len
      if (maxlen > MAX_REF) maxlen = MAX_REF

      // Room for the reference (3 bytes) and the next run header, counting the header
      // this run drops when it is empty (3.6's "exact but rare test").
      if (op + 3 + 1 >= outLen && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null

      out[op - lit - 1] = lit - 1 // close the literal run
      if (lit === 0) op-- // ...or drop its unused header

      // liblzf first extends 16 bytes unchecked when maxlen > 16 (the bytes exist), then steps.
      extend: {
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++
            if (inp[ref + len] !== inp[ip + len]) break extend
          }
        }
        do len++
        while (len < maxlen && inp[ref + len] === inp[ip + len])
      }

      len -= 2 // stored length is match length - 2
      ip++

      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5)
      } else {
        out[op++] = (off >> 8) + (7 << 5)
        out[op++] = len - 7
      }
      out[op++] = off & 0xff
      lit = 0
      op++ // header of the next literal run

      ip += len + 1
      if (ip >= inLen - 2) break

      // VERY_FAST: hash only the last two positions of the match.
      ip -= 2
      hval = ((inp[ip] << 8) | inp[ip + 1]) >>> 0
      hval = ((hval << 8) | inp[ip + 2]) >>> 0
      let h = idx(hval)
      tab[h] = ip
      stamp[h] = gen
      ip++
      hval = ((hval << 8) | inp[ip + 2]) >>> 0
      h = idx(hval)
      tab[h] = ip
      stamp[h] = gen
      ip++
    } else {
      if (op >= outLen) return null
      lit++
      out[op++] = inp[ip++]
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1
        lit = 0
        op++
      }
    }
  }

  if (op + 3 > outLen) return null

  while (ip < inLen) {
    lit++
    out[op++] = inp[ip++]
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1
      lit = 0
      op++
    }
  }

  out[op - lit - 1] = (lit - 1) & 0xff
  if (lit === 0) op--
  return out.slice(0, op)
}

/**
 * lzf_decompress: expands `input`, which must decode to at most `outLen` bytes.
 * Returns the decoded bytes (possibly fewer than outLen; callers such as the RDB loader
 * check the length), or null on E2BIG / EINVAL, where lzf_decompress returns 0.
 */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length
  const out = new Uint8Array(Math.max(0, outLen))
  let ip = 0
  let op = 0
  while (ip < inLen) {
    let ctrl = input[ip++]
    if (ctrl < 1 << 5) {
      ctrl++ // literal run of ctrl bytes
      if (op + ctrl > outLen) return null
      if (ip + ctrl > inLen) return null
      out.set(input.subarray(ip, ip + ctrl), op)
      op += ctrl
      ip += ctrl
    } else {
      let len = ctrl >> 5
      let ref = op - ((ctrl & 0x1f) << 8) - 1
      if (ip >= inLen) return null
      if (len === 7) {
        len += input[ip++]
        if (ip >= inLen) return null
      }
      ref -= input[ip++]
      if (op + len + 2 > outLen) return null
      if (ref < 0) return null
      // Byte by byte: the source may overlap what is being written (runs).
      for (let k = 0; k < len + 2; k++) out[op++] = out[ref++]
    }
  }
  return op === out.length ? out : out.slice(0, op)
}
