// Pub/Sub (Redis 7.0.15 pubsub.c and notify.c): the server-wide registry of
// channels, patterns and shard channels, each client's own subscriptions, the
// (un)subscribe confirmations, message delivery, and keyspace notifications.
//
// Ordering follows 7.0: a channel's subscribers are a list (delivery in
// subscription order), a client's patterns are a list (PUNSUBSCRIBE with no
// argument walks them oldest first). Sets/Maps keep insertion order, which is
// exactly that list order. Where Redis iterates a hashtable (a client's
// channels on UNSUBSCRIBE with no argument, the server's patterns on PUBLISH,
// PUBSUB CHANNELS) the order is random in Redis; insertion order here.

import { array, bulk, error, integer, NULL, push, type Reply } from '../protocol/reply.ts'
import { globMatch } from '../structures/glob.ts'
import { keyspaceEventsStringToFlags } from '../server/config-table.ts'
import { infoState } from '../server/info.ts'
import type { Client } from '../server/client.ts'
import type { Server } from '../server/server.ts'

/** One client's subscriptions (client->pubsub_channels, pubsub_patterns, pubsubshard_channels). */
export class ClientPubSub {
  readonly channels = new Set<string>()
  readonly patterns = new Set<string>()
  readonly shardChannels = new Set<string>()
  /** CLIENT_PUBSUB: set by any subscribe command, cleared once no subscription of any kind is left. */
  flag = false

  /** clientSubscriptionsCount: channels + patterns (what SUBSCRIBE and PSUBSCRIBE confirmations count). */
  count(): number {
    return this.channels.size + this.patterns.size
  }

  /** clientTotalPubSubSubscriptionCount: shard channels included. */
  total(): number {
    return this.count() + this.shardChannels.size
  }
}

/** The two flavours of channel subscription (pubsubtype in pubsub.c). */
interface ChannelKind {
  readonly shard: boolean
  readonly subscribe: string
  readonly unsubscribe: string
  readonly message: string
}

const GLOBAL: ChannelKind = { shard: false, subscribe: 'subscribe', unsubscribe: 'unsubscribe', message: 'message' }
const SHARD: ChannelKind = { shard: true, subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe', message: 'smessage' }

const BIT_K = keyspaceEventsStringToFlags('K')
const BIT_E = keyspaceEventsStringToFlags('E')

/** The server's registry (server.pubsub_channels, pubsub_patterns, pubsubshard_channels). */
export class PubSub {
  readonly channels = new Map<string, Set<Client>>()
  readonly patterns = new Map<string, Set<Client>>()
  readonly shardChannels = new Map<string, Set<Client>>()
  // notify-keyspace-events parsed once per distinct value, and each class letter once.
  private flagsText = ''
  private flags = 0
  private readonly classBits = new Map<string, number>()

  constructor(private readonly server: Server) {
    server.hooks.keyspaceEvent = (classFlag, event, key, dbid) => this.notifyKeyspaceEvent(classFlag, event, key, dbid)
    // INFO stats: pubsub_channels, pubsub_patterns, pubsubshard_channels.
    const info = infoState(server)
    info.pubsubChannels = () => this.channels.size
    info.pubsubPatterns = () => this.patterns.size
    info.pubsubShardChannels = () => this.shardChannels.size
  }

  // ---- subscriptions -------------------------------------------------------

  subscribe(c: Client, channel: string, shard = false): void {
    const kind = shard ? SHARD : GLOBAL
    const own = shard ? c.pubsub.shardChannels : c.pubsub.channels
    if (!own.has(channel)) {
      own.add(channel)
      addMember(shard ? this.shardChannels : this.channels, channel, c)
    }
    c.push(push([bulk(kind.subscribe), bulk(channel), integer(subscriptionCount(c, kind))]))
  }

  /** pubsubUnsubscribeChannel: a confirmation is sent even when the client was not subscribed. */
  unsubscribe(c: Client, channel: string, shard = false, notify = true): boolean {
    const kind = shard ? SHARD : GLOBAL
    const own = shard ? c.pubsub.shardChannels : c.pubsub.channels
    const removed = own.delete(channel)
    if (removed) removeMember(shard ? this.shardChannels : this.channels, channel, c)
    if (notify) c.push(push([bulk(kind.unsubscribe), bulk(channel), integer(subscriptionCount(c, kind))]))
    return removed
  }

  /** pubsubUnsubscribeAllChannelsInternal: with nothing to drop, one confirmation with a null channel. */
  unsubscribeAll(c: Client, shard = false, notify = true): number {
    const kind = shard ? SHARD : GLOBAL
    const own = shard ? c.pubsub.shardChannels : c.pubsub.channels
    let count = 0
    for (const channel of [...own]) if (this.unsubscribe(c, channel, shard, notify)) count++
    if (notify && count === 0) c.push(push([bulk(kind.unsubscribe), NULL, integer(subscriptionCount(c, kind))]))
    return count
  }

  psubscribe(c: Client, pattern: string): void {
    if (!c.pubsub.patterns.has(pattern)) {
      c.pubsub.patterns.add(pattern)
      addMember(this.patterns, pattern, c)
    }
    c.push(push([bulk('psubscribe'), bulk(pattern), integer(c.pubsub.count())]))
  }

  punsubscribe(c: Client, pattern: string, notify = true): boolean {
    const removed = c.pubsub.patterns.delete(pattern)
    if (removed) removeMember(this.patterns, pattern, c)
    if (notify) c.push(push([bulk('punsubscribe'), bulk(pattern), integer(c.pubsub.count())]))
    return removed
  }

  punsubscribeAll(c: Client, notify = true): number {
    let count = 0
    for (const pattern of [...c.pubsub.patterns]) if (this.punsubscribe(c, pattern, notify)) count++
    if (notify && count === 0) c.push(push([bulk('punsubscribe'), NULL, integer(c.pubsub.count())]))
    return count
  }

  /** The tail of every (un)subscribe command: CLIENT_PUBSUB set or cleared. */
  updateFlag(c: Client, subscribed: boolean): void {
    if (subscribed) c.pubsub.flag = true
    else if (c.pubsub.total() === 0) c.pubsub.flag = false
  }

  /** freeClient: drop every subscription silently, so the registry keeps nothing of a gone client. */
  clientClosed(c: Client): void {
    this.unsubscribeAll(c, false, false)
    this.unsubscribeAll(c, true, false)
    this.punsubscribeAll(c, false)
    c.pubsub.flag = false
  }

  // ---- publishing ------------------------------------------------------------

  /** pubsubPublishMessage: channel subscribers first, then (not for shard channels) matching patterns. */
  publish(channel: string, message: string, shard = false): number {
    let receivers = 0
    const kind = shard ? SHARD : GLOBAL
    const subscribers = (shard ? this.shardChannels : this.channels).get(channel)
    if (subscribers) {
      // A copy: delivery may run client code that (un)subscribes.
      for (const c of [...subscribers]) {
        c.push(push([bulk(kind.message), bulk(channel), bulk(message)]))
        receivers++
      }
    }
    if (shard) return receivers
    for (const [pattern, clients] of [...this.patterns]) {
      if (!globMatch(pattern, channel)) continue
      for (const c of [...clients]) {
        c.push(push([bulk('pmessage'), bulk(pattern), bulk(channel), bulk(message)]))
        receivers++
      }
    }
    return receivers
  }

  // ---- keyspace notifications (notify.c) ---------------------------------------

  /** notifyKeyspaceEvent: publish to __keyspace@<db>__:<key> and/or __keyevent@<db>__:<event>. */
  notifyKeyspaceEvent(classFlag: string, event: string, key: string, dbid: number): void {
    const flags = this.currentFlags()
    if (!(flags & this.classBit(classFlag))) return
    if (flags & BIT_K) this.publish(`__keyspace@${dbid}__:${key}`, event)
    if (flags & BIT_E) this.publish(`__keyevent@${dbid}__:${event}`, key)
  }

  private currentFlags(): number {
    const text = this.server.config.str('notify-keyspace-events')
    if (text !== this.flagsText) {
      this.flagsText = text
      this.flags = Math.max(0, keyspaceEventsStringToFlags(text))
    }
    return this.flags
  }

  private classBit(classFlag: string): number {
    let bit = this.classBits.get(classFlag)
    if (bit === undefined) {
      bit = Math.max(0, keyspaceEventsStringToFlags(classFlag))
      this.classBits.set(classFlag, bit)
    }
    return bit
  }

  // ---- introspection (PUBSUB) ------------------------------------------------------

  /** channelList: active channels, optionally filtered by a glob pattern. */
  channelList(pattern: string | undefined, shard = false): string[] {
    const out: string[] = []
    for (const channel of (shard ? this.shardChannels : this.channels).keys()) {
      if (pattern === undefined || globMatch(pattern, channel)) out.push(channel)
    }
    return out
  }

  numSub(channel: string, shard = false): number {
    return (shard ? this.shardChannels : this.channels).get(channel)?.size ?? 0
  }

  /** PUBSUB NUMPAT: distinct patterns with at least one subscriber. */
  numPat(): number {
    return this.patterns.size
  }
}

function subscriptionCount(c: Client, kind: ChannelKind): number {
  return kind.shard ? c.pubsub.shardChannels.size : c.pubsub.count()
}

function addMember(registry: Map<string, Set<Client>>, name: string, c: Client): void {
  let clients = registry.get(name)
  if (!clients) {
    clients = new Set()
    registry.set(name, clients)
  }
  clients.add(c)
}

// The entry goes away with its last subscriber, so abandoned channels cost nothing.
function removeMember(registry: Map<string, Set<Client>>, name: string, c: Client): void {
  const clients = registry.get(name)
  if (!clients) return
  clients.delete(c)
  if (clients.size === 0) registry.delete(name)
}

// Commands a RESP2 client may run while subscribed (processCommand compares command procs).
const SUBSCRIBED_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset'])

/**
 * processCommand's pub/sub context rule: a RESP2 client with subscriptions can
 * only (un)subscribe, PING, QUIT or RESET (RESP3 can mix freely, pushes are
 * typed). Returns the rejection, or undefined when the command may run.
 */
export function subscribedContextError(c: Client, fullName: string): Reply | undefined {
  if (!c.pubsub.flag || c.resp !== 2 || SUBSCRIBED_ALLOWED.has(fullName)) return undefined
  return error(
    `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  )
}

/**
 * pingCommand in a RESP2 subscribed context answers ["pong", message] (message
 * defaulting to ""), so a client reading only multi-bulk frames can parse it.
 */
export function subscribedPingReply(c: Client, argv: readonly string[], r: Reply | undefined): Reply | undefined {
  if (!c.pubsub.flag || c.resp !== 2 || r === undefined || r.kind === 'error') return r
  return array([bulk('pong'), bulk(argv.length > 1 ? argv[1] : '')])
}
