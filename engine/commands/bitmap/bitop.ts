// BITOP AND | OR | XOR | NOT destkey srckey [srckey ...] (bitops.c bitopCommand).

import { error, integer } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { MAX_JS_STRING_LENGTH, newRawString } from '../../types/string.ts'
import { bytesToString, cKeyword } from './bits.ts'

const ERR_NOT_ARITY = error('ERR BITOP NOT must be called with a single source key.')

type Op = 'and' | 'or' | 'xor' | 'not'

function parseOp(arg: string): Op | undefined {
  for (const op of ['and', 'or', 'xor', 'not'] as const) if (cKeyword(arg, op)) return op
  return undefined
}

export const bitop: CommandImpl = {
  name: 'bitop',
  run: (c, argv) => {
    const op = parseOp(argv[1])
    if (op === undefined) return E.syntax
    if (op === 'not' && argv.length !== 4) return ERR_NOT_ARITY
    const dest = argv[2]
    const db = c.db
    const server = c.server

    // Missing sources are empty strings; a non-string source stops the command.
    const srcs: string[] = []
    let maxlen = 0
    for (let j = 3; j < argv.length; j++) {
      const o = db.lookupRead(argv[j])
      if (o === undefined) {
        srcs.push('')
        continue
      }
      if (o.type !== 'string') return E.wrongType
      srcs.push(o.value)
      if (o.value.length > maxlen) maxlen = o.value.length
    }

    if (maxlen === 0) {
      // An all-empty result deletes the destination instead of storing "".
      if (db.delete(dest)) {
        server.signalModifiedKey(db, dest)
        server.notify('g', 'del', dest, db.id)
        server.dirty++
      }
      return integer(0)
    }
    if (maxlen > MAX_JS_STRING_LENGTH) return E.stringTooBig

    // Shorter sources are padded with zero bytes.
    const res = new Uint8Array(maxlen)
    const first = srcs[0]
    for (let i = 0; i < first.length; i++) res[i] = first.charCodeAt(i)
    if (op === 'not') {
      for (let i = 0; i < maxlen; i++) res[i] = ~res[i]
    } else if (op === 'and') {
      for (let j = 1; j < srcs.length; j++) {
        const s = srcs[j]
        const n = s.length
        for (let i = 0; i < n; i++) res[i] &= s.charCodeAt(i)
        res.fill(0, n)
      }
    } else if (op === 'or') {
      for (let j = 1; j < srcs.length; j++) {
        const s = srcs[j]
        for (let i = 0; i < s.length; i++) res[i] |= s.charCodeAt(i)
      }
    } else {
      for (let j = 1; j < srcs.length; j++) {
        const s = srcs[j]
        for (let i = 0; i < s.length; i++) res[i] ^= s.charCodeAt(i)
      }
    }

    // Stored as a new raw string (createObject over an sdsnewlen buffer), TTL removed.
    db.setKey(dest, newRawString(bytesToString(res)))
    server.notify('$', 'set', dest, db.id)
    server.dirty++
    return integer(maxlen)
  },
}
