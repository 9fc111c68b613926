// BITFIELD and BITFIELD_RO (bitops.c bitfieldGeneric): all operations are
// parsed first (any error aborts before anything runs), then the key is looked
// up once, grown to the farthest written bit, and the operations run in order.

import { NULL, array, error, integer, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { string2ll } from '../../structures/numbers.ts'
import { setRawValue } from '../../types/string.ts'
import {
  OVERFLOW_FAIL,
  OVERFLOW_SAT,
  OVERFLOW_WRAP,
  checkSignedOverflow,
  checkUnsignedOverflow,
  cKeyword,
  getSignedBitfield,
  getUnsignedBitfield,
  parseBitOffset,
  parseBitfieldType,
  setBitfield,
  type OverflowResult,
  type OverflowType,
} from './bits.ts'
import { lookupStringForBit, traceInPlaceWrite } from './strings.ts'

const ERR_OVERFLOW_TYPE = error('ERR Invalid OVERFLOW type specified')
const ERR_RO = error('ERR BITFIELD_RO only supports the GET subcommand')

/** An integer reply, as a JS number when it is exact (the common case), else as a bigint. */
function intReply(v: bigint): Reply {
  return integer(v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v)
}

const GET = 0
const SET = 1
const INCRBY = 2

interface Op {
  opcode: typeof GET | typeof SET | typeof INCRBY
  offset: number
  bits: number
  signed: boolean
  value: bigint
  overflow: OverflowType
}

function bitfieldGeneric(c: Client, argv: readonly string[], readonlyCommand: boolean): Reply {
  const ops: Op[] = []
  let overflow: OverflowType = OVERFLOW_WRAP
  let readonly = true
  let highestWrite = 0

  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1
    const sub = argv[j]
    let opcode: Op['opcode']
    if (cKeyword(sub, 'get') && remaining >= 2) opcode = GET
    else if (cKeyword(sub, 'set') && remaining >= 3) opcode = SET
    else if (cKeyword(sub, 'incrby') && remaining >= 3) opcode = INCRBY
    else if (cKeyword(sub, 'overflow') && remaining >= 1) {
      const name = argv[++j]
      if (cKeyword(name, 'wrap')) overflow = OVERFLOW_WRAP
      else if (cKeyword(name, 'sat')) overflow = OVERFLOW_SAT
      else if (cKeyword(name, 'fail')) overflow = OVERFLOW_FAIL
      else return ERR_OVERFLOW_TYPE
      continue
    } else {
      return E.syntax
    }

    const type = parseBitfieldType(argv[j + 1])
    if (!('bits' in type)) return type
    const offset = parseBitOffset(c, argv[j + 2], type.bits)
    if (typeof offset !== 'number') return offset
    let value = 0n
    if (opcode !== GET) {
      readonly = false
      highestWrite = Math.max(highestWrite, offset + type.bits - 1)
      const v = string2ll(argv[j + 3])
      if (v === null) return E.notInteger
      value = v
    }
    ops.push({ opcode, offset, bits: type.bits, signed: type.signed, value, overflow })
    j += opcode === GET ? 2 : 3
  }

  const db = c.db
  const key = argv[1]
  if (readonly) {
    // Reading never creates the key; a missing one reads as zeros.
    const o = db.lookupRead(key)
    if (o !== undefined && o.type !== 'string') return E.wrongType
    const s = o === undefined ? '' : o.value
    return array(ops.map((op) => intReply(op.signed ? getSignedBitfield(s, op.offset, op.bits) : getUnsignedBitfield(s, op.offset, op.bits))))
  }
  if (readonlyCommand) return ERR_RO

  const t = lookupStringForBit(c, key, highestWrite)
  if (!('o' in t)) return t
  let s = t.o.value
  let changes = 0
  const replies: Reply[] = []
  for (const op of ops) {
    if (op.opcode === GET) {
      replies.push(intReply(op.signed ? getSignedBitfield(s, op.offset, op.bits) : getUnsignedBitfield(s, op.offset, op.bits)))
      continue
    }
    let oldval: bigint
    let newval: bigint
    let retval: bigint
    let res: OverflowResult
    if (op.signed) {
      oldval = getSignedBitfield(s, op.offset, op.bits)
      if (op.opcode === INCRBY) {
        res = checkSignedOverflow(oldval, op.value, op.bits, op.overflow)
        newval = res.overflow ? (res.limit ?? 0n) : oldval + op.value
        retval = newval
      } else {
        res = checkSignedOverflow(op.value, 0n, op.bits, op.overflow)
        newval = res.overflow && res.limit !== undefined ? res.limit : op.value
        retval = oldval
      }
    } else {
      // Unsigned fields are uint64 in Redis: a negative SET value is read as 2^64 + v.
      oldval = getUnsignedBitfield(s, op.offset, op.bits)
      if (op.opcode === INCRBY) {
        res = checkUnsignedOverflow(oldval, op.value, op.bits, op.overflow)
        newval = res.overflow && res.limit !== undefined ? res.limit : BigInt.asUintN(64, oldval + op.value)
        retval = newval
      } else {
        newval = BigInt.asUintN(64, op.value)
        res = checkUnsignedOverflow(newval, 0n, op.bits, op.overflow)
        if (res.overflow && res.limit !== undefined) newval = res.limit
        retval = oldval
      }
    }
    if (res.overflow && op.overflow === OVERFLOW_FAIL) {
      replies.push(NULL)
      continue
    }
    replies.push(intReply(op.signed ? retval : BigInt.asIntN(64, retval)))
    s = setBitfield(s, op.offset, op.bits, newval)
    if (t.grown || oldval !== newval) changes++
  }
  if (s !== t.o.value) setRawValue(t.o, s)

  if (changes > 0) {
    traceInPlaceWrite(c, key, t)
    c.server.signalModifiedKey(db, key)
    c.server.notify('$', 'setbit', key, db.id)
    c.server.dirty += changes
  }
  return array(replies)
}

// BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] ...
export const bitfield: CommandImpl = { name: 'bitfield', run: (c, argv) => bitfieldGeneric(c, argv, false) }

// BITFIELD_RO key [GET type offset ...]
export const bitfieldRo: CommandImpl = { name: 'bitfield_ro', run: (c, argv) => bitfieldGeneric(c, argv, true) }
