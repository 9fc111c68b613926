import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compileGlob } from './glob.ts'
import { globMatch } from '../../engine/structures/glob.ts'

/** SCAN's view of a pattern: a bare '*' lists everything; the matcher decides the rest. */
const engine = (pattern: string, name: string): boolean => pattern === '*' || globMatch(pattern, name)

describe('compileGlob', () => {
  it('matches like SCAN MATCH on examples', () => {
    const cases: [string, string, boolean][] = [
      ['user:*', 'user:1', true],
      ['user:*', 'user', false],
      ['user:?', 'user:10', false],
      ['h[ae]llo', 'hallo', true],
      ['h[^e]llo', 'hello', false],
      ['h[a-b]llo', 'hbllo', true],
      ['h[b-a]llo', 'hallo', true],
      ['a\\*b', 'a*b', true],
      ['a\\*b', 'axb', false],
      ['ab\\', 'ab\\', true],
      ['x[abc', 'xb', true],
      ['*', '', true],
      ['?', '', false],
      ['*\xe4', 'caf\xe4', true],
      ['[\x00-a]', '\xff', false],
      ['[\xff-a]', '\x00', true],
    ]
    for (const [p, s, want] of cases) {
      expect(compileGlob(p).test(s), `${JSON.stringify(p)} ~ ${JSON.stringify(s)}`).toBe(want)
      expect(engine(p, s), `engine ${JSON.stringify(p)} ~ ${JSON.stringify(s)}`).toBe(want)
    }
  })

  it('agrees with the engine matcher on random patterns and names', () => {
    const patChar = fc.constantFrom('*', '?', '[', ']', '^', '-', '\\', 'a', 'b', 'c', ':', '\x00', '\xff', '\x80')
    const nameChar = fc.constantFrom('a', 'b', 'c', ':', '-', ']', '[', '\\', '^', '*', '?', '\x00', '\xff', '\x80')
    fc.assert(
      fc.property(fc.array(patChar, { maxLength: 9 }), fc.array(nameChar, { maxLength: 9 }), (p, s) => {
        const pattern = p.join('')
        const name = s.join('')
        // The box's '' means "no filter" (SCAN MATCH '' would list only the empty key).
        if (pattern === '') return
        expect(compileGlob(pattern).test(name)).toBe(engine(pattern, name))
      }),
      { numRuns: 20_000 },
    )
  })
})
