import { describe, expect, it } from 'vitest'
import { Crc64, crc64 } from './crc64.ts'

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16))

// Bit-at-a-time reference, straight from the definition (reflected Jones polynomial).
function reference(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n
  let crc = 0n
  for (const b of data) {
    crc ^= BigInt(b)
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n
  }
  return crc
}

describe('crc64 (Jones, reflected)', () => {
  it('has the check value of crc64.c', () => {
    expect(crc64(ascii('123456789'))).toBe(0xe9c6d914c4b8d9can)
    expect(crc64(new Uint8Array(0))).toBe(0n)
  })

  it('matches the bitwise definition for every length 0..300 and every byte value', () => {
    let seed = 12345
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24
    for (let n = 0; n <= 300; n++) {
      const data = Uint8Array.from({ length: n }, next)
      expect(crc64(data)).toBe(reference(data))
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(crc64(all)).toBe(reference(all))
  })

  it('gives the same result fed in pieces and for sub-ranges', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff)
    const c = new Crc64()
    for (let i = 0; i < data.length; i += 13) c.update(data, i, Math.min(i + 13, data.length))
    expect(c.value()).toBe(crc64(data))
    expect(crc64(data, 100, 900)).toBe(reference(data.subarray(100, 900)))
  })

  it('reproduces the trailers of real DUMP payloads (redis-7.0-facts.md §6)', () => {
    for (const h of [
      '000568656c6c6f0a006372df766534200a',
      '00c139300a009d94ea2793fc08b9',
      '00c3091e016161e011000161610a0045737cbb2b647bbb',
      '1201020d0d0000000200816102816202ff0a0068eb0a891341bbb1',
      '0b0c0200000002000000010002000a006f7938b134eb202e',
      '020101780a00ffe880ba760c2f09',
      '100d0d0000000200816602817602ff0a0020f13d442354089d',
      '110f0f0000000200816d0283312e3504ff0a0049d9876078254e8a',
    ]) {
      const bytes = hex(h)
      const c = new Crc64().update(bytes, 0, bytes.length - 8)
      expect(c.matchesLE(bytes, bytes.length - 8)).toBe(true)
      expect(Array.from(c.bytesLE())).toEqual(Array.from(bytes.subarray(bytes.length - 8)))
      bytes[0] ^= 1
      expect(new Crc64().update(bytes, 0, bytes.length - 8).matchesLE(bytes, bytes.length - 8)).toBe(false)
    }
  })
})
