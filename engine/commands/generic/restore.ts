// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
// (cluster.c restoreCommand). The checks run in Redis's order: options, an
// existing key (BUSYKEY), the TTL, the payload's version and CRC, then the
// value itself ("Bad data format" for anything rdbLoadObject refuses).

import { OK, error, type Reply } from '../../protocol/reply.ts'
import { E } from '../../server/errors.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Client } from '../../server/client.ts'
import type { RObj } from '../../keyspace/object.ts'
import { LRU_CLOCK_MAX, LRU_CLOCK_RESOLUTION } from '../../keyspace/object.ts'
import { byteStringToBytes, deepSanitization, loadDumpPayload, verifyDumpPayload } from '../../persistence/rdb-value.ts'
import { isReply, parseLongLong } from '../args.ts'
import { optEq } from './cstr.ts'

const invalidIdletime = error('ERR Invalid IDLETIME value, must be >= 0')
const invalidFreq = error('ERR Invalid FREQ value, must be >= 0 and <= 255')
const invalidTtl = error('ERR Invalid TTL value, must be >= 0')
const badPayload = error('ERR DUMP payload version or checksum are wrong')
const badFormat = error('ERR Bad data format')
const busyKey = error('BUSYKEY Target key name already exists.')

/**
 * objectSetLRUOrLFU: under an LFU policy a given FREQ becomes the counter;
 * otherwise a given IDLETIME (seconds) moves the access clock back, wrapping
 * like the 24-bit LRU field does.
 */
function setLruOrLfu(c: Client, o: RObj, lfuFreq: bigint, lruIdle: bigint, lruClock: number): void {
  const server = c.server
  if (server.lfuPolicy()) {
    if (lfuFreq >= 0n) o.lru = (server.lfuTimeInMinutes() << 8) | Number(lfuFreq)
  } else if (lruIdle >= 0n) {
    // lru_idle * 1000 / LRU_CLOCK_RESOLUTION in 64-bit C arithmetic.
    const idle = BigInt.asIntN(64, lruIdle * 1000n) / BigInt(LRU_CLOCK_RESOLUTION)
    let abs = BigInt(lruClock) - idle
    if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX)
    o.lru = Number(BigInt.asUintN(24, abs))
  }
}

export const restore: CommandImpl = {
  name: 'restore',
  run: (c, argv): Reply => {
    const server = c.server
    const db = c.db
    let replace = false
    let absttl = false
    let lfuFreq = -1n
    let lruIdle = -1n
    let lruClock = -1
    for (let j = 4; j < argv.length; j++) {
      const additional = argv.length - j - 1
      if (optEq(argv[j], 'replace')) {
        replace = true
      } else if (optEq(argv[j], 'absttl')) {
        absttl = true
      } else if (optEq(argv[j], 'idletime') && additional >= 1 && lfuFreq === -1n) {
        const v = parseLongLong(argv[j + 1])
        if (isReply(v)) return v
        if (v < 0n) return invalidIdletime
        lruIdle = v
        lruClock = server.lruClock()
        j++
      } else if (optEq(argv[j], 'freq') && additional >= 1 && lruIdle === -1n) {
        const v = parseLongLong(argv[j + 1])
        if (isReply(v)) return v
        if (v < 0n || v > 255n) return invalidFreq
        lfuFreq = v
        j++
      } else {
        return E.syntax
      }
    }

    const key = argv[1]
    if (!replace && db.lookupWrite(key) !== undefined) return busyKey

    const ttlArg = parseLongLong(argv[2])
    if (isReply(ttlArg)) return ttlArg
    if (ttlArg < 0n) return invalidTtl
    let ttl = ttlArg

    const payload = byteStringToBytes(argv[3])
    if (!verifyDumpPayload(payload)) return badPayload
    const obj = loadDumpPayload(payload, { server, deep: deepSanitization(server, true) })
    if (obj === null) return badFormat

    const deleted = replace ? db.delete(key) : false

    const now = BigInt(server.clock.nowMs())
    // A relative TTL becomes absolute (64-bit arithmetic, as in C).
    if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + now)
    if (ttl !== 0n && ttl <= now && !server.isLoading()) {
      // checkAlreadyExpired: the key is not created; a replaced one is deleted.
      if (deleted) {
        c.argv = ['DEL', key]
        server.signalModifiedKey(db, key)
        server.notify('g', 'del', key, db.id)
        server.dirty++
      }
      return OK
    }

    db.add(key, obj)
    if (ttl !== 0n) {
      db.setExpire(key, ttl)
      if (!absttl) {
        // Propagated with the absolute time.
        const prop = [...argv]
        prop[2] = ttl.toString()
        prop.push('ABSTTL')
        c.argv = prop
      }
    }
    setLruOrLfu(c, obj, lfuFreq, lruIdle, lruClock)
    server.signalModifiedKey(db, key)
    server.notify('g', 'restore', key, db.id)
    server.dirty++
    return OK
  },
}
