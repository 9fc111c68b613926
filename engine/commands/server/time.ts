import { array, bulk } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'

// TIME: [unix seconds, microseconds within the second], both as bulk strings in
// RESP2 and RESP3 alike (timeCommand uses addReplyBulkLongLong).
export const time: CommandImpl = {
  name: 'time',
  run: (c) => {
    const us = c.server.clock.nowUs()
    const seconds = Math.floor(us / 1_000_000)
    return array([bulk(String(seconds)), bulk(String(us - seconds * 1_000_000))])
  },
}
