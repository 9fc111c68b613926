import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { StringObject } from '../keyspace/object.ts'
import {
  MAX_JS_STRING_LENGTH,
  OBJ_SHARED_REFCOUNT,
  checkString,
  createRawStringObject,
  createStringObject,
  createStringObjectFromLongLong,
  createStringObjectFromLongLongForValue,
  getStringValue,
  isSharedObject,
  isStringObject,
  objectRefcount,
  sharedInteger,
  sharedIntegersForbidden,
  stringObjectLen,
  tryObjectEncoding,
  unshareStringValue,
  type StringHost,
} from './string.ts'

function host(maxmemory = 0, policy = 'noeviction'): StringHost {
  return {
    config: {
      num: (n) => (n === 'maxmemory' ? maxmemory : 0),
      str: (n) => (n === 'maxmemory-policy' ? policy : ''),
    },
  }
}

const enc = (h: StringHost, v: string): string => tryObjectEncoding(h, v).encoding

describe('tryObjectEncoding (the SET path)', () => {
  const h = host()

  it('int for canonical int64 text of at most 20 chars', () => {
    for (const v of ['0', '1', '-1', '12345', '9223372036854775807', '-9223372036854775808', '9999', '10000']) {
      expect(enc(h, v), v).toBe('int')
      expect(tryObjectEncoding(h, v).value).toBe(v)
    }
  })

  it('embstr for non-canonical or out-of-range numbers and short text', () => {
    for (const v of ['9223372036854775808', '-9223372036854775809', ' 1', '1 ', '01', '-0', '+1', '1.5', '', 'abc', '1\x00']) {
      expect(enc(h, v), JSON.stringify(v)).toBe('embstr')
    }
  })

  it('switches from embstr to raw between 44 and 45 bytes', () => {
    expect(enc(h, 'x'.repeat(44))).toBe('embstr')
    expect(enc(h, 'x'.repeat(45))).toBe('raw')
    // A 45-digit number is too long to be an int.
    expect(enc(h, '1'.repeat(45))).toBe('raw')
    expect(enc(h, '1'.repeat(21))).toBe('embstr')
  })

  it('shares 0..9999 per server, not across servers', () => {
    const a = tryObjectEncoding(h, '42')
    expect(tryObjectEncoding(h, '42')).toBe(a)
    expect(isSharedObject(a)).toBe(true)
    expect(objectRefcount(a)).toBe(OBJ_SHARED_REFCOUNT)
    expect(tryObjectEncoding(host(), '42')).not.toBe(a)
    const big = tryObjectEncoding(h, '10000')
    expect(isSharedObject(big)).toBe(false)
    expect(objectRefcount(big)).toBe(1)
    expect(tryObjectEncoding(h, '10000')).not.toBe(big)
    expect(isSharedObject(tryObjectEncoding(h, '-1'))).toBe(false)
  })

  it('does not share when maxmemory is set with an LRU or LFU policy', () => {
    for (const p of ['allkeys-lru', 'volatile-lru', 'allkeys-lfu', 'volatile-lfu']) {
      expect(sharedIntegersForbidden(host(1 << 20, p)), p).toBe(true)
      const o = tryObjectEncoding(host(1 << 20, p), '5')
      expect(o.encoding).toBe('int')
      expect(isSharedObject(o)).toBe(false)
    }
    for (const p of ['noeviction', 'allkeys-random', 'volatile-random', 'volatile-ttl']) {
      expect(sharedIntegersForbidden(host(1 << 20, p)), p).toBe(false)
    }
    // The policy alone does not matter without maxmemory.
    expect(sharedIntegersForbidden(host(0, 'allkeys-lru'))).toBe(false)
  })
})

describe('other constructors', () => {
  it('createStringObject never makes ints', () => {
    expect(createStringObject('3').encoding).toBe('embstr')
    expect(createStringObject('x'.repeat(45)).encoding).toBe('raw')
    expect(createRawStringObject('3').encoding).toBe('raw')
  })

  it('FromLongLong shares regardless of policy; ForValue follows the policy', () => {
    const lru = host(1 << 20, 'allkeys-lru')
    expect(isSharedObject(createStringObjectFromLongLong(lru, 7))).toBe(true)
    expect(isSharedObject(createStringObjectFromLongLong(lru, 7n))).toBe(true)
    expect(isSharedObject(createStringObjectFromLongLongForValue(lru, 7))).toBe(false)
    expect(isSharedObject(createStringObjectFromLongLongForValue(host(), 7))).toBe(true)
    const neg = createStringObjectFromLongLongForValue(host(), -9223372036854775808n)
    expect(neg).toMatchObject({ encoding: 'int', value: '-9223372036854775808' })
    expect(createStringObjectFromLongLong(host(), -0).value).toBe('0')
  })

  it('shared objects start with the access clock of the server start, like createSharedObjects', () => {
    const clock = new VirtualClock(1_700_000_123_456)
    const server = createServer({ clock })
    clock.advance(50_000)
    expect(sharedInteger(server, 5).lru).toBe(Math.floor(1_700_000_123_456 / 1000) & 0xffffff)
    const lfu = createServer({ clock, config: { 'maxmemory-policy': 'allkeys-lfu' } })
    expect(sharedInteger(lfu, 5).lru).toBe(((Math.floor(lfu.startTimeMs / 60000) & 65535) << 8) | 5)
  })

  it('shared objects refuse modification', () => {
    const o = sharedInteger(host(), 3)
    expect(() => {
      ;(o as { value: string }).value = '4'
    }).toThrow(TypeError)
    expect(() => {
      ;(o as { encoding: string }).encoding = 'raw'
    }).toThrow(TypeError)
    expect(o.value).toBe('3')
    // The access clock stays writable: lookups touch shared objects too.
    o.lru = 123
    expect(o.lru).toBe(123)
  })
})

describe('helpers', () => {
  it('reads values and lengths, checks the type', () => {
    const o = createStringObject('hello')
    expect(getStringValue(o)).toBe('hello')
    expect(stringObjectLen(o)).toBe(5)
    expect(checkString(undefined)).toBeUndefined()
    const ok = checkString(o)
    expect(isStringObject(ok)).toBe(true)
    const notString = { type: 'list' } as unknown as StringObject
    const r = checkString(notString)
    expect(isStringObject(r)).toBe(false)
    expect(r).toMatchObject({ kind: 'error', value: 'WRONGTYPE Operation against a key holding the wrong kind of value' })
  })

  it('unshareStringValue replaces non-raw values and keeps raw ones', () => {
    const server = createServer({ clock: new VirtualClock() })
    const db = server.dbs[0]
    const shared = tryObjectEncoding(server, '5')
    db.setKey('k', shared)
    const copy = unshareStringValue(db, 'k', shared)
    expect(copy).not.toBe(shared)
    expect(copy).toMatchObject({ encoding: 'raw', value: '5' })
    expect(db.dict.get('k')).toBe(copy)
    expect(shared.value).toBe('5')
    expect(unshareStringValue(db, 'k', copy)).toBe(copy)
  })

  it('stays within the longest string V8 can hold', () => {
    // V8 refuses anything longer before allocating; the engine refuses such writes itself.
    expect(() => 'x'.repeat(MAX_JS_STRING_LENGTH + 1)).toThrow(RangeError)
  })
})
