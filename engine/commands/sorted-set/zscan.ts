// ZSCAN key cursor [MATCH pattern] [COUNT count] (t_zset.c zscanCommand): the
// cursor is checked first, then the key; the walk is the shared
// scanGenericCommand (scanValue).

import { EMPTY_ARRAY, array, bulk } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { parseScanCursor } from '../generic/scan.ts'
import { scanValue } from '../generic/scan-value.ts'
import { isZset, readZset } from './common.ts'

const EMPTY_SCAN = array([bulk('0'), EMPTY_ARRAY])

export const zscan: CommandImpl = {
  name: 'zscan',
  run: (c, argv) => {
    const cursor = parseScanCursor(argv[2])
    if (cursor === undefined) return E.invalidCursor
    const o = readZset(c, argv[1])
    if (o === undefined) return EMPTY_SCAN
    if (!isZset(o)) return o
    return scanValue(c, o, cursor, argv, 3)
  },
}
