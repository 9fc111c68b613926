import { describe, expect, it } from 'vitest'
import { createServer } from '../../server/server.ts'
import { VirtualClock } from '../../server/clock.ts'
import { array, bulk, bulks, error, integer, map, status, verbatim } from '../../protocol/reply.ts'

function setup(config: Record<string, string> = {}) {
  const server = createServer({ clock: new VirtualClock(1_700_000_000_000), config: { 'enable-debug-command': 'yes', ...config } })
  return { server, c: server.connect({ addr: '127.0.0.1:7000' }) }
}

describe('SLOWLOG', () => {
  it('GET answers [id, time, µs, argv, addr, name] newest first; count -1 means all', () => {
    const { c } = setup({ 'slowlog-log-slower-than': '0' })
    c.call(['DEBUG', 'SLEEP', '0.002'])
    c.call(['SET', 'k', 'v'])
    expect(c.call(['SLOWLOG', 'GET', '1'])).toEqual(
      array([array([integer(1), integer(1_700_000_000), integer(0), bulks(['SET', 'k', 'v']), bulk('127.0.0.1:7000'), bulk('')])]),
    )
    const all = c.call(['SLOWLOG', 'GET', '-1'])
    expect(all?.kind === 'array' && all.value.length).toBe(3)
    expect(c.call(['SLOWLOG', 'GET', '0'])).toEqual(array([]))
    expect(c.call(['SLOWLOG', 'LEN'])).toEqual(integer(5))
    expect(c.call(['SLOWLOG', 'RESET'])).toEqual(status('OK'))
    expect(c.call(['SLOWLOG', 'LEN'])).toEqual(integer(1))
  })

  it('rejects bad counts and extra arguments', () => {
    const { c } = setup()
    expect(c.call(['SLOWLOG', 'GET', '-2'])).toEqual(error('ERR count should be greater than or equal to -1'))
    expect(c.call(['SLOWLOG', 'GET', 'x'])).toEqual(error('ERR count should be greater than or equal to -1'))
    expect(c.call(['SLOWLOG', 'GET', '1', '2'])).toEqual(error("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."))
    expect(c.call(['SLOWLOG', 'LEN', 'x'])).toEqual(error("ERR wrong number of arguments for 'slowlog|len' command"))
  })
})

describe('LATENCY', () => {
  it('LATEST, HISTORY and RESET over recorded samples', () => {
    const { c } = setup({ 'latency-monitor-threshold': '1' })
    c.call(['DEBUG', 'SLEEP', '0.003'])
    expect(c.call(['LATENCY', 'LATEST'])).toEqual(array([array([bulk('command'), integer(1_700_000_000), integer(3), integer(3)])]))
    expect(c.call(['LATENCY', 'HISTORY', 'command'])).toEqual(array([array([integer(1_700_000_000), integer(3)])]))
    expect(c.call(['LATENCY', 'HISTORY', 'Command'])).toEqual(array([]))
    expect(c.call(['LATENCY', 'GRAPH', 'nosuch'])).toEqual(error("ERR No samples available for event 'nosuch'"))
    expect(c.call(['LATENCY', 'RESET', 'COMMAND', 'command'])).toEqual(integer(1))
    expect(c.call(['LATENCY', 'LATEST'])).toEqual(array([]))
  })

  it('HISTOGRAM reports calls and cumulative µs buckets of the named commands', () => {
    const { c } = setup()
    c.call(['SET', 'a', '1'])
    c.call(['DEBUG', 'SLEEP', '0.003'])
    expect(c.call(['LATENCY', 'HISTOGRAM', 'SET', 'nosuch', 'get', 'debug'])).toEqual(
      map([
        bulk('set'),
        map([bulk('calls'), integer(1), bulk('histogram_usec'), map([integer(1), integer(1)])]),
        bulk('debug'),
        map([bulk('calls'), integer(1), bulk('histogram_usec'), map([integer(4227), integer(1)])]),
      ]),
    )
  })
})

describe('ROLE, WAIT, LOLWUT', () => {
  it('ROLE is a master without replicas; WAIT counts no replicas', () => {
    const { c } = setup()
    expect(c.call(['ROLE'])).toEqual(array([bulk('master'), integer(0), array([])]))
    expect(c.call(['WAIT', '0', '0'])).toEqual(integer(0))
    expect(c.call(['WAIT', 'x', '0'])).toEqual(error('ERR value is not an integer or out of range'))
    expect(c.call(['WAIT', '0', '1.5'])).toEqual(error('ERR timeout is not an integer or out of range'))
    expect(c.call(['WAIT', '0', '-1'])).toEqual(error('ERR timeout is negative'))
  })

  it('LOLWUT prints the version; VERSION 5 draws Schotter', () => {
    const { c } = setup()
    expect(c.call(['LOLWUT'])).toEqual(verbatim('Redis ver. 7.0.15\n'))
    expect(c.call(['LOLWUT', 'VERSION', '9'])).toEqual(verbatim('Redis ver. 7.0.15\n'))
    expect(c.call(['LOLWUT', 'VERSION', 'x'])).toEqual(error('ERR value is not an integer or out of range'))
    const r = c.call(['LOLWUT', 'VERSION', '5', '10', '2', '2'])
    const text = r?.kind === 'verbatim' ? new TextDecoder().decode(Uint8Array.from(r.value, (ch) => ch.charCodeAt(0))) : ''
    expect(text).toBe('⠀⡤⠤⠤⠤⡤⠤⠤⠤⡄\n⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n⠀⡧⠤⠤⠤⡧⠤⠤⠤⡇\n⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n⠀⠧⠤⠤⠤⠧⠤⠤⠤⠇\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n')
  })
})
