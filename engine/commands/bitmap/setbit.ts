// SETBIT and GETBIT (bitops.c setbitCommand, getbitCommand).

import { ONE, ZERO } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { string2ll } from '../../structures/numbers.ts'
import { setRawValue } from '../../types/string.ts'
import { ERR_BIT_VALUE, parseBitOffset } from './bits.ts'
import { lookupStringForBit, traceInPlaceWrite } from './strings.ts'

// SETBIT key offset value
export const setbit: CommandImpl = {
  name: 'setbit',
  run: (c, argv) => {
    const key = argv[1]
    const offset = parseBitOffset(c, argv[2])
    if (typeof offset !== 'number') return offset
    const on = string2ll(argv[3])
    if (on === null || (on & ~1n) !== 0n) return ERR_BIT_VALUE

    const t = lookupStringForBit(c, key, offset)
    if (!('o' in t)) return t
    const s = t.o.value
    const byte = Math.floor(offset / 8)
    const shift = 7 - (offset & 7)
    const old = s.charCodeAt(byte)
    const was = (old >> shift) & 1
    // Redis counts a change only when the string grew or the bit flips (no event, no dirty otherwise).
    if (t.grown || was !== Number(on)) {
      const b = on === 1n ? old | (1 << shift) : old & ~(1 << shift)
      setRawValue(t.o, s.slice(0, byte) + String.fromCharCode(b) + s.slice(byte + 1))
      traceInPlaceWrite(c, key, t)
      c.server.signalModifiedKey(c.db, key)
      c.server.notify('$', 'setbit', key, c.db.id)
      c.server.dirty++
    }
    return was ? ONE : ZERO
  },
}

// GETBIT key offset
export const getbit: CommandImpl = {
  name: 'getbit',
  run: (c, argv) => {
    const offset = parseBitOffset(c, argv[2])
    if (typeof offset !== 'number') return offset
    const o = c.db.lookupRead(argv[1])
    if (o === undefined) return ZERO
    if (o.type !== 'string') return E.wrongType
    const byte = Math.floor(offset / 8)
    // An 'int' string's value is its decimal text, which is what Redis reads (ll2string).
    if (byte >= o.value.length) return ZERO
    return (o.value.charCodeAt(byte) >> (7 - (offset & 7))) & 1 ? ONE : ZERO
  },
}
