// The oracle: the same commands go to a real redis-server 7.0.15 and to the
// engine, and the replies must be the same bytes (design.md, Testing).
//
// Unit of comparison: everything a client receives up to and including the
// command's reply. On the engine side that is the pushes queued since the last
// comparison, the pushes emitted while the command ran, then the encoded reply.
// On the Redis side the same number of earlier frames is read first, then
// frames up to the first non-push reply (or exactly `frames` frames).
//
// Also here: normalisers for replies that are random by nature (each says
// why), and a runner for scripts written one command per line (parseScript).
import { afterAll, beforeAll } from 'vitest'
import { DEFAULT_TIMEOUT_MS, connectRaw, escapeBytes, fromBytes, parseReply, splitReplies } from './resp-conn.ts'
import type { RawConn, RespNode } from './resp-conn.ts'
import { startRedis } from './redis-server.ts'
import type { RedisProcess } from './redis-server.ts'

export type Resp = 2 | 3

/** Rewrites a raw reply (one or more frames as a byte string) before comparing; `why` is shown in failures. */
export interface Normaliser {
  (raw: string): string
  readonly why?: string
}

export interface OracleOptions {
  resp: Resp
  /** Extra redis-server arguments, e.g. ['--enable-debug-command', 'yes']. */
  redisArgs?: readonly string[]
  /** Config given to the engine's createServer. */
  engineConfig?: Record<string, string>
  /**
   * What is compared with Redis: the engine in process (default), the engine behind its TCP server
   * (decoder and socket path included; RESP2 pushes cannot be told from replies there), or a second
   * redis-server (to test the harness itself).
   */
  against?: 'engine' | 'engine-tcp' | 'redis'
}

export interface RunOptions {
  /** Read exactly this many frames for the command (e.g. 2 for SUBSCRIBE a b); default: up to the first non-push reply. */
  frames?: number
  normalise?: Normaliser
  /** Shown next to the command in the history of a failure message. */
  note?: string
  /** How long to wait for Redis's (and a TCP subject's) reply; default 10 s. */
  timeoutMs?: number
  /** What the side under test is sent instead of argv (per-side values such as client ids). */
  subjectArgv?: readonly string[]
}

export interface RunResult {
  /** What Redis sent, raw bytes as a latin1 string. */
  redis: string
  /** What the engine sent, encoded the same way. */
  engine: string
}

export interface OracleClient {
  readonly index: number
  /** Runs argv on both sides, returns both raw replies; compares nothing. */
  run(argv: readonly string[], opts?: RunOptions): Promise<RunResult>
  /** Runs argv on both sides and throws a readable diff when the (normalised) bytes differ. */
  expectSame(argv: readonly string[], opts?: Normaliser | RunOptions): Promise<RunResult>
  /**
   * Compares the frames this client received unasked (pub/sub messages, invalidations) and not yet
   * compared. The engine knows how many it sent; that many are read from Redis (plus any RESP3 pushes
   * Redis already delivered). A Redis push with no engine counterpart that has not arrived yet is only
   * seen by the next comparison on this client.
   */
  expectPushes(normalise?: Normaliser): Promise<RunResult>
}

export interface Oracle extends OracleClient {
  readonly resp: Resp
  readonly redis: RedisProcess
  /** Client i on both sides (0 is the oracle itself), created and, in RESP3, switched with HELLO 3 on first use. */
  client(i: number): Promise<OracleClient>
  /** Every step run so far, oldest first. */
  readonly history: readonly HistoryEntry[]
  /** Client i's id on each side (CLIENT ID, asked once): ids differ between the two servers. */
  clientIds(i: number): Promise<{ redis: string; engine: string }>
  /** Runs a script (see parseScript) and stops at the first mismatch. */
  runScript(script: string | readonly ScriptStep[]): Promise<void>
  close(): Promise<void>
}

export interface HistoryEntry {
  client: number
  argv: readonly string[] | null // null: a push comparison
  note?: string
}

// One client of the side under test.
interface Subject {
  /**
   * Frames received unasked since the last call, then the frames of this command; `blocked` when
   * the client is left blocked and another connection could see it blocked on Redis (known only for
   * the in-process engine; not while CLIENT PAUSE ALL postpones every client's commands).
   */
  run(argv: readonly string[], frames: number | undefined, timeoutMs?: number): Promise<{ pending: string[]; own: string[]; blocked?: boolean }>
  pending(): Promise<string[]>
  close(): Promise<void>
}

// ---------------------------------------------------------------- sides

const PUSH_WAIT_MS = 2000

// Reads one command's frames from a real Redis connection.
async function readOwn(conn: RawConn, frames: number | undefined, timeoutMs?: number): Promise<string[]> {
  if (frames !== undefined) {
    const out: string[] = []
    for (let i = 0; i < frames; i++) out.push(await conn.readFrame(timeoutMs))
    return out
  }
  const reply = await conn.read(timeoutMs)
  // Pushes that came in before the reply belong to this exchange too (RESP3 only; RESP2 has none).
  return [...conn.pushes.splice(0), reply]
}

// Reads n frames that should already be on their way; stops early (returning fewer) on timeout.
async function readPending(conn: RawConn, n: number): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    try {
      out.push(await conn.readFrame(PUSH_WAIT_MS))
    } catch {
      break
    }
  }
  return out
}

// The side under test: where its clients come from.
interface SubjectHost {
  readonly name: string
  connect(): Promise<Subject>
  shutdown(): Promise<void>
}

async function engineHost(config: Record<string, string> | undefined, resp: Resp, tcp: boolean): Promise<SubjectHost> {
  const [{ createServer }, { encodeReply }, { SystemClock }, { TcpServer }] = await Promise.all([
    import('../../engine/server/server.ts'),
    import('../../engine/protocol/encoder.ts'),
    import('../../engine/node/clock.ts'),
    import('../../engine/node/tcp-server.ts'),
  ])
  // Redis runs on real time, so the engine does too: TTLs and expiry see the same clock.
  // The same persistence settings redis-server gets from startRedis (--save '' --appendonly no), so
  // neither side forks a BGSAVE in the middle of a comparison.
  const server = createServer({ clock: new SystemClock(), config: { save: '', appendonly: 'no', ...(config ?? {}) } })

  if (tcp) {
    // The whole Node stack: request decoder, dispatch, encoder, socket writes. TcpServer drives the cron.
    const listener = new TcpServer(server)
    const port = await listener.listen({ port: 0, host: '127.0.0.1' })
    return {
      name: 'engine (tcp)',
      connect: async () => redisSubject(await connectRaw(port), resp),
      async shutdown() {
        await listener.close()
        server.shutdown()
      },
    }
  }

  // The host drives serverCron (active expiry, rehashing), as redis-server's event loop does.
  // A throw from it is kept and reported by the next command rather than lost in a timer.
  let cron: ReturnType<typeof setTimeout> | undefined
  let cronError: unknown
  const tick = (): void => {
    try {
      server.cron()
    } catch (e) {
      cronError = e
      return
    }
    cron = setTimeout(tick, server.cronIntervalMs())
    cron.unref?.()
  }
  tick()
  const checkCron = (): void => {
    if (cronError !== undefined) {
      throw new Error(`engine: server.cron() threw: ${cronError instanceof Error ? cronError.stack : String(cronError)}`)
    }
  }
  return {
    name: 'engine',
    async connect() {
      checkCron()
      const client = server.connect()
      const queue: string[] = []
      client.onPush = (r) => {
        queue.push(fromBytes(encodeReply(r, client.resp)))
      }
      return {
        async run(argv) {
          checkCron()
          const pending = queue.splice(0)
          const reply = client.call([...argv])
          // Pushes emitted while the command ran precede its reply, as in TcpServer's output buffer.
          const own = queue.splice(0)
          if (reply !== undefined) own.push(fromBytes(encodeReply(reply, client.resp)))
          // Pushes that follow the reply (tracking invalidations) arrive later on the Redis side too.
          for (const p of client.takeAfterReply()) queue.push(fromBytes(encodeReply(p, client.resp)))
          // The event loop's beforeSleep: postponed commands run, blocked clients time out.
          server.beforeSleep()
          // Under CLIENT PAUSE ALL the probe that checks Redis would be postponed too.
          const blocked = client.blocked && !(server.blocking.kindOf(client) === 'postpone' && server.blocking.pauseType === 'all')
          return { pending, own, blocked }
        },
        async pending() {
          checkCron()
          server.beforeSleep()
          return queue.splice(0)
        },
        async close() {
          client.close()
        },
      }
    },
    async shutdown() {
      clearTimeout(cron)
      server.shutdown()
    },
  }
}

// A subject reached over TCP: a second redis-server (to test the harness
// itself) or the engine's TcpServer. Its pushes arrive asynchronously, so
// pending() uses a PING as a barrier: in RESP3 every push sent before it lands
// in front of its +PONG. RESP2 cannot tell pushes from replies, so there
// pending() sees nothing.
function redisSubject(conn: RawConn, resp: Resp): Subject {
  return {
    async run(argv, frames, timeoutMs) {
      const pending = conn.pushes.splice(0)
      conn.send(argv)
      return { pending, own: await readOwn(conn, frames, timeoutMs) }
    },
    async pending() {
      if (resp === 3) await conn.call(['PING'])
      return conn.pushes.splice(0)
    },
    close: () => conn.close(),
  }
}

// ---------------------------------------------------------------- formatting

/** argv as redis-cli would echo it: plain words bare, others double-quoted with escapes. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : `"${escapeBytes(a).replace(/"/g, '\\"')}"`)).join(' ')
}

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return a.length === b.length ? -1 : n
}

// Shows a long reply as a window around the first difference.
function clip(s: string, at = 0, width = 1500): string {
  if (s.length <= width) return escapeBytes(s)
  const from = Math.max(0, at - width / 2)
  const to = Math.min(s.length, from + width)
  return `${from > 0 ? `...(${from} bytes) ` : ''}${escapeBytes(s.slice(from, to))}${to < s.length ? ` ...(${s.length - to} more bytes)` : ''}`
}

function formatHistory(history: readonly HistoryEntry[], upTo: number): string {
  const shown = 30
  const from = Math.max(0, upTo - shown)
  const lines = history.slice(from, upTo).map((h) => `    [c${h.client}] ${h.argv ? formatArgv(h.argv) : '(pushes)'}${h.note ? `   # ${h.note}` : ''}`)
  const head = upTo === 0 ? '  preceding commands: none (fresh servers)' : `  preceding commands (${upTo > shown ? `last ${shown} of ${upTo}` : upTo}):`
  return [head, ...lines].join('\n')
}

export class OracleMismatch extends Error {
  override name = 'OracleMismatch'
}

// ---------------------------------------------------------------- the oracle

export async function createOracle(opts: OracleOptions): Promise<Oracle> {
  const resp = opts.resp
  const redis = await startRedis(opts.redisArgs ?? [])
  let host: SubjectHost
  try {
    if (opts.against === 'redis') {
      const other = await startRedis(opts.redisArgs ?? [])
      host = {
        name: 'redis#2',
        connect: async () => redisSubject(await connectRaw(other.port), resp),
        shutdown: () => other.stop(),
      }
    } else {
      host = await engineHost(opts.engineConfig, resp, opts.against === 'engine-tcp')
    }
  } catch (e) {
    await redis.stop()
    throw e
  }
  const subjectName = host.name
  const history: HistoryEntry[] = []
  const clients = new Map<number, Promise<OracleClient>>()
  const ids = new Map<number, Promise<{ redis: string; engine: string }>>()
  const opened: { conn: RawConn; subject: Subject }[] = []

  /**
   * Waits until redis-server has run a command that left the engine's client blocked: Redis lists
   * the client as blocked (CLIENT LIST flag b), or has answered it (a divergence the next
   * comparison on that client shows). Needed because redis-server takes its connections in the
   * order its event loop reports them, not the order the bytes were sent: a command another
   * client sends right after a blocking one can run first there (a few percent of sends on a
   * loaded machine), e.g. client 0's SADD k before client 1's BRPOP k, which then answers
   * WRONGTYPE at once while the engine, running commands in call order, keeps the client
   * blocked. A short-lived probe connection asks, so no client's reply stream changes; it QUITs
   * and is waited out, so it is gone from CLIENT LIST before the next command.
   */
  const blockedOnRedis = async (conn: RawConn, redisId: string, argv: readonly string[]): Promise<void> => {
    const before = conn.buffered
    const probe = await connectRaw(redis.port)
    try {
      const deadline = Date.now() + DEFAULT_TIMEOUT_MS
      while (conn.buffered === before) {
        const info = await probe.call(['CLIENT', 'LIST', 'ID', redisId])
        const flags = / flags=(\S*)/.exec(info)
        if (flags === null) throw new Error(`redis-server: CLIENT LIST ID ${redisId} answered ${escapeBytes(info)}`)
        if (flags[1].includes('b')) return
        if (Date.now() > deadline) throw new Error(`redis-server neither blocked nor answered ${formatArgv(argv)} (the engine blocked) within ${DEFAULT_TIMEOUT_MS} ms`)
      }
    } finally {
      await probe.call(['QUIT']).catch(() => undefined)
      await probe.closed
    }
  }

  const makeClient = async (index: number): Promise<OracleClient> => {
    const conn = await connectRaw(redis.port)
    const subject = await host.connect()
    opened.push({ conn, subject })
    if (resp === 3) {
      // Both sides switch protocol; the replies differ by nature (client id), so they are only checked for errors.
      const r = await conn.call(['HELLO', '3'])
      const s = await subject.run(['HELLO', '3'], undefined)
      const mine = s.own.join('')
      if (r[0] !== '%') throw new Error(`redis: HELLO 3 failed: ${escapeBytes(r)}`)
      if (mine[0] !== '%') throw new Error(`${subjectName}: HELLO 3 failed: ${escapeBytes(mine)}`)
    }
    // Each side's id for this client, for `$id(cN)` in scripts (asked now: a blocked client could not answer later).
    const num = (raw: string): string => /^:(\d+)\r\n$/.exec(raw)?.[1] ?? raw
    const redisId = num(await conn.call(['CLIENT', 'ID']))
    const subjectId = num((await subject.run(['CLIENT', 'ID'], undefined)).own.join(''))
    ids.set(index, Promise.resolve({ redis: redisId, engine: subjectId }))

    const fail = (what: string, res: RunResult, norm: Normaliser | undefined, raw: RunResult): never => {
      const at = firstDifference(res.redis, res.engine)
      const lines = [
        `${subjectName} differs from redis-server (RESP${resp}, client ${index})`,
        `  ${what}`,
      ]
      if (norm) lines.push(`  normalised: ${norm.why ?? norm.name ?? 'yes'}`)
      const w = Math.max('redis'.length, subjectName.length)
      lines.push(
        `  first difference at byte ${at}`,
        `  ${'redis'.padEnd(w)} : ${clip(res.redis, at)}`,
        `  ${subjectName.padEnd(w)} : ${clip(res.engine, at)}`,
      )
      if (norm && (raw.redis !== res.redis || raw.engine !== res.engine)) {
        lines.push(`  ${'redis'.padEnd(w)} (before normalising) : ${clip(raw.redis)}`, `  ${subjectName.padEnd(w)} (before normalising) : ${clip(raw.engine)}`)
      }
      lines.push(formatHistory(history, history.length - 1))
      throw new OracleMismatch(lines.join('\n'))
    }

    const compare = (what: string, raw: RunResult, norm: Normaliser | undefined): RunResult => {
      const res = norm ? { redis: norm(raw.redis), engine: norm(raw.engine) } : raw
      if (res.redis !== res.engine) fail(what, res, norm, raw)
      return raw
    }

    const client: OracleClient = {
      index,
      async run(argv, runOpts = {}) {
        history.push({ client: index, argv: [...argv], ...(runOpts.note ? { note: runOpts.note } : {}) })
        // An exception (engine bug, a reply that never comes) is reported with the command and what came before.
        const context = (side: string, e: unknown): Error => {
          const err = new Error(
            `${side} failed on ${formatArgv(argv)} (RESP${resp}, client ${index}): ${e instanceof Error ? e.message : String(e)}\n` +
              formatHistory(history, history.length - 1),
          )
          err.cause = e
          return err
        }
        let s: Awaited<ReturnType<Subject['run']>>
        try {
          s = await subject.run(runOpts.subjectArgv ?? argv, runOpts.frames, runOpts.timeoutMs)
        } catch (e) {
          throw context(subjectName, e)
        }
        try {
          // Frames the subject got unasked came before this command on Redis too.
          const pending = await readPending(conn, s.pending.length)
          conn.send(argv)
          const own = await readOwn(conn, runOpts.frames, runOpts.timeoutMs)
          if (s.blocked === true && own.length === 0) await blockedOnRedis(conn, redisId, argv)
          return { redis: [...pending, ...own].join(''), engine: [...s.pending, ...s.own].join('') }
        } catch (e) {
          throw context('redis-server', e)
        }
      },
      async expectSame(argv, o) {
        const runOpts: RunOptions = typeof o === 'function' ? { normalise: o } : (o ?? {})
        const raw = await client.run(argv, runOpts)
        return compare(`command: ${formatArgv(argv)}`, raw, runOpts.normalise)
      },
      async expectPushes(normalise) {
        history.push({ client: index, argv: null })
        const mine = await subject.pending()
        const theirs = await readPending(conn, mine.length)
        // Pushes Redis delivered beyond that count are already here: include them so they show.
        theirs.push(...conn.pushes.splice(0))
        return compare('pushes received without a command', { redis: theirs.join(''), engine: mine.join('') }, normalise)
      },
    }
    return client
  }

  const client = (i: number): Promise<OracleClient> => {
    if (!Number.isInteger(i) || i < 0) throw new RangeError(`client index ${i}`)
    let c = clients.get(i)
    if (!c) {
      c = makeClient(i)
      clients.set(i, c)
    }
    return c
  }
  const main = await client(0).catch(async (e) => {
    await Promise.allSettled([redis.stop(), host.shutdown()])
    throw e
  })

  const clientIds = async (i: number): Promise<{ redis: string; engine: string }> => {
    await client(i)
    return ids.get(i)!
  }

  const oracle: Oracle = {
    resp,
    redis,
    index: 0,
    history,
    client,
    clientIds,
    run: (argv, o) => main.run(argv, o),
    expectSame: (argv, o) => main.expectSame(argv, o),
    expectPushes: (n) => main.expectPushes(n),
    async runScript(script) {
      const steps = typeof script === 'string' ? parseScript(script) : script.map(toStep)
      for (const step of steps) await runStep(oracle, step)
    },
    async close() {
      await Promise.allSettled(opened.map(({ conn, subject }) => Promise.all([conn.close(), subject.close()])))
      await Promise.allSettled([redis.stop(), host.shutdown()])
    },
  }
  return oracle
}

/**
 * Vitest helper: creates the oracle in beforeAll, closes it in afterAll, and
 * returns a getter for it.
 */
export function useOracle(opts: OracleOptions): () => Oracle {
  let oracle: Oracle | undefined
  beforeAll(async () => {
    oracle = await createOracle(opts)
  })
  afterAll(async () => {
    await oracle?.close()
  })
  return () => {
    if (!oracle) throw new Error('oracle not started (use it inside a test)')
    return oracle
  }
}

// ---------------------------------------------------------------- normalisers

const withWhy = (why: string, fn: (raw: string) => string): Normaliser => Object.assign(fn, { why })

// Applies fn to each frame of a (possibly multi-frame) raw reply.
const perFrame = (fn: (node: RespNode) => string) => (raw: string): string => splitReplies(raw).map((f) => fn(parseReply(f))).join('')

const sortedRaw = (nodes: readonly RespNode[]): string[] => nodes.map((n) => n.raw).sort()

function header(node: RespNode): string {
  return node.raw.slice(0, node.raw.indexOf('\r\n') + 2)
}

/** Sorts the elements of each top-level aggregate (map: by pair). For replies from hashtables, whose order is random. */
export const unordered: Normaliser = withWhy('element order of a hashtable is random (sorted before comparing)', perFrame((node) => {
  if (node.type === '%' && node.items) {
    const pairs: string[] = []
    for (let i = 0; i < node.items.length; i += 2) pairs.push(node.items[i].raw + node.items[i + 1].raw)
    return header(node) + pairs.sort().join('')
  }
  if ((node.type === '*' || node.type === '~') && node.items) return header(node) + sortedRaw(node.items).join('')
  return node.raw
}))

/** Like `unordered`, for flat field/value arrays (RESP2 HGETALL, CONFIG GET): sorts pairs. */
export const unorderedPairs: Normaliser = withWhy('pair order of a hashtable is random (pairs sorted before comparing)', perFrame((node) => {
  if ((node.type === '*' || node.type === '%') && node.items) {
    const pairs: string[] = []
    for (let i = 0; i + 1 < node.items.length; i += 2) pairs.push(node.items[i].raw + node.items[i + 1].raw)
    return header(node) + pairs.sort().join('')
  }
  return node.raw
}))

/** Keeps only the reply's shape: type bytes, lengths of aggregates, and bulk lengths (for random values of fixed size, e.g. run ids). */
export const bulkLengths: Normaliser = withWhy('value is random but its size is fixed (bulk contents replaced by their length)', perFrame(function shape(node: RespNode): string {
  switch (node.type) {
    case '$': case '=': case '!':
      return node.data === null ? node.raw : `${node.type}${node.len}\r\n<${node.len} bytes>\r\n`
    case '*': case '~': case '>': case '%':
      return node.items ? header(node) + node.items.map(shape).join('') : node.raw
    case '|':
      return header(node) + node.attrs.map(shape).join('') + shape(node.value)
    default:
      return node.raw
  }
}))

/** Keeps only the reply's type byte (e.g. RANDOMKEY: a bulk, which one is random). */
export const typeOnly: Normaliser = withWhy('value is random (only the reply type is compared)', perFrame((node) => node.type))

/** Replaces every match of a pattern; for random fields inside a text (ids, times). */
export function replacing(pattern: RegExp, replacement: string, why: string): Normaliser {
  return withWhy(why, (raw) => raw.replace(pattern, replacement))
}

/** Normalisers a script can name in a [tag]. */
export const NORMALISERS: Record<string, Normaliser> = {
  unordered,
  'unordered-pairs': unorderedPairs,
  'bulk-lengths': bulkLengths,
  'type-only': typeOnly,
}

// ---------------------------------------------------------------- scripts

export interface ScriptStep {
  /** Command to run; null for a comparison of pending pushes (`.pushes`). */
  argv: readonly string[] | null
  client?: number
  frames?: number
  normalise?: Normaliser
  /** Run on both sides without comparing (state changes whose replies cannot match, e.g. HELLO's client id). */
  ignore?: boolean
  /** Wait this long (real time, both sides) instead of running a command. */
  sleepMs?: number
  /** Line number in the script text, for messages. */
  line?: number
}

function toStep(s: ScriptStep | readonly string[]): ScriptStep {
  return Array.isArray(s) ? { argv: s as readonly string[] } : (s as ScriptStep)
}

/**
 * Splits a line into arguments the way redis-cli does (sdssplitargs): spaces
 * separate; "double quotes" take \n \r \t \b \a \\ \" and \xHH; 'single
 * quotes' take \'. Text is sent as UTF-8; \xHH gives a raw byte. Returns byte strings.
 */
export function splitArgs(line: string): string[] {
  const out: string[] = []
  const utf8 = (s: string): string => fromBytes(new TextEncoder().encode(s))
  let i = 0
  while (true) {
    while (i < line.length && /\s/.test(line[i])) i++
    if (i >= line.length) return out
    let arg = ''
    let quoted: '"' | "'" | null = null
    let done = false
    while (!done) {
      if (i >= line.length) {
        if (quoted) throw new Error(`unbalanced quotes in: ${line}`)
        break
      }
      const c = line[i]
      if (quoted === '"') {
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          arg += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16))
          i += 4
          continue
        }
        if (c === '\\' && i + 1 < line.length) {
          const e = line[i + 1]
          arg += ({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' } as Record<string, string>)[e] ?? utf8(e)
          i += 2
          continue
        }
        if (c === '"') {
          // A closing quote must be followed by a space or the end (as in redis-cli).
          if (i + 1 < line.length && !/\s/.test(line[i + 1])) throw new Error(`closing quote must be followed by a space in: ${line}`)
          done = true
          i++
          continue
        }
        arg += utf8(c)
        i++
      } else if (quoted === "'") {
        if (c === '\\' && line[i + 1] === "'") {
          arg += "'"
          i += 2
          continue
        }
        if (c === "'") {
          if (i + 1 < line.length && !/\s/.test(line[i + 1])) throw new Error(`closing quote must be followed by a space in: ${line}`)
          done = true
          i++
          continue
        }
        arg += utf8(c)
        i++
      } else {
        if (/\s/.test(c)) {
          done = true
        } else if (c === '"' || c === "'") {
          quoted = c
          i++
        } else {
          // Surrogate pairs go through utf8() whole.
          const cp = line.codePointAt(i)!
          const ch = String.fromCodePoint(cp)
          arg += utf8(ch)
          i += ch.length
        }
      }
    }
    out.push(arg)
  }
}

/**
 * Parses the script text format, one step per line:
 *
 *     # comment (whole line); blank lines are ignored
 *     SET k v                      run on client 0 and compare
 *     [c1] PUBLISH ch hello        run on client 1
 *     [unordered] SMEMBERS s       normalise with a named normaliser (see NORMALISERS)
 *     [frames=2] SUBSCRIBE a b     read exactly 2 frames
 *     [ignore] CLIENT SETNAME x    run on both, compare nothing
 *     [c0] .pushes                 compare pushes client 0 received unasked
 *     .sleep 50                    wait 50 ms (real time)
 *     CLIENT UNBLOCK $id(c1)       `$id(cN)`: client N's id on each side
 *
 * Several tags may share the brackets: `[c1 unordered frames=2]`.
 */
export function parseScript(text: string): ScriptStep[] {
  const steps: ScriptStep[] = []
  text.split('\n').forEach((rawLine, n) => {
    let line = rawLine.trim()
    if (line === '' || line.startsWith('#')) return
    const step: ScriptStep = { argv: null, line: n + 1 }
    const tagMatch = /^\[([^\]]*)\]\s*/.exec(line)
    if (tagMatch) {
      line = line.slice(tagMatch[0].length)
      for (const tag of tagMatch[1].split(/[\s,]+/).filter(Boolean)) {
        let m: RegExpExecArray | null
        if ((m = /^c(\d+)$/.exec(tag))) step.client = Number(m[1])
        else if ((m = /^frames=(\d+)$/.exec(tag))) step.frames = Number(m[1])
        else if (tag === 'ignore') step.ignore = true
        else if (NORMALISERS[tag]) step.normalise = NORMALISERS[tag]
        else throw new Error(`script line ${n + 1}: unknown tag '${tag}' (known: c<N>, frames=<N>, ignore, ${Object.keys(NORMALISERS).join(', ')})`)
      }
    }
    if (line.startsWith('.')) {
      const [directive, ...rest] = line.split(/\s+/)
      if (directive === '.pushes' && rest.length === 0) {
        steps.push(step)
      } else if (directive === '.sleep' && rest.length === 1 && /^\d+$/.test(rest[0])) {
        steps.push({ ...step, sleepMs: Number(rest[0]) })
      } else {
        throw new Error(`script line ${n + 1}: unknown directive '${line}' (known: .pushes, .sleep <ms>)`)
      }
      return
    }
    const argv = splitArgs(line)
    if (argv.length === 0) throw new Error(`script line ${n + 1}: no command`)
    steps.push({ ...step, argv })
  })
  return steps
}

const ID_TOKEN = /^\$id\(c(\d+)\)$/

async function runStep(oracle: Oracle, step: ScriptStep): Promise<void> {
  if (step.sleepMs !== undefined) {
    await new Promise((r) => setTimeout(r, step.sleepMs))
    return
  }
  const c = await oracle.client(step.client ?? 0)
  try {
    if (step.argv === null) await c.expectPushes(step.normalise)
    else {
      // `$id(cN)` stands for client N's id, which differs between the two servers.
      let argv = step.argv
      let subjectArgv: string[] | undefined
      if (argv.some((a) => ID_TOKEN.test(a))) {
        const redisArgv: string[] = []
        subjectArgv = []
        for (const a of argv) {
          const m = ID_TOKEN.exec(a)
          if (!m) {
            redisArgv.push(a)
            subjectArgv.push(a)
            continue
          }
          const both = await oracle.clientIds(Number(m[1]))
          redisArgv.push(both.redis)
          subjectArgv.push(both.engine)
        }
        argv = redisArgv
      }
      const opts = { frames: step.frames, normalise: step.normalise, ...(subjectArgv ? { subjectArgv } : {}) }
      if (step.ignore) await c.run(argv, { ...opts, note: 'not compared' })
      else await c.expectSame(argv, opts)
    }
  } catch (e) {
    if (e instanceof OracleMismatch && step.line !== undefined) e.message = `script line ${step.line}: ${e.message}`
    throw e
  }
}
