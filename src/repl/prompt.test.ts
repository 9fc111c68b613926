import { describe, expect, it } from 'vitest'
import type { RespValue } from './resp.ts'
import { afterInterrupt, modeForCommand, promptFor, staysInMode, subscribedBanner, trackClientState, type ClientState } from './prompt.ts'

const ok: RespValue = { type: 'simple', value: 'OK' }
const queued: RespValue = { type: 'simple', value: 'QUEUED' }
const err: RespValue = { type: 'error', value: 'ERR x' }
const nil: RespValue = { type: 'null', kind: 'array' }
const base: ClientState = { host: '127.0.0.1', port: 6379, db: 0, inMulti: false }

describe('promptFor', () => {
  it('formats like cliRefreshPrompt', () => {
    expect(promptFor(base)).toBe('127.0.0.1:6379> ')
    expect(promptFor({ ...base, db: 2 })).toBe('127.0.0.1:6379[2]> ')
    expect(promptFor({ ...base, db: 2, inMulti: true })).toBe('127.0.0.1:6379[2](TX)> ')
    expect(promptFor({ ...base, inMulti: true })).toBe('127.0.0.1:6379(TX)> ')
    expect(promptFor({ ...base, host: '::1' })).toBe('[::1]:6379> ')
    expect(promptFor({ ...base, host: 'h'.repeat(200) })).toHaveLength(127)
  })
})

describe('trackClientState (observed with redis-cli 7.0.15 on a pty)', () => {
  it('follows SELECT, MULTI, DISCARD, EXEC and RESET', () => {
    let s = trackClientState(base, ['select', '2'], ok)
    expect(s.db).toBe(2)
    s = trackClientState(s, ['MULTI'], ok)
    expect(s.inMulti).toBe(true)
    s = trackClientState(s, ['select', '3'], queued)
    expect(promptFor(s)).toBe('127.0.0.1:6379[3](TX)> ')
    s = trackClientState(s, ['discard'], ok)
    expect(promptFor(s)).toBe('127.0.0.1:6379[2]> ')
    s = trackClientState(trackClientState(s, ['multi'], ok), ['select', '4'], queued)
    s = trackClientState(s, ['exec'], { type: 'array', items: [ok] })
    expect(promptFor(s)).toBe('127.0.0.1:6379[4]> ')
    s = trackClientState(s, ['reset'], { type: 'simple', value: 'RESET' })
    expect(promptFor(s)).toBe('127.0.0.1:6379> ')
  })
  it('restores the db when EXEC fails or returns nil, ignores errors', () => {
    let s = trackClientState({ ...base, db: 1 }, ['multi'], ok)
    s = trackClientState(s, ['select', '5'], queued)
    expect(trackClientState(s, ['exec'], nil).db).toBe(1)
    expect(trackClientState(s, ['exec'], err)).toMatchObject({ db: 1, inMulti: false })
    expect(trackClientState(base, ['select', '99'], err).db).toBe(0)
    expect(trackClientState(base, ['select', '1', 'x'], ok).db).toBe(0)
    expect(trackClientState(base, ['multi'], err).inMulti).toBe(false)
    expect(trackClientState(base, ['exec'], ok)).toBe(base)
  })
})

describe('modes', () => {
  it('knows subscribed and monitor commands', () => {
    expect(modeForCommand(['SUBSCRIBE', 'c'])).toBe('subscribed')
    expect(modeForCommand(['psubscribe', 'c*'])).toBe('subscribed')
    expect(modeForCommand(['ssubscribe', 'c'])).toBe('subscribed')
    expect(modeForCommand(['monitor'])).toBe('monitor')
    expect(modeForCommand(['psync', '?', '-1'])).toBe('replica')
    expect(modeForCommand(['unsubscribe'])).toBe('normal')
    expect(subscribedBanner('tty')).toBe('Reading messages... (press Ctrl-C to quit)\n')
    expect(subscribedBanner('raw')).toBe('')
    expect(staysInMode('subscribed', ok)).toBe(true)
    expect(staysInMode('subscribed', err)).toBe(false)
    expect(staysInMode('normal', ok)).toBe(false)
    expect(afterInterrupt({ ...base, db: 2, inMulti: true })).toMatchObject({ db: 2, inMulti: false })
  })
})
