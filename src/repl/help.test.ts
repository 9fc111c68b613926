import { describe, expect, it } from 'vitest'
import type { RespValue } from './resp.ts'
import { buildHelpTable, completions, genericHelp, helpCommand, hintFor } from './help.ts'

const b = (value: string): RespValue => ({ type: 'bulk', value })
const m = (o: Record<string, RespValue>): RespValue => ({ type: 'map', entries: Object.entries(o).map(([k, x]) => [b(k), x]) })
const arr = (...items: RespValue[]): RespValue => ({ type: 'array', items })
const flags = (...f: string[]): RespValue => ({ type: 'set', items: f.map((value) => ({ type: 'simple', value })) })

// A small COMMAND DOCS reply in the RESP3 shape.
const docs = m({
  get: m({ summary: b('Get the value of a key'), since: b('1.0.0'), group: b('string'), arguments: arr(m({ name: b('key'), type: b('key') })) }),
  set: m({
    summary: b('Set'), since: b('1.0.0'), group: b('string'),
    arguments: arr(
      m({ name: b('key'), type: b('key') }),
      m({ name: b('value'), type: b('string') }),
      m({ name: b('condition'), type: b('oneof'), flags: flags('optional'), arguments: arr(
        m({ name: b('nx'), type: b('pure-token'), token: b('NX') }), m({ name: b('xx'), type: b('pure-token'), token: b('XX') })) }),
      m({ name: b('id'), type: b('integer'), token: b('ID'), flags: flags('optional', 'multiple') }),
      m({ name: b('pair'), type: b('block'), flags: flags('multiple', 'multiple_token'), token: b('P'), arguments: arr(
        m({ name: b('a'), type: b('string') }), m({ name: b('b'), type: b('string') })) }),
    ),
  }),
  client: m({
    summary: b('A container'), since: b('2.4.0'), group: b('connection'),
    subcommands: m({
      'client|list': m({ summary: b('List'), since: b('2.4.0'), group: b('connection'),
        arguments: arr(m({ name: b('id'), type: b('integer'), token: b('ID'), flags: flags('optional') })) }),
      'client|getname': m({ summary: b('Name'), since: b('2.6.9'), group: b('connection') }),
    }),
  }),
})

describe('buildHelpTable', () => {
  const t = buildHelpTable(docs)
  it('builds sorted command, subcommand and group entries', () => {
    expect(t.entries.map((e) => e.full)).toEqual(['@connection', '@string', 'CLIENT', 'CLIENT GETNAME', 'CLIENT LIST', 'GET', 'SET'])
    expect(t.entries.find((e) => e.full === 'CLIENT LIST')!.argv).toEqual(['CLIENT', 'LIST'])
  })
  it('renders argument synopses like cliAddArgument', () => {
    expect(t.entries.find((e) => e.full === 'SET')!.params).toBe('key value [NX|XX] [ID id [id ...]] P a b [P a b ...]')
    expect(t.entries.find((e) => e.full === 'CLIENT LIST')!.params).toBe('[ID id]')
  })
  it('accepts the RESP2 (flat array) shape', () => {
    const flat = (v: RespValue): RespValue => v.type === 'map' ? arr(...v.entries.flatMap(([k, x]) => [k, flat(x)])) : v.type === 'array' ? arr(...v.items.map(flat)) : v
    expect(buildHelpTable(flat(docs))).toEqual(t)
  })
})

describe('hints, completions, help', () => {
  const t = buildHelpTable(docs)
  it('hintFor', () => {
    expect(hintFor(t, 'set')).toBe(' key value [NX|XX] [ID id [id ...]] P a b [P a b ...]')
    expect(hintFor(t, 'SET k ')).toBe('value [NX|XX] [ID id [id ...]] P a b [P a b ...]')
    expect(hintFor(t, 'set k v x')).toBe(' [NX|XX] [ID id [id ...]] P a b [P a b ...]')
    expect(hintFor(t, 'get k')).toBe(' ')
    expect(hintFor(t, 'client list')).toBe(' [ID id]')
    expect(hintFor(t, 'client li')).toBe(' ')
    expect(hintFor(t, 'client list ID 5')).toBe(' [ID id]')
    expect(hintFor(t, '')).toBeNull()
    expect(hintFor(t, '"open')).toBeNull()
    expect(hintFor(t, 'nope')).toBeNull()
  })
  it('completions', () => {
    expect(completions(t, 'c')).toEqual(['CLIENT', 'CLIENT GETNAME', 'CLIENT LIST'])
    expect(completions(t, 'Client L')).toEqual(['CLIENT LIST'])
    expect(completions(t, '@')).toEqual([])
    expect(completions(t, 'HELP @')).toEqual(['HELP @connection', 'HELP @string'])
    expect(completions(t, 'help ')).toHaveLength(7)
    expect(completions(t, 'get k')).toEqual([])
  })
  it('helpCommand', () => {
    expect(helpCommand(t, ['get'])).toBe(
      '\r\n  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\r\n  \x1b[33msummary:\x1b[0m Get the value of a key\r\n' +
      '  \x1b[33msince:\x1b[0m 1.0.0\r\n  \x1b[33mgroup:\x1b[0m string\r\n\r\n')
    expect(helpCommand(t, ['client']).match(/\x1b\[1m/g)).toHaveLength(3)
    expect(helpCommand(t, ['client', 'getname'])).toContain('CLIENT GETNAME\x1b[0m \x1b[90m\x1b[0m')
    expect(helpCommand(t, ['@STRING'])).not.toContain('group:')
    expect(helpCommand(t, ['@string']).match(/summary/g)).toHaveLength(2)
    expect(helpCommand(t, ['nope'])).toBe('\r\n')
    expect(helpCommand(t, [])).toBe(genericHelp())
    expect(genericHelp()).toMatch(/^redis-cli 7\.0\.15\nTo get help/)
  })
})
