// The RESP server over TCP: one engine Client per connection. Requests are
// decoded incrementally; the replies to one read are written in one socket
// write, so deep pipelines cost one syscall per batch, as in Redis.

import net from 'node:net'
import { RequestDecoder } from '../protocol/decoder.ts'
import { ReplyWriter } from '../protocol/encoder.ts'
import { error, type Reply } from '../protocol/reply.ts'
import type { Server } from '../server/server.ts'
import type { Client } from '../server/client.ts'

export interface ListenOptions {
  port: number
  host: string
}

export class TcpServer {
  private readonly listener: net.Server
  private readonly sockets = new Set<net.Socket>()
  private cronTimer: NodeJS.Timeout | undefined

  constructor(readonly server: Server) {
    this.listener = net.createServer((socket) => this.accept(socket))
    this.listener.maxConnections = Infinity
  }

  listen(opts: ListenOptions): Promise<number> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject)
      this.listener.listen({ port: opts.port, host: opts.host, backlog: 511 }, () => {
        this.listener.off('error', reject)
        this.scheduleCron()
        const addr = this.listener.address()
        resolve(typeof addr === 'object' && addr ? addr.port : opts.port)
      })
    })
  }

  private scheduleCron(): void {
    this.cronTimer = setTimeout(() => {
      this.server.cron()
      this.scheduleCron()
    }, this.server.cronIntervalMs())
    this.cronTimer.unref()
  }

  close(): Promise<void> {
    if (this.cronTimer) clearTimeout(this.cronTimer)
    for (const s of this.sockets) s.destroy()
    return new Promise((resolve) => this.listener.close(() => resolve()))
  }

  private accept(socket: net.Socket): void {
    const server = this.server
    socket.setNoDelay(true)
    const addr = `${socket.remoteAddress}:${socket.remotePort}`
    const laddr = `${socket.localAddress}:${socket.localPort}`
    const local = socket.remoteAddress === '127.0.0.1' || socket.remoteAddress === '::1' || socket.remoteAddress === '::ffff:127.0.0.1'

    if (server.clients.size >= server.config.num('maxclients')) {
      // acceptCommonHandler: reply and close, without creating a client.
      server.stats.rejectedConnections++
      socket.end('-ERR max number of clients reached\r\n')
      return
    }

    this.sockets.add(socket)
    const client = server.connect({ addr, laddr, local })
    const decoder = new RequestDecoder({
      maxBulkLen: () => server.config.num('proto-max-bulk-len'),
      isAuthenticated: () => client.authenticated,
    })
    const out = new ReplyWriter()
    let flushScheduled = false

    const flush = (): void => {
      flushScheduled = false
      const bytes = out.take()
      if (bytes.length === 0) return
      server.stats.netOutputBytes += bytes.length
      if (!socket.write(bytes)) socket.pause()
    }
    socket.on('drain', () => socket.resume())

    // Later replies (pub/sub, unblocked clients) arrive outside a read: batch them per tick.
    client.onPush = (r: Reply) => {
      out.write(r, client.resp)
      if (!flushScheduled) {
        flushScheduled = true
        queueMicrotask(flush)
      }
    }
    client.onClose = () => {
      flush()
      socket.end()
    }

    socket.on('data', (chunk: Buffer) => {
      server.stats.netInputBytes += chunk.length
      server.stats.totalReadsProcessed++
      decoder.feed(chunk)
      this.drain(client, decoder, out, socket)
      flush()
      if (client.closeAfterReply) {
        socket.end()
        client.close()
      }
    })
    const gone = (): void => {
      this.sockets.delete(socket)
      client.close()
    }
    socket.on('close', gone)
    socket.on('error', gone)
  }

  /** Run every complete request in the buffer (processInputBuffer). */
  private drain(client: Client, decoder: RequestDecoder, out: ReplyWriter, socket: net.Socket): void {
    while (!client.closed && !client.closeAfterReply) {
      const req = decoder.next()
      if (req === null) return
      if (!Array.isArray(req)) {
        // A protocol error: reply, then close once the reply is written (setProtocolError).
        out.write(this.server.countError(error(`ERR ${req.message}`)), client.resp)
        client.closeAfterReply = true
        return
      }
      const r = client.call(req)
      if (r !== undefined) out.write(r, client.resp)
      if (this.server.shuttingDown) {
        socket.destroy()
        return
      }
    }
  }
}
