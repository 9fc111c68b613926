// MEMORY USAGE / STATS / DOCTOR / PURGE / HELP (object.c memoryCommand, Redis
// 7.0.15), answered from the memory model (keyspace/memory.ts).

import { bulk, double, integer, map, NULL, OK, verbatim, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { memoryOverhead } from '../../server/info.ts'
import { keyMemoryUsage, OBJ_COMPUTE_SIZE_DEF_SAMPLES } from '../../keyspace/memory.ts'
import { isReply, parseLongLong } from '../args.ts'
import { helpReply } from './help.ts'

const LLONG_MAX = Number.MAX_SAFE_INTEGER

/**
 * MEMORY USAGE key [SAMPLES count]: the key's value, its sds and its dict entry.
 * The key is found without expiring it or touching its access time (dictFind).
 */
export const memoryUsage: CommandImpl = {
  name: 'memory|usage',
  run: (c, argv) => {
    let samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES
    for (let j = 3; j < argv.length; j++) {
      if (argv[j].toLowerCase() === 'samples' && j + 1 < argv.length) {
        const n = parseLongLong(argv[j + 1])
        if (isReply(n)) return n
        if (n < 0n) return E.syntax
        // 0 means every element.
        samples = n === 0n ? LLONG_MAX : Number(n)
        j++
      } else {
        return E.syntax
      }
    }
    const o = c.db.dict.get(argv[2])
    if (o === undefined) return NULL
    return integer(keyMemoryUsage(argv[2], o, samples))
  },
}

/** MEMORY STATS: getMemoryOverheadData as a map, over the modelled allocations. */
export const memoryStats: CommandImpl = {
  name: 'memory|stats',
  run: (c) => {
    const mh = memoryOverhead(c.server)
    const used = mh.totalAllocated
    const out: Reply[] = [
      bulk('peak.allocated'), integer(mh.peakAllocated),
      bulk('total.allocated'), integer(used),
      bulk('startup.allocated'), integer(mh.startupAllocated),
      bulk('replication.backlog'), integer(0),
      bulk('clients.slaves'), integer(0),
      bulk('clients.normal'), integer(mh.clientsNormal),
      bulk('cluster.links'), integer(0),
      bulk('aof.buffer'), integer(0),
      bulk('lua.caches'), integer(0),
      bulk('functions.caches'), integer(0),
    ]
    for (const db of mh.db) {
      out.push(
        bulk(`db.${db.dbid}`),
        map([
          bulk('overhead.hashtable.main'), integer(db.main),
          bulk('overhead.hashtable.expires'), integer(db.expires),
          bulk('overhead.hashtable.slot-to-keys'), integer(0),
        ]),
      )
    }
    out.push(
      bulk('overhead.total'), integer(mh.overheadTotal),
      bulk('keys.count'), integer(mh.totalKeys),
      bulk('keys.bytes-per-key'), integer(mh.bytesPerKey),
      bulk('dataset.bytes'), integer(mh.dataset),
      bulk('dataset.percentage'), double(mh.datasetPerc),
      bulk('peak.percentage'), double(mh.peakPerc),
      bulk('allocator.allocated'), integer(used),
      bulk('allocator.active'), integer(used),
      bulk('allocator.resident'), integer(used),
      bulk('allocator-fragmentation.ratio'), double(1),
      bulk('allocator-fragmentation.bytes'), integer(0),
      bulk('allocator-rss.ratio'), double(1),
      bulk('allocator-rss.bytes'), integer(0),
      bulk('rss-overhead.ratio'), double(1),
      bulk('rss-overhead.bytes'), integer(0),
      bulk('fragmentation'), double(1),
      bulk('fragmentation.bytes'), integer(0),
    )
    return map(out)
  },
}

/**
 * MEMORY DOCTOR (getMemoryDoctorReport). With modelled memory there is no
 * fragmentation or RSS overhead; what remains observable is a small instance,
 * a past peak, and big client buffers (never, as buffers are not modelled).
 */
export const memoryDoctor: CommandImpl = {
  name: 'memory|doctor',
  run: (c) => {
    const mh = memoryOverhead(c.server)
    if (mh.totalAllocated < 1024 * 1024 * 5) {
      return verbatim(
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n",
      )
    }
    if (Math.fround(mh.peakAllocated / mh.totalAllocated) > 1.5) {
      return verbatim(
        'Sam, I detected a few issues in this Redis instance memory implants:\n\n' +
          ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n' +
          "I'm here to keep you safe, Sam. I want to help you.\n",
      )
    }
    return verbatim("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n")
  },
}

/**
 * MEMORY MALLOC-STATS: a jemalloc build answers with je_malloc_stats_print's
 * report as verbatim text. There is no real allocator behind the model, so the
 * report says so.
 */
export const memoryMallocStats: CommandImpl = {
  name: 'memory|malloc-stats',
  run: () => verbatim('Stats not supported for the current allocator'),
}

/** MEMORY PURGE: nothing for a modelled allocator to give back. */
export const memoryPurge: CommandImpl = { name: 'memory|purge', run: () => OK }

export const memoryHelp: CommandImpl = {
  name: 'memory|help',
  run: (_c, argv) =>
    helpReply(argv[0], [
      'DOCTOR',
      '    Return memory problems reports.',
      'MALLOC-STATS',
      '    Return internal statistics report from the memory allocator.',
      'PURGE',
      '    Attempt to purge dirty pages for reclamation by the allocator.',
      'STATS',
      '    Return information about the memory usage of the server.',
      'USAGE <key> [SAMPLES <count>]',
      '    Return memory in bytes used by <key> and its value. Nested values are',
      '    sampled up to <count> times (default: 5, 0 means sample all).',
    ]),
}

export const memoryCommands: CommandImpl[] = [memoryUsage, memoryStats, memoryDoctor, memoryMallocStats, memoryPurge, memoryHelp]
