// A connected client (Redis's client struct): its own selected db, protocol,
// name and authentication. Commands are fed as argument vectors; the reply comes
// back from call(), and anything that arrives later (pub/sub, unblocked
// commands) or in addition goes to onPush, in order.

import type { Reply } from '../protocol/reply.ts'
import type { Db } from '../keyspace/db.ts'
import type { Server } from './server.ts'
import type { CommandDef } from './command-table.ts'
import { ClientPubSub } from '../pubsub/pubsub.ts'
import { ClientMulti } from './multi.ts'

export interface ClientOptions {
  /** Address shown by CLIENT LIST / MONITOR, e.g. '127.0.0.1:51234'. */
  addr?: string
  laddr?: string
  /** A loopback or in-process connection (for enable-debug-command local). */
  local?: boolean
}

const NO_PUSHES: Reply[] = []

export class Client {
  db: Db
  resp: 2 | 3 = 2
  name = ''
  authenticated: boolean
  readonly createdMs: number
  lastInteractionMs: number
  /** The command being executed, and the last one executed (CLIENT LIST cmd=). */
  cmd: CommandDef | undefined
  lastCmd: CommandDef | undefined
  argv: string[] = []
  /** Set when the connection must close after the pending replies are written. */
  closeAfterReply = false
  /** CLIENT REPLY: OFF (CLIENT_REPLY_OFF), SKIP for this command (CLIENT_REPLY_SKIP) and the next (_SKIP_NEXT). */
  replyOff = false
  replySkip = false
  replySkipNext = false
  /** CLIENT NO-EVICT ON (CLIENT_NO_EVICT). */
  noEvict = false
  /** The request being processed as the client sent it (EXEC swaps argv; CLIENT LIST's argv-mem and qbuf don't). */
  queryArgv: string[] = []
  closed = false
  readonly addr: string
  readonly laddr: string
  readonly local: boolean
  /** Receives replies that are not the direct answer to call(). */
  onPush: (r: Reply) => void = () => {}
  /** Called when the server closes this client (CLIENT KILL, QUIT, timeout). */
  onClose: () => void = () => {}
  /**
   * A blocking command (BLPOP, WAIT) or CLIENT PAUSE parked this client: it
   * has no reply yet, and the host must not feed it further commands until
   * onUnblocked fires (Redis stops reading a blocked client's query buffer).
   */
  blocked = false
  /** CLIENT LIST flags of client tracking ('t', then 'R' broken redirect, 'B' broadcast), kept by tracking.ts. */
  trackingFlags = ''
  /** How long the blocking command ran before it blocked (added to its duration when unblocked). */
  blockedDurationUs = 0
  /** Commands run for this client may not block (CLIENT_DENY_BLOCKING: scripts, ...). */
  denyBlocking = false
  /** The block ended: write `reply` (if any) as the blocked command's answer, then resume the client's input. */
  onUnblocked: (reply: Reply | undefined) => void = (r) => {
    if (r !== undefined) this.onPush(r)
  }
  /** Pushes that must follow the current command's reply (tracking invalidations of keys it wrote, ...). */
  private afterReply: Reply[] = []
  /** Pub/Sub subscriptions and the CLIENT_PUBSUB flag. */
  readonly pubsub = new ClientPubSub()
  /** MULTI/EXEC state: the queue, the dirty flags, the watched keys (multi.ts). */
  readonly multi = new ClientMulti()

  constructor(
    readonly server: Server,
    readonly id: number,
    opts: ClientOptions = {},
  ) {
    this.db = server.dbs[0]
    this.authenticated = !server.authRequired()
    this.createdMs = server.clock.nowMs()
    this.lastInteractionMs = this.createdMs
    this.addr = opts.addr ?? `127.0.0.1:${40000 + (id % 20000)}`
    this.laddr = opts.laddr ?? '127.0.0.1:6379'
    this.local = opts.local ?? true
  }

  /** Run one command and return its reply (undefined when there is none, e.g. CLIENT REPLY OFF). */
  call(argv: string[]): Reply | undefined {
    return this.server.processCommand(this, argv)
  }

  /** Deliver an extra or later reply. */
  push(r: Reply): void {
    this.onPush(r)
  }

  /** Queue a push to be delivered right after the reply of the command now running. */
  pushAfterReply(r: Reply): void {
    this.afterReply.push(r)
  }

  /**
   * Hosts call this after writing a command's reply: the pushes that must
   * follow it. (A host that never asks gets them before its next command's reply.)
   */
  takeAfterReply(): Reply[] {
    if (this.afterReply.length === 0) return NO_PUSHES
    const out = this.afterReply
    this.afterReply = []
    return out
  }

  selectDb(index: number): boolean {
    if (index < 0 || index >= this.server.dbs.length) return false
    this.db = this.server.dbs[index]
    return true
  }

  /** Disconnect: the server forgets all of this client's state. */
  close(): void {
    this.server.disconnect(this)
  }
}
