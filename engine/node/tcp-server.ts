// The RESP server over TCP (and Unix sockets): one engine Client per
// connection, Redis's networking.c on Node sockets.
//
// - Requests are decoded incrementally; every complete request in a read runs
//   before the next read. Replies collect in the connection's output buffer and
//   are written once the event loop has handled every connection that was
//   ready (setImmediate, like Redis's handleClientsWithPendingWrites in
//   beforeSleep): one write per connection per loop iteration, however deep
//   the pipeline, and the clients are not woken one read at a time.
// - Backpressure: when more than `outputHighWaterMark` reply bytes wait to be
//   sent, the connection stops running requests and stops reading until the
//   socket drains; the requests already buffered wait in the decoder. A client
//   that pipelines 100,000 commands without reading cannot make the server
//   buffer unbounded output, and the other clients keep being served.
// - Protocol errors are answered with -ERR and the connection is closed once
//   the reply is written (setProtocolError + CLIENT_CLOSE_AFTER_REPLY).
// - Limits as in Redis: maxclients (acceptCommonHandler), protected mode
//   (clientAcceptHandler), client-query-buffer-limit (readQueryFromClient),
//   client-output-buffer-limit for normal clients, the small output allowance
//   of unauthenticated clients, idle `timeout`, tcp-keepalive.

import net from 'node:net'
import { chmodSync, unlinkSync } from 'node:fs'
import { ProtocolError, RequestDecoder } from '../protocol/decoder.ts'
import { ReplyWriter } from '../protocol/encoder.ts'
import { error, type Reply } from '../protocol/reply.ts'
import type { Server } from '../server/server.ts'
import type { Client } from '../server/client.ts'
import type { Logger } from './log.ts'

export interface ListenOptions {
  port: number
  /**
   * Addresses as Redis's `bind` takes them: '*' is every IPv4 address, '::*'
   * every IPv6 address, and a leading '-' makes an address optional (skipped
   * when it cannot be bound, e.g. no IPv6).
   */
  host: string | readonly string[]
  /** listen() backlog (tcp-backlog). */
  backlog?: number
}

export interface TcpServerOptions {
  /** Stop running a client's requests while this many reply bytes wait to be sent. */
  outputHighWaterMark?: number
  logger?: Logger
}

/** Redis's PROTO_REPLY_CHUNK_BYTES: what an unauthenticated client may have pending (CVE-2025-21605 fix). */
export const UNAUTHENTICATED_OUTPUT_LIMIT = 16 * 1024
export const DEFAULT_OUTPUT_HIGH_WATER_MARK = 1024 * 1024

const MAX_CLIENTS_ERROR = '-ERR max number of clients reached\r\n'

// clientAcceptHandler's text, sent to non-loopback peers while protected mode is on and the default user has no password.
const PROTECTED_MODE_ERROR =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis ' +
  'you may adopt one of the following solutions: 1) Just disable protected mode sending the command ' +
  "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, " +
  'however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. ' +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', " +
  "and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server ' +
  'to start accepting connections from the outside.\r\n'

/** One class of client-output-buffer-limit: hard bytes, soft bytes, soft seconds (0 = none). */
interface BufferLimit {
  hard: number
  soft: number
  softSeconds: number
}

const NO_LIMIT: BufferLimit = { hard: 0, soft: 0, softSeconds: 0 }

/** The normal and pubsub entries of client-output-buffer-limit's canonical text (replicas do not exist here). */
function parseBufferLimits(text: string): { normal: BufferLimit; pubsub: BufferLimit } {
  const out = { normal: NO_LIMIT, pubsub: NO_LIMIT }
  const parts = text.split(' ')
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const limit = { hard: Number(parts[i + 1]), soft: Number(parts[i + 2]), softSeconds: Number(parts[i + 3]) }
    if (parts[i] === 'normal') out.normal = limit
    else if (parts[i] === 'pubsub') out.pubsub = limit
  }
  return out
}

/** islocalClient: exactly 127.0.0.1 or ::1 (also 127.0.0.1 mapped into IPv6). */
function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

/** Redis's address text: IPv4 (also when mapped into IPv6) plain, IPv6 in brackets. */
function formatAddr(address: string | undefined, port: number | undefined): string {
  let ip = address ?? '?'
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7)
  return ip.includes(':') ? `[${ip}]:${port ?? 0}` : `${ip}:${port ?? 0}`
}

export class TcpServer {
  private readonly listeners: net.Server[] = []
  private readonly connections = new Set<Connection>()
  private readonly unixPaths: string[] = []
  private cronTimer: NodeJS.Timeout | undefined
  private lastClientsCronMs = 0
  /** Connections with replies to write at the end of this loop iteration. */
  private pendingWrites = new Set<Connection>()
  private writesScheduled = false
  private closed = false
  /** @internal Parsed client-output-buffer-limit for the classes that exist here. */
  bufferLimits: { normal: BufferLimit; pubsub: BufferLimit }
  readonly outputHighWaterMark: number
  readonly logger: Logger | undefined

  constructor(
    readonly server: Server,
    opts: TcpServerOptions = {},
  ) {
    this.outputHighWaterMark = opts.outputHighWaterMark ?? DEFAULT_OUTPUT_HIGH_WATER_MARK
    this.logger = opts.logger
    this.bufferLimits = parseBufferLimits(server.config.str('client-output-buffer-limit'))
    server.config.onChange('client-output-buffer-limit', (v) => {
      this.bufferLimits = parseBufferLimits(v)
    })
  }

  /** Open connections right now. */
  get connectionCount(): number {
    return this.connections.size
  }

  /**
   * Listens on every address of `opts.host` (listenToPort). Resolves with the
   * bound port (useful with port 0). Rejects when a mandatory address cannot be
   * bound, or when no address could be bound at all.
   */
  async listen(opts: ListenOptions): Promise<number> {
    const hosts = typeof opts.host === 'string' ? [opts.host] : [...opts.host]
    if (hosts.length === 0) hosts.push('*', '-::*')
    let port = opts.port
    let bound = 0
    for (const raw of hosts) {
      const optional = raw.startsWith('-')
      const addr = optional ? raw.slice(1) : raw
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr
      try {
        port = await this.listenOne({ port, host, backlog: opts.backlog ?? 511, ipv6Only: host.includes(':') })
        bound++
      } catch (e) {
        const err = e as NodeJS.ErrnoException
        if (optional && ['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT', 'EINVAL'].includes(err.code ?? '')) {
          this.logger?.notice(`Skipping optional bind address ${addr}: ${err.message}`)
          continue
        }
        this.logger?.warning(`Warning: Could not create server TCP listening socket ${addr}:${opts.port}: ${err.message}`)
        throw err
      }
    }
    if (bound === 0) throw new Error(`Failed listening on port ${opts.port} (TCP), no address could be bound`)
    this.startCron()
    return port
  }

  /** Listens on a Unix socket (unixsocket / unixsocketperm); a stale socket file is removed first, like Redis. */
  async listenUnix(path: string, perm = 0): Promise<void> {
    try {
      unlinkSync(path)
    } catch {
      // not there
    }
    await this.listenOne({ path, backlog: 511 }, path)
    if (perm) chmodSync(path, perm)
    this.unixPaths.push(path)
    this.startCron()
  }

  private listenOne(opts: net.ListenOptions, unixPath?: string): Promise<number> {
    // allowHalfOpen: a client that shuts down its side after its last request still gets the replies.
    const srv = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.accept(socket, unixPath))
    srv.maxConnections = Infinity
    return new Promise((resolve, reject) => {
      srv.once('error', reject)
      srv.listen(opts, () => {
        srv.off('error', reject)
        srv.on('error', (e) => this.logger?.warning(`Accepting client connection: ${e.message}`))
        this.listeners.push(srv)
        const addr = srv.address()
        resolve(typeof addr === 'object' && addr ? addr.port : 0)
      })
    })
  }

  /** serverCron at `hz`, plus the host's part of clientsCron (idle timeout). */
  private startCron(): void {
    if (this.cronTimer !== undefined || this.closed) return
    const tick = (): void => {
      this.cronTimer = undefined
      if (this.closed) return
      try {
        this.server.cron()
      } catch (e) {
        this.logger?.warning(`serverCron failed: ${(e as Error).stack ?? String(e)}`)
      }
      const now = this.server.clock.nowMs()
      if (now - this.lastClientsCronMs >= 1000) {
        this.lastClientsCronMs = now
        this.clientsCron(now)
      }
      this.cronTimer = setTimeout(tick, this.server.cronIntervalMs())
      this.cronTimer.unref()
    }
    this.cronTimer = setTimeout(tick, this.server.cronIntervalMs())
    this.cronTimer.unref()
  }

  /** clientsCronHandleTimeout: close clients idle for more than `timeout` seconds (subscribers are exempt). */
  private clientsCron(nowMs: number): void {
    const timeout = this.server.config.num('timeout')
    if (timeout <= 0) return
    for (const conn of this.connections) {
      if (!conn.client.pubsub.flag && nowMs - conn.client.lastInteractionMs > timeout * 1000) {
        this.logger?.verbose('Closing idle client')
        conn.destroy()
      }
    }
  }

  /** Stops listening and drops every connection (their pending output is discarded). */
  close(): Promise<void> {
    this.closed = true
    if (this.cronTimer) clearTimeout(this.cronTimer)
    this.cronTimer = undefined
    for (const conn of [...this.connections]) conn.destroy()
    const done = Promise.all(this.listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))))
    this.listeners.length = 0
    for (const p of this.unixPaths) {
      try {
        unlinkSync(p)
      } catch {
        // already gone
      }
    }
    return done.then(() => undefined)
  }

  private accept(socket: net.Socket, unixPath: string | undefined): void {
    const server = this.server
    if (this.closed || server.shuttingDown) {
      socket.destroy()
      return
    }
    const unix = unixPath !== undefined
    const local = unix || isLoopback(socket.remoteAddress)

    // acceptCommonHandler: reply and close, without creating a client.
    if (server.clients.size >= server.config.num('maxclients')) {
      server.stats.rejectedConnections++
      this.refuse(socket, MAX_CLIENTS_ERROR)
      return
    }
    // clientAcceptHandler: protected mode refuses remote peers while the default user has no password.
    if (!local && server.config.bool('protected-mode') && server.config.str('requirepass') === '') {
      server.stats.rejectedConnections++
      this.refuse(socket, PROTECTED_MODE_ERROR)
      return
    }

    socket.setNoDelay(true)
    const keepalive = server.config.num('tcp-keepalive')
    if (keepalive > 0 && !unix) socket.setKeepAlive(true, keepalive * 1000)
    const client = server.connect({
      addr: unix ? `${unixPath}:0` : formatAddr(socket.remoteAddress, socket.remotePort),
      laddr: unix ? `${unixPath}:0` : formatAddr(socket.localAddress, socket.localPort),
      local,
    })
    const conn = new Connection(this, socket, client)
    this.connections.add(conn)
  }

  /** Writes a one-line error and closes, ignoring write errors (connWrite before freeClientAsync). */
  private refuse(socket: net.Socket, text: string): void {
    socket.on('error', () => {})
    socket.end(text, () => socket.destroy())
  }

  /** @internal */
  forget(conn: Connection): void {
    this.connections.delete(conn)
    this.pendingWrites.delete(conn)
  }

  /** @internal Queue a connection's output for the end of this loop iteration. */
  scheduleWrite(conn: Connection): void {
    this.pendingWrites.add(conn)
    if (this.writesScheduled) return
    this.writesScheduled = true
    setImmediate(this.writePending)
  }

  // handleClientsWithPendingWrites: one write per connection that has output.
  private readonly writePending = (): void => {
    this.writesScheduled = false
    // beforeSleep: timeouts of blocked clients, commands a pause postponed; their output joins this write.
    try {
      this.server.beforeSleep()
    } catch (e) {
      this.logger?.warning(`beforeSleep failed: ${(e as Error).stack ?? String(e)}`)
    }
    const conns = this.pendingWrites
    this.pendingWrites = new Set()
    for (const conn of conns) conn.writePending()
  }
}

/** One client connection: its socket, decoder and output buffer. */
class Connection {
  private readonly decoder: RequestDecoder
  // Grows with the largest batch of replies; most batches are small, and there may be thousands of connections.
  private readonly out = new ReplyWriter(4096)
  /** Inside run(): replies and pushes collect in `out` and are written at the end. */
  private running = false
  /** Reading and running are stopped until the socket drains (backpressure). */
  private paused = false
  /** No more reading or running: the connection closes once its output is written. */
  private closing = false
  /** The peer sent FIN: close once the requests already received are answered. */
  private peerEnded = false
  private dead = false
  /** When the soft output limit was first exceeded (0 = not exceeded). */
  private softLimitSinceMs = 0

  constructor(
    private readonly tcp: TcpServer,
    private readonly socket: net.Socket,
    readonly client: Client,
  ) {
    const server = tcp.server
    this.decoder = new RequestDecoder({
      maxBulkLen: () => server.config.num('proto-max-bulk-len'),
      isAuthenticated: () => client.authenticated,
    })
    client.onPush = (r: Reply) => this.push(r)
    client.onClose = () => this.onClientClosed()
    client.onUnblocked = (r: Reply | undefined) => this.onUnblocked(r)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('drain', () => this.onDrain())
    socket.on('end', () => {
      this.peerEnded = true
      if (!this.dead) this.tcp.scheduleWrite(this)
    })
    socket.on('error', () => {
      // 'close' follows; a reset by the peer is not worth a log line (Redis logs it at verbose).
    })
    socket.on('close', () => this.onSocketClosed())
  }

  private onData(chunk: Buffer): void {
    if (this.closing || this.dead) return
    const server = this.tcp.server
    server.stats.netInputBytes += chunk.length
    server.stats.totalReadsProcessed++
    this.client.lastInteractionMs = server.clock.nowMs()
    this.decoder.feed(chunk)
    // readQueryFromClient: a query buffer over the limit closes the client, without a reply.
    if (this.decoder.bufferedBytes > server.config.num('client-query-buffer-limit')) {
      this.tcp.logger?.warning('Closing client that reached max query buffer length (qbuf initial bytes omitted)')
      this.destroy()
      return
    }
    if (!this.paused) this.run()
  }

  /** processInputBuffer: run every complete request, then write the replies in one go. */
  private run(): void {
    const client = this.client
    const decoder = this.decoder
    const out = this.out
    const hwm = this.tcp.outputHighWaterMark
    this.running = true
    try {
      // A blocked client's further requests wait in the decoder until it is unblocked.
      while (!client.closed && !client.closeAfterReply && !client.blocked) {
        if (out.length >= hwm) {
          this.flush()
          if (this.dead) return
          if (this.socket.writableLength >= hwm) {
            this.pause()
            break
          }
        }
        const req = decoder.next()
        if (req === null) break
        if (req instanceof ProtocolError) {
          out.write(this.tcp.server.countError(req.toReply()), client.resp)
          client.closeAfterReply = true
          break
        }
        let r: Reply | undefined
        try {
          r = client.call(req)
        } catch (e) {
          // An engine bug must not take every other client down with it: log it loudly, answer, keep serving.
          this.tcp.logger?.warning(`Internal error running '${req[0]}': ${(e as Error).stack ?? String(e)}`)
          r = error(`ERR Glassbox internal error running '${req[0].slice(0, 128)}': ${String((e as Error).message ?? e).slice(0, 200)}`)
          this.tcp.server.countError(r)
        }
        if (r !== undefined) out.write(r, client.resp)
        for (const p of client.takeAfterReply()) out.write(p, client.resp)
        if (!client.authenticated && out.length + this.socket.writableLength > UNAUTHENTICATED_OUTPUT_LIMIT) {
          // checkClientOutputBufferLimits for a client that never authenticated: closed, nothing sent.
          this.tcp.logger?.warning('Client scheduled to be closed ASAP for overcoming of output buffer limits (unauthenticated).')
          this.destroy()
          return
        }
      }
    } finally {
      this.running = false
    }
    if (!this.dead) this.tcp.scheduleWrite(this)
  }

  /** @internal End of the loop iteration: write the output, then close or pause as needed. */
  writePending(): void {
    if (this.dead) return
    const hadOutput = this.out.length > 0 || this.socket.writableLength > 0
    this.flush()
    // CLIENT_CLOSE_AFTER_REPLY closes once a reply has gone out; with no reply at all (QUIT under
    // CLIENT REPLY OFF) Redis never writes, so it never closes: the connection stays open, unread.
    if (this.client.closed || (this.client.closeAfterReply && hadOutput)) this.closeAfterWrite()
    else if (!this.paused && this.socket.writableLength >= this.tcp.outputHighWaterMark) this.pause()
    else if (this.peerEnded && !this.paused) this.closeAfterWrite()
  }

  /** Writes what `out` holds in one socket write, then applies the output buffer limits. */
  private flush(): void {
    if (this.dead || this.out.length === 0) return
    const bytes = this.out.take()
    const server = this.tcp.server
    server.stats.netOutputBytes += bytes.length
    server.stats.totalWritesProcessed++
    this.socket.write(bytes)
    this.checkOutputLimits()
  }

  /** checkClientOutputBufferLimits: the client's class (pubsub once subscribed, else normal), hard limit, soft limit held for N seconds. */
  private checkOutputLimits(): void {
    const limits = this.tcp.bufferLimits
    const limit = this.client.pubsub.flag ? limits.pubsub : limits.normal
    if (limit.hard === 0 && limit.soft === 0) return
    const used = this.socket.writableLength
    let over = limit.hard > 0 && used >= limit.hard
    if (!over && limit.soft > 0 && used >= limit.soft) {
      const now = this.tcp.server.clock.nowMs()
      if (this.softLimitSinceMs === 0) this.softLimitSinceMs = now
      else if (now - this.softLimitSinceMs > limit.softSeconds * 1000) over = true
    } else if (used < limit.soft) {
      this.softLimitSinceMs = 0
    }
    if (over) {
      this.tcp.logger?.warning(`Client addr=${this.client.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`)
      this.destroy()
    }
  }

  /** A reply that is not the answer to a request in progress (pub/sub, unblocked clients). */
  private push(r: Reply): void {
    if (this.dead || this.closing) return
    this.out.write(r, this.client.resp)
    // Batched with everything else this connection has to send in this loop iteration.
    if (!this.running) this.tcp.scheduleWrite(this)
  }

  /** The blocked command got its answer: write it, then go on with the requests that waited (processUnblockedClients). */
  private onUnblocked(r: Reply | undefined): void {
    if (this.dead || this.closing) return
    if (r !== undefined) this.out.write(r, this.client.resp)
    for (const p of this.client.takeAfterReply()) this.out.write(p, this.client.resp)
    if (!this.running) this.tcp.scheduleWrite(this)
    // Not from inside another client's command: on the next turn of the loop.
    setImmediate(() => {
      if (!this.dead && !this.paused && !this.running && !this.client.blocked) this.run()
    })
  }

  private pause(): void {
    this.paused = true
    this.socket.pause()
  }

  private onDrain(): void {
    if (this.dead) return
    // The soft limit counts continuous time over it; an empty buffer resets it.
    this.softLimitSinceMs = 0
    if (!this.paused || this.closing) return
    this.paused = false
    this.run()
    if (!this.paused && !this.dead) this.socket.resume()
  }

  /** The server closed the client (CLIENT KILL, SHUTDOWN, QUIT...): write what is pending, then close. */
  private onClientClosed(): void {
    // run() schedules the write itself when it is the one running.
    if (!this.running && !this.dead) this.tcp.scheduleWrite(this)
  }

  /** CLIENT_CLOSE_AFTER_REPLY: stop reading, send the pending output, then close the socket. */
  private closeAfterWrite(): void {
    if (this.closing || this.dead) return
    this.closing = true
    this.socket.end(() => this.destroy())
  }

  /** freeClient: drop the socket now (pending output is discarded) and forget the client. */
  destroy(): void {
    if (this.dead) return
    this.dead = true
    this.socket.destroy()
    this.tcp.forget(this)
    if (!this.client.closed) this.client.close()
  }

  private onSocketClosed(): void {
    this.destroy()
  }
}
