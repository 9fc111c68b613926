import { describe, expect, it } from 'vitest'
import { Config, memtoull, parseMemory, splitSpaces, strtoll } from './config.ts'
import { configTable, keyspaceEventsFlagsToString, keyspaceEventsStringToFlags, trimDoubleString } from './config-table.ts'

const fresh = (): Config => new Config(configTable)

function check(name: string, value: string): string {
  const c = fresh()
  const r = c.check(c.def(name)!, value)
  return r.ok ? `ok:${r.value}` : `err:${r.error}`
}

describe('config table', () => {
  it('lists the 192 names CONFIG GET * shows on a fresh 7.0.15 (aliases included, hidden and internal ones not)', () => {
    const c = fresh()
    const visible = c.names().filter((n) => !c.lookup(n)!.hidden)
    expect(visible.length).toBe(192)
    expect(new Set(visible).size).toBe(192)
    expect(c.names()).toContain('hash-max-ziplist-entries')
    expect(c.names()).not.toContain('active-expire-enabled')
    expect(c.lookup('active-expire-enabled')).toBeUndefined()
    expect(c.def('active-expire-enabled')).toBeDefined()
  })

  it('keeps every default valid under its own parser', () => {
    const c = fresh()
    // replicaof's default (no master) is not something the directive can be given.
    for (const d of configTable.filter((x) => x.name !== 'replicaof')) {
      const r = c.check(d, d.default)
      expect(r, d.name).toEqual({ ok: true, value: d.default })
    }
  })
})

describe('numeric directives', () => {
  it('parses integers strictly and reports signed or unsigned bounds', () => {
    expect(check('hz', '20')).toBe('ok:20')
    expect(check('hz', ' 20')).toBe("err:argument couldn't be parsed into an integer")
    expect(check('hz', '-1')).toBe('err:argument must be between 0 and 2147483647 inclusive')
    expect(check('maxclients', '-1')).toBe('err:argument must be between 1 and 4294967295 inclusive')
    expect(check('slowlog-max-len', '-1')).toBe('err:argument must be between 0 and 9223372036854775807 inclusive')
    expect(check('hash-max-listpack-entries', '-1')).toBe('err:argument must be between 0 and 9223372036854775807 inclusive')
  })

  it('clamps hz to 1..500 after accepting it', () => {
    expect(check('hz', '0')).toBe('ok:1')
    expect(check('hz', '100000')).toBe('ok:500')
  })

  it('takes memory units, saturating like strtoull', () => {
    expect(check('maxmemory', '1kb')).toBe('ok:1024')
    expect(check('maxmemory', '1K')).toBe('ok:1000')
    expect(check('maxmemory', '2GB')).toBe('ok:2147483648')
    expect(check('maxmemory', '')).toBe('ok:0')
    expect(check('maxmemory', 'kb')).toBe('ok:0')
    expect(check('maxmemory', '99999999999999999999999')).toBe('ok:18446744073709551615')
    expect(check('maxmemory', '99999999999999999999kb')).toBe('err:argument must be a memory value')
    expect(check('maxmemory', '-1')).toBe('err:argument must be a memory value')
    expect(check('maxmemory', '1 kb')).toBe('err:argument must be a memory value')
    expect(check('hash-max-listpack-value', '99999999999999999999')).toBe('err:argument must be between 0 and 9223372036854775807 inclusive')
    expect(check('proto-max-bulk-len', '1kb')).toBe('err:argument must be between 1048576 and 9223372036854775807 inclusive')
  })

  it('handles percentages and octal values', () => {
    expect(check('maxmemory-clients', '5%')).toBe('ok:5%')
    expect(check('maxmemory-clients', '101%')).toBe('err:percentage argument must be less or equal to 100')
    expect(check('maxmemory-clients', '-5')).toBe('err:argument must be a memory or percent value')
    expect(check('unixsocketperm', '700')).toBe('ok:700')
    expect(check('unixsocketperm', '1000')).toBe('err:argument must be between 0 and 777 inclusive')
    expect(check('unixsocketperm', '8')).toBe("err:argument couldn't be parsed as an octal number")
  })

  it('exposes parsed values', () => {
    const c = fresh()
    c.apply('maxmemory-clients', '5%')
    expect(c.num('maxmemory-clients')).toBe(-5)
    expect(c.num('maxmemory')).toBe(0)
    expect(c.bool('activerehashing')).toBe(true)
  })
})

describe('enums and specials', () => {
  it('prints synonyms with their first spelling and multi-flag enums in table order', () => {
    expect(check('oom-score-adj', 'relative')).toBe('ok:yes')
    expect(check('shutdown-on-sigint', 'force NOW')).toBe('ok:now force')
    expect(check('shutdown-on-sigint', 'default save')).toBe('ok:save')
    expect(check('shutdown-on-sigint', 'save nosave')).toBe("err:shutdown options SAVE and NOSAVE can't be used simultaneously")
    expect(check('shutdown-on-sigint', 'now  force')).toBe('err:argument(s) must be one of the following: default, save, nosave, now, force')
    expect(check('loglevel', 'debug verbose')).toBe('err:argument(s) must be one of the following: debug, verbose, notice, warning')
  })

  it('normalises save points and refuses bad ones', () => {
    expect(check('save', '+3600 -0')).toBe('ok:3600 0')
    expect(check('save', '3600 4294967297')).toBe('ok:3600 1')
    expect(check('save', '0 1')).toBe('err:Invalid save parameters')
    expect(check('save', '3600')).toBe('err:Invalid save parameters')
    expect(check('save', '')).toBe('ok:')
  })

  it('updates only the named classes of client-output-buffer-limit', () => {
    expect(check('client-output-buffer-limit', 'replica 1mb 2mb 3')).toBe('ok:normal 0 0 0 slave 1048576 2097152 3 pubsub 33554432 8388608 60')
    expect(check('client-output-buffer-limit', 'master 1 1 1')).toBe('err:Invalid client class specified in buffer limit configuration.')
    expect(check('client-output-buffer-limit', 'pubsub 1 1 2147483648')).toBe(
      'err:Error in hard, soft or soft_seconds setting in buffer limit configuration.',
    )
    expect(check('client-output-buffer-limit', 'pubsub 1 1 4294967296')).toBe('ok:normal 0 0 0 slave 268435456 67108864 60 pubsub 1 1 0')
  })

  it('writes notify-keyspace-events canonically', () => {
    expect(keyspaceEventsFlagsToString(keyspaceEventsStringToFlags('KEA'))).toBe('AKE')
    expect(keyspaceEventsFlagsToString(keyspaceEventsStringToFlags('An'))).toBe('A')
    expect(keyspaceEventsFlagsToString(keyspaceEventsStringToFlags('nmK$'))).toBe('$nKm')
    expect(keyspaceEventsStringToFlags('KEA!')).toBe(-1)
  })

  it('formats latency percentiles like %f without trailing zeros', () => {
    expect(check('latency-tracking-info-percentiles', '50 99.90 1e1')).toBe('ok:50 99.9 10')
    expect(check('latency-tracking-info-percentiles', '101')).toBe('err:latency-tracking-info-percentiles parameters should sit between [0.0,100.0]')
    expect(trimDoubleString('0.000000')).toBe('0')
  })

  it('validates proc-title-template expansions', () => {
    expect(check('proc-title-template', '{title} {port}')).toBe('ok:{title} {port}')
    expect(check('proc-title-template', '{title}')).toBe('err:template format is invalid or contains unknown variables')
    expect(check('proc-title-template', '{nope} x')).toBe('err:template format is invalid or contains unknown variables')
    expect(check('proc-title-template', '{{ x')).toBe('ok:{{ x')
  })

  it('resolves dir against the current one', () => {
    expect(check('dir', 'a/../b/./c')).toBe('ok:/b/c')
    expect(check('dir', '/tmp//x/')).toBe('ok:/tmp/x')
    expect(check('dir', '')).toBe('err:No such file or directory')
  })
})

describe('setAll', () => {
  it('is all or nothing and notifies once per changed directive', () => {
    const c = fresh()
    const seen: string[] = []
    c.onChange('maxmemory', (v) => seen.push(`maxmemory=${v}`))
    expect(c.setAll([['maxmemory', '10mb'], ['maxmemory-policy', 'bad']])?.name).toBe('maxmemory-policy')
    expect(c.str('maxmemory')).toBe('0')
    expect(seen).toEqual([])
    expect(c.setAll([['maxmemory', '10mb'], ['maxmemory-policy', 'allkeys-lru']])).toBeUndefined()
    expect(c.str('maxmemory')).toBe('10485760')
    expect(seen).toEqual(['maxmemory=10485760'])
    expect(c.setAll([['maxmemory', '10mb']])).toBeUndefined()
    expect(seen.length).toBe(1)
  })
})

describe('helpers', () => {
  it('memtoull, parseMemory, strtoll, splitSpaces', () => {
    expect(memtoull('1gb')).toBe(1073741824n)
    expect(memtoull('1x')).toBeNull()
    expect(memtoull('+1')).toBeNull()
    expect(parseMemory('2mb')).toBe(2097152)
    expect(parseMemory('99999999999999999999')).toBeNull()
    expect(strtoll(' -12', 10, true)).toBe(-12n)
    expect(strtoll('12x', 10, true)).toBeNull()
    expect(strtoll('12x', 10, false)).toBe(12n)
    expect(strtoll('99999999999999999999', 10, false)).toBe(2n ** 63n - 1n)
    expect(splitSpaces('')).toEqual([])
    expect(splitSpaces('a  b')).toEqual(['a', '', 'b'])
  })
})
