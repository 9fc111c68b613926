// SSCAN key cursor [MATCH pattern] [COUNT count] (t_set.c sscanCommand).

import { array, bulk, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { parseScanCursor } from '../generic/scan.ts'
import { scanValue } from '../generic/scan-value.ts'
import { isSet, lookupSet } from './lookup.ts'

// shared.emptyscan: cursor "0" and no elements (the options are not even parsed).
const EMPTY_SCAN: Reply = array([bulk('0'), array([])])

export const sscan: CommandImpl = {
  name: 'sscan',
  run: (c, argv) => {
    // The cursor is checked before the key is looked up (parseScanCursorOrReply first).
    const cursor = parseScanCursor(argv[2])
    if (cursor === undefined) return E.invalidCursor
    const set = lookupSet(c, argv[1], false)
    if (set === undefined) return EMPTY_SCAN
    if (!isSet(set)) return set
    return scanValue(c, set, cursor, argv, 3)
  },
}
