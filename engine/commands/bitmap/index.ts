// The bitmap command group (bitops.c): SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.

import type { CommandImpl } from '../../server/command-table.ts'
import { bitcount, bitpos } from './bitcount.ts'
import { bitfield, bitfieldRo } from './bitfield.ts'
import { bitop } from './bitop.ts'
import { getbit, setbit } from './setbit.ts'

export const bitmapCommands: CommandImpl[] = [setbit, getbit, bitcount, bitpos, bitop, bitfield, bitfieldRo]
