// The CLIENT LIST / CLIENT INFO line of one client (catClientInfoString,
// networking.c, Redis 7.0.15). Fields that describe Redis's socket and
// allocator (fd, query and read buffers, output buffers, tot-mem) are modelled
// with the values an idle 7.0.15 client on a fresh connection shows.

import { trackingRedirection } from '../../server/tracking.ts'
import type { Client } from '../../server/client.ts'
import { isMonitor } from '../../server/monitor.ts'

/** Client types (getClientType): the engine has no replicas or masters. */
export type ClientType = 'normal' | 'pubsub' | 'slave' | 'master'

/** getClientTypeByName: undefined for an unknown name. */
export function clientTypeByName(name: string): ClientType | undefined {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal'
    case 'slave':
    case 'replica':
      return 'slave'
    case 'pubsub':
      return 'pubsub'
    case 'master':
      return 'master'
    default:
      return undefined
  }
}

/** A monitor is flagged as a replica in Redis but listed and killed as a normal (or pubsub) client. */
export function clientType(c: Client): ClientType {
  return c.pubsub.flag ? 'pubsub' : 'normal'
}

// The query buffer Redis allocates for a reading client: 16 KB rounded up to
// jemalloc's 20 KB class, less the sds header (what qbuf-free shows when empty).
const QBUF_ALLOC = 20474
// tot-mem of an idle client with an empty query buffer (client struct, 16 KB
// reply buffer, query buffer), as a fresh 7.0.15 connection reports it.
const IDLE_TOT_MEM = 37632
const READ_BUF_SIZE = 16384
const POINTER_SIZE = 8

function argvLength(argv: readonly string[]): number {
  let n = 0
  for (const a of argv) n += a.length
  return n
}

/** Bytes of the multibulk request that carried argv (what sits in the query buffer while it runs). */
function requestBytes(argv: readonly string[]): number {
  let n = 3 + String(argv.length).length
  for (const a of argv) n += 1 + String(a.length).length + 2 + a.length + 2
  return n
}

/** multi-mem: each queued command's argument bytes plus its argv pointers (mstate.argv_len_sums). */
export function multiMemory(c: Client): number {
  let n = 0
  for (const q of c.multi.queue) n += argvLength(q.argv) + POINTER_SIZE * q.argv.length
  return n
}

function flagsOf(c: Client): string {
  let f = ''
  if (isMonitor(c)) f += 'O'
  if (c.pubsub.flag) f += 'P'
  if (c.multi.inMulti) f += 'x'
  if (c.blocked) f += 'b'
  f += c.trackingFlags
  if (c.multi.dirtyCas) f += 'd'
  if (c.closeAfterReply) f += 'c'
  if (c.noEvict) f += 'e'
  return f === '' ? 'N' : f
}

/**
 * One client's line, without the trailing newline. `current` is the client
 * whose command is running: only its request is still in the query buffer
 * and its argv allocated (Redis frees both once a command is done).
 */
export function clientInfoString(c: Client, current: Client | undefined): string {
  const nowSec = Math.floor(c.server.clock.nowMs() / 1000)
  const age = nowSec - Math.floor(c.createdMs / 1000)
  const idle = nowSec - Math.floor(c.lastInteractionMs / 1000)
  const running = c === current
  const qbuf = running ? requestBytes(c.queryArgv) : 0
  const argvMem = running ? argvLength(c.queryArgv) : 0
  const multiMem = multiMemory(c)
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=8 name=${c.name} age=${age} idle=${idle} flags=${flagsOf(c)} ` +
    `db=${c.db.id} sub=${c.pubsub.channels.size} psub=${c.pubsub.patterns.size} ssub=${c.pubsub.shardChannels.size} ` +
    `multi=${c.multi.inMulti ? c.multi.queue.length : -1} qbuf=${qbuf} qbuf-free=${QBUF_ALLOC - qbuf} ` +
    `argv-mem=${argvMem} multi-mem=${multiMem} rbs=${READ_BUF_SIZE} rbp=0 obl=0 oll=0 omem=0 ` +
    `tot-mem=${IDLE_TOT_MEM + qbuf + multiMem} events=r cmd=${c.lastCmd ? c.lastCmd.fullName : 'NULL'} ` +
    `user=default redir=${trackingRedirection(c)} resp=${c.resp}`
  )
}
