// Generates engine/server/command-metadata.generated.ts from a real redis-server 7.0.15.
//
//   npx tsx scripts/gen-command-table.ts
//
// Starts its own redis-server on a free loopback port, switches to RESP3 (HELLO 3) so
// every reply keeps its exact type (map vs set vs array, status vs bulk), asks COMMAND
// LIST, COMMAND INFO <every name> and COMMAND DOCS, stops the server by PID and writes
// the table as compact typed data. The fields of each reply are decoded strictly: an
// unknown field, a field out of Redis's order or of another RESP type stops the script,
// because the engine rebuilds the replies from the typed data in that fixed order.
// After writing, the script loads engine/server/command-metadata.ts and checks that the
// rebuilt COMMAND INFO / COMMAND DOCS of every command encodes to the same RESP2 and
// RESP3 bytes the server sent (subcommands put in the table's order, see below).
//
// The RESP reader and writer below are exported for the tests
// (engine/server/command-metadata.test.ts); importing this file does not run it.

import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, connect, type Socket } from 'node:net'
import { writeFileSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, resolve } from 'node:path'
import type { Reply } from '../engine/protocol/reply.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = resolve(ROOT, 'engine/server/command-metadata.generated.ts')
const ACCESSOR = resolve(ROOT, 'engine/server/command-metadata.ts')
const EXPECTED_VERSION = '7.0.15'

// ---------------------------------------------------------------------------
// RESP reader / writer over byte strings (one char per byte, latin1)
// ---------------------------------------------------------------------------

/** Parses one reply starting at `pos`; undefined when the buffer holds only part of it. */
export function parseReply(buf: string, pos = 0): { reply: Reply; end: number } | undefined {
  const lineEnd = buf.indexOf('\r\n', pos)
  if (lineEnd < 0) return undefined
  const type = buf[pos]
  const line = buf.slice(pos + 1, lineEnd)
  let p = lineEnd + 2
  const aggregate = (kind: 'array' | 'set' | 'push' | 'map', n: number) => {
    const items: Reply[] = []
    for (let i = 0; i < n; i++) {
      const r = parseReply(buf, p)
      if (!r) return undefined
      items.push(r.reply)
      p = r.end
    }
    return { reply: { kind, value: items } as Reply, end: p }
  }
  switch (type) {
    case '+':
      return { reply: { kind: 'status', value: line }, end: p }
    case '-':
      return { reply: { kind: 'error', value: line }, end: p }
    case ':': {
      const n = BigInt(line)
      const safe = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
      return { reply: { kind: 'integer', value: safe ? Number(n) : n }, end: p }
    }
    case '_':
      return { reply: { kind: 'null' }, end: p }
    case '#':
      return { reply: { kind: 'bool', value: line === 't' }, end: p }
    case ',': {
      const v = line === 'inf' ? Infinity : line === '-inf' ? -Infinity : Number(line)
      return { reply: { kind: 'double', value: v }, end: p }
    }
    case '$':
    case '=': {
      const len = Number(line)
      if (len < 0) return { reply: { kind: 'null' }, end: p }
      if (buf.length < p + len + 2) return undefined
      const body = buf.slice(p, p + len)
      p += len + 2
      if (type === '$') return { reply: { kind: 'bulk', value: body }, end: p }
      return { reply: { kind: 'verbatim', format: body.slice(0, 3), value: body.slice(4) }, end: p }
    }
    case '*': {
      const n = Number(line)
      if (n < 0) return { reply: { kind: 'nullArray' }, end: p }
      return aggregate('array', n)
    }
    case '~':
      return aggregate('set', Number(line))
    case '>':
      return aggregate('push', Number(line))
    case '%':
      return aggregate('map', Number(line) * 2)
    default:
      throw new Error(`unsupported RESP type byte ${JSON.stringify(type)} at ${pos}`)
  }
}

/**
 * Encodes a reply the way Redis writes it. Only what command metadata needs is exact;
 * doubles are not (no COMMAND reply carries one) and throw.
 */
export function encodeReply(r: Reply, resp: 2 | 3): string {
  switch (r.kind) {
    case 'status':
      return `+${r.value}\r\n`
    case 'error':
      return `-${r.value}\r\n`
    case 'integer':
      return `:${r.value}\r\n`
    case 'bulk':
      return `$${r.value.length}\r\n${r.value}\r\n`
    case 'null':
      return resp === 2 ? '$-1\r\n' : '_\r\n'
    case 'nullArray':
      return resp === 2 ? '*-1\r\n' : '_\r\n'
    case 'bool':
      return resp === 2 ? `:${r.value ? 1 : 0}\r\n` : `#${r.value ? 't' : 'f'}\r\n`
    case 'verbatim': {
      if (resp === 2) return `$${r.value.length}\r\n${r.value}\r\n`
      const body = `${r.format}:${r.value}`
      return `=${body.length}\r\n${body}\r\n`
    }
    case 'array':
    case 'set':
    case 'push':
    case 'map': {
      const head =
        resp === 2 || r.kind === 'array'
          ? `*${r.value.length}`
          : r.kind === 'set'
            ? `~${r.value.length}`
            : r.kind === 'push'
              ? `>${r.value.length}`
              : `%${r.value.length / 2}`
      return head + '\r\n' + r.value.map((x) => encodeReply(x, resp)).join('')
    }
    case 'double':
      throw new Error('encodeReply: doubles are not needed for command metadata')
  }
}

/** The elements of an aggregate reply (none for scalars). */
export function itemsOf(r: Reply | undefined): readonly Reply[] {
  return r && (r.kind === 'array' || r.kind === 'set' || r.kind === 'map' || r.kind === 'push') ? r.value : []
}

/** The text of a string reply ('' for others). */
export function textOf(r: Reply | undefined): string {
  return r && (r.kind === 'bulk' || r.kind === 'status' || r.kind === 'error') ? r.value : ''
}

/** A RESP multibulk request. */
export function encodeCommand(argv: readonly string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')
}

// ---------------------------------------------------------------------------
// A throwaway redis-server and a minimal pipelining client
// ---------------------------------------------------------------------------

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => res(port))
    })
  })
}

export class RespConnection {
  private buf = ''
  private readonly waiters: Array<(r: { reply: Reply; raw: string }) => void> = []

  private constructor(private readonly sock: Socket) {
    sock.setEncoding('latin1')
    sock.on('data', (d: string) => {
      this.buf += d
      let pos = 0
      while (this.waiters.length > 0) {
        const r = parseReply(this.buf, pos)
        if (!r) break
        const raw = this.buf.slice(pos, r.end)
        pos = r.end
        this.waiters.shift()!({ reply: r.reply, raw })
      }
      this.buf = this.buf.slice(pos)
    })
  }

  static open(port: number): Promise<RespConnection> {
    return new Promise((res, rej) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => res(new RespConnection(s)))
      s.once('error', rej)
    })
  }

  /** Sends one command; resolves with its parsed reply and its exact bytes (latin1). */
  send(...argv: string[]): Promise<{ reply: Reply; raw: string }> {
    return new Promise((res) => {
      this.waiters.push(res)
      this.sock.write(encodeCommand(argv), 'latin1')
    })
  }

  async call(...argv: string[]): Promise<Reply> {
    return (await this.send(...argv)).reply
  }

  async raw(...argv: string[]): Promise<string> {
    return (await this.send(...argv)).raw
  }

  close(): void {
    this.sock.destroy()
  }
}

export interface RedisProcess {
  port: number
  child: ChildProcess
  stop(): Promise<void>
}

/** Starts `redis-server` on a free loopback port; rejects when it cannot be started. */
export async function startRedis(bin = 'redis-server'): Promise<RedisProcess> {
  const port = await freePort()
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((res) => child.once('exit', () => res()))
  await new Promise<void>((res, rej) => {
    child.once('error', rej)
    let tries = 0
    const attempt = () => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        res()
      })
      s.once('error', () => {
        s.destroy()
        if (++tries > 100 || child.exitCode !== null) rej(new Error(`redis-server did not start on port ${port}`))
        else setTimeout(attempt, 50)
      })
    }
    attempt()
  })
  return {
    port,
    child,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM')
      await exited
    },
  }
}

// ---------------------------------------------------------------------------
// Strict decoding of COMMAND INFO / COMMAND DOCS into the typed table
// ---------------------------------------------------------------------------

// These mirror the Raw* types written into the generated file (see HEADER below).
type RawBeginSearch = readonly ['index', number] | readonly ['keyword', string, number] | readonly ['unknown']
type RawFindKeys =
  | readonly ['range', number, number, number]
  | readonly ['keynum', number, number, number]
  | readonly ['unknown']
interface RawKeySpec {
  notes?: string
  f: string[]
  bs: RawBeginSearch
  fk: RawFindKeys
}
interface RawArg {
  n: string
  t: string
  ki?: number
  tok?: string
  s?: string
  v?: string
  f?: string[]
  ds?: string
  args?: RawArg[]
}
interface RawDoc {
  s: string
  v: string
  g: string
  x?: string
  df?: string[]
  ds?: string
  rb?: string
  h?: Array<[string, string]>
  args?: RawArg[]
}
interface RawCommand {
  n: string
  a: number
  f: string[]
  k: [number, number, number]
  c: string[]
  t?: string[]
  ks?: RawKeySpec[]
  readonly d: RawDoc
  sub?: RawCommand[]
}

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`)
}

function expectKind<K extends Reply['kind']>(r: Reply, kind: K, where: string): Extract<Reply, { kind: K }> {
  if (r.kind !== kind) fail(where, `expected ${kind}, got ${r.kind}`)
  return r as Extract<Reply, { kind: K }>
}

const bulkOf = (r: Reply, where: string) => expectKind(r, 'bulk', where).value
const intOf = (r: Reply, where: string) => {
  const v = expectKind(r, 'integer', where).value
  if (typeof v !== 'number') fail(where, 'integer out of range')
  return v
}
/** A RESP3 set whose members are all simple strings (flags, categories). */
const statusSetOf = (r: Reply, where: string) =>
  expectKind(r, 'set', where).value.map((x, i) => expectKind(x, 'status', `${where}[${i}]`).value)
/** A RESP3 set whose members are all bulk strings (tips). */
const bulkSetOf = (r: Reply, where: string) =>
  expectKind(r, 'set', where).value.map((x, i) => bulkOf(x, `${where}[${i}]`))

/**
 * Walks a map whose keys are bulk strings and must appear in `order` (each at most once,
 * in that order). Calls `take` for each present field.
 */
function walkMap(r: Reply, order: readonly string[], where: string, take: (key: string, v: Reply) => void): void {
  const items = expectKind(r, 'map', where).value
  let last = -1
  for (let i = 0; i < items.length; i += 2) {
    const key = bulkOf(items[i], `${where} key`)
    const idx = order.indexOf(key)
    if (idx < 0) fail(where, `unknown field '${key}'`)
    if (idx <= last) fail(where, `field '${key}' out of order`)
    last = idx
    take(key, items[i + 1])
  }
}

function decodeKeySpec(r: Reply, where: string): RawKeySpec {
  const spec: Partial<RawKeySpec> = {}
  walkMap(r, ['notes', 'flags', 'begin_search', 'find_keys'], where, (key, v) => {
    if (key === 'notes') spec.notes = bulkOf(v, `${where}.notes`)
    else if (key === 'flags') spec.f = statusSetOf(v, `${where}.flags`)
    else if (key === 'begin_search') {
      let type = ''
      let body: Reply | undefined
      walkMap(v, ['type', 'spec'], `${where}.begin_search`, (k, x) => {
        if (k === 'type') type = bulkOf(x, `${where}.begin_search.type`)
        else body = x
      })
      const fields: Record<string, Reply> = {}
      const w = `${where}.begin_search.spec`
      if (type === 'index') {
        walkMap(body!, ['index'], w, (k, x) => (fields[k] = x))
        spec.bs = ['index', intOf(fields.index, `${w}.index`)]
      } else if (type === 'keyword') {
        walkMap(body!, ['keyword', 'startfrom'], w, (k, x) => (fields[k] = x))
        spec.bs = ['keyword', bulkOf(fields.keyword, `${w}.keyword`), intOf(fields.startfrom, `${w}.startfrom`)]
      } else if (type === 'unknown') {
        walkMap(body!, [], w, () => {})
        spec.bs = ['unknown']
      } else fail(where, `unknown begin_search type '${type}'`)
    } else {
      let type = ''
      let body: Reply | undefined
      walkMap(v, ['type', 'spec'], `${where}.find_keys`, (k, x) => {
        if (k === 'type') type = bulkOf(x, `${where}.find_keys.type`)
        else body = x
      })
      const fields: Record<string, Reply> = {}
      const w = `${where}.find_keys.spec`
      if (type === 'range') {
        walkMap(body!, ['lastkey', 'keystep', 'limit'], w, (k, x) => (fields[k] = x))
        spec.fk = ['range', intOf(fields.lastkey, w), intOf(fields.keystep, w), intOf(fields.limit, w)]
      } else if (type === 'keynum') {
        walkMap(body!, ['keynumidx', 'firstkey', 'keystep'], w, (k, x) => (fields[k] = x))
        spec.fk = ['keynum', intOf(fields.keynumidx, w), intOf(fields.firstkey, w), intOf(fields.keystep, w)]
      } else if (type === 'unknown') {
        walkMap(body!, [], w, () => {})
        spec.fk = ['unknown']
      } else fail(where, `unknown find_keys type '${type}'`)
    }
  })
  if (!spec.f || !spec.bs || !spec.fk) fail(where, 'incomplete key spec')
  return spec as RawKeySpec
}

const ARG_FIELDS = ['name', 'type', 'key_spec_index', 'token', 'summary', 'since', 'flags', 'deprecated_since', 'arguments']

function decodeArg(r: Reply, where: string): RawArg {
  const a: Partial<RawArg> = {}
  walkMap(r, ARG_FIELDS, where, (key, v) => {
    const w = `${where}.${key}`
    switch (key) {
      case 'name': a.n = bulkOf(v, w); break
      case 'type': a.t = bulkOf(v, w); break
      case 'key_spec_index': a.ki = intOf(v, w); break
      case 'token': a.tok = bulkOf(v, w); break
      case 'summary': a.s = bulkOf(v, w); break
      case 'since': a.v = bulkOf(v, w); break
      case 'flags': a.f = statusSetOf(v, w); break
      case 'deprecated_since': a.ds = bulkOf(v, w); break
      case 'arguments':
        a.args = expectKind(v, 'array', w).value.map((x, i) => decodeArg(x, `${w}[${i}]`))
        break
    }
  })
  if (a.n === undefined || a.t === undefined) fail(where, 'argument without name or type')
  if (a.f && a.f.length === 0) fail(where, 'empty flags set is written only when flags exist')
  return a as RawArg
}

const DOC_FIELDS = [
  'summary', 'since', 'group', 'complexity', 'doc_flags', 'deprecated_since', 'replaced_by', 'history', 'arguments', 'subcommands',
]

function decodeDoc(r: Reply, where: string): { doc: RawDoc; subs?: Map<string, Reply> } {
  const d: Partial<RawDoc> = {}
  let subs: Map<string, Reply> | undefined
  walkMap(r, DOC_FIELDS, where, (key, v) => {
    const w = `${where}.${key}`
    switch (key) {
      case 'summary': d.s = bulkOf(v, w); break
      case 'since': d.v = bulkOf(v, w); break
      case 'group': d.g = bulkOf(v, w); break
      case 'complexity': d.x = bulkOf(v, w); break
      case 'doc_flags': d.df = statusSetOf(v, w); break
      case 'deprecated_since': d.ds = bulkOf(v, w); break
      case 'replaced_by': d.rb = bulkOf(v, w); break
      case 'history':
        d.h = expectKind(v, 'set', w).value.map((e, i) => {
          const pair = expectKind(e, 'array', `${w}[${i}]`).value
          if (pair.length !== 2) fail(`${w}[${i}]`, 'history entry is not a pair')
          return [bulkOf(pair[0], w), bulkOf(pair[1], w)] as [string, string]
        })
        break
      case 'arguments':
        d.args = expectKind(v, 'array', w).value.map((x, i) => decodeArg(x, `${w}[${i}]`))
        break
      case 'subcommands': {
        subs = new Map()
        const items = expectKind(v, 'map', w).value
        for (let i = 0; i < items.length; i += 2) subs.set(bulkOf(items[i], w), items[i + 1])
        break
      }
    }
  })
  if (d.s === undefined || d.v === undefined || d.g === undefined) fail(where, 'missing summary/since/group')
  if (d.df && d.df.length === 0) fail(where, 'empty doc_flags')
  return { doc: d as RawDoc, subs }
}

function decodeCommand(info: Reply, doc: Reply, where: string): RawCommand {
  const f = expectKind(info, 'array', where).value
  if (f.length !== 10) fail(where, `COMMAND INFO entry has ${f.length} fields, expected 10`)
  const name = bulkOf(f[0], `${where}.name`)
  const acl = statusSetOf(f[6], `${where}.acl`)
  for (const c of acl) if (!c.startsWith('@')) fail(where, `ACL category '${c}' without '@'`)
  const cmd: RawCommand = {
    n: name,
    a: intOf(f[1], `${where}.arity`),
    f: statusSetOf(f[2], `${where}.flags`),
    k: [intOf(f[3], `${where}.first`), intOf(f[4], `${where}.last`), intOf(f[5], `${where}.step`)],
    c: acl.map((c) => c.slice(1)),
  } as RawCommand
  const tips = bulkSetOf(f[7], `${where}.tips`)
  if (tips.length) cmd.t = tips
  const specs = expectKind(f[8], 'set', `${where}.key_specs`).value.map((s, i) => decodeKeySpec(s, `${where}.key_specs[${i}]`))
  if (specs.length) cmd.ks = specs
  const { doc: d, subs: docSubs } = decodeDoc(doc, `${name} docs`)
  ;(cmd as { d: RawDoc }).d = d
  // No subcommands: an empty set. A container: an array of subcommand entries.
  if (f[9].kind === 'set') {
    if (f[9].value.length !== 0) fail(where, 'non-empty subcommand set')
    if (docSubs) fail(where, 'docs list subcommands but COMMAND INFO does not')
  } else {
    const subInfos = expectKind(f[9], 'array', `${where}.subcommands`).value
    if (!docSubs || docSubs.size !== subInfos.length) fail(where, 'docs and info disagree on subcommands')
    cmd.sub = subInfos
      .map((si, i) => {
        const subName = bulkOf(expectKind(si, 'array', `${where}.sub[${i}]`).value[0], `${where}.sub[${i}]`)
        const sd = docSubs.get(subName) ?? fail(where, `no docs for ${subName}`)
        return decodeCommand(si, sd, subName)
      })
      .sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
  }
  return cmd
}

// ---------------------------------------------------------------------------
// Writing the generated module
// ---------------------------------------------------------------------------

/** Single-quoted JS string literal (the data is ASCII; anything else is escaped). */
function lit(s: string): string {
  let out = "'"
  for (const ch of s) {
    const c = ch.charCodeAt(0)
    if (ch === "'" || ch === '\\') out += '\\' + ch
    else if (c < 0x20 || c > 0x7e) out += '\\x' + c.toString(16).padStart(2, '0')
    else out += ch
  }
  return out + "'"
}

/** Serialises plain data as a compact TS literal: unquoted identifier keys, 'strings'. */
function toLiteral(v: unknown): string {
  if (typeof v === 'string') return lit(v)
  if (typeof v === 'number') return String(v)
  if (Array.isArray(v)) return '[' + v.map(toLiteral).join(',') + ']'
  if (v && typeof v === 'object') {
    const parts: string[] = []
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue
      parts.push(`${/^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k)}:${toLiteral(x)}`)
    }
    return '{' + parts.join(',') + '}'
  }
  throw new Error(`cannot serialise ${String(v)}`)
}

const HEADER = `// GENERATED by scripts/gen-command-table.ts from redis-server __VERSION__. Do not edit by hand:
// run \`npx tsx scripts/gen-command-table.ts\` to regenerate.
//
// One entry per top-level command (sorted by name), each container's subcommands nested
// under \`sub\` by their full name ('config|get'), also sorted (Redis itself lists them in
// hash-table order, which changes with every process). Field order inside every reply
// Redis builds is fixed, so the typed fields below are enough to rebuild COMMAND INFO and
// COMMAND DOCS byte for byte (engine/server/command-metadata.ts does that). Short keys
// keep the module small; the accessor exposes readable types.

/** begin_search of a key spec: ['index', pos] | ['keyword', keyword, startfrom] | ['unknown']. */
export type RawBeginSearch = readonly ['index', number] | readonly ['keyword', string, number] | readonly ['unknown']
/** find_keys: ['range', lastkey, keystep, limit] | ['keynum', keynumidx, firstkey, keystep] | ['unknown']. */
export type RawFindKeys =
  | readonly ['range', number, number, number]
  | readonly ['keynum', number, number, number]
  | readonly ['unknown']

/** A key spec of COMMAND INFO. */
export interface RawKeySpec {
  readonly notes?: string
  /** flags, in Redis's order (RO, RW, OW, RM, access, update, insert, delete, ...). */
  readonly f: readonly string[]
  readonly bs: RawBeginSearch
  readonly fk: RawFindKeys
}

/** One argument of COMMAND DOCS. */
export interface RawArg {
  /** name */ readonly n: string
  /** type: string, integer, double, key, pattern, unix-time, pure-token, oneof, block */
  readonly t: string
  /** key_spec_index (keys, and patterns that name keys, e.g. SORT BY) */ readonly ki?: number
  /** token */ readonly tok?: string
  /** summary */ readonly s?: string
  /** since */ readonly v?: string
  /** flags: optional, multiple, multiple_token */ readonly f?: readonly string[]
  /** deprecated_since */ readonly ds?: string
  /** nested arguments (oneof / block) */ readonly args?: readonly RawArg[]
}

/** COMMAND DOCS of one command, without its subcommands. */
export interface RawDoc {
  /** summary */ readonly s: string
  /** since */ readonly v: string
  /** group */ readonly g: string
  /** complexity */ readonly x?: string
  /** doc_flags: deprecated, syscmd */ readonly df?: readonly string[]
  /** deprecated_since */ readonly ds?: string
  /** replaced_by */ readonly rb?: string
  /** history: [since, changes] */ readonly h?: readonly (readonly [string, string])[]
  /** arguments */ readonly args?: readonly RawArg[]
}

/** COMMAND INFO + COMMAND DOCS of one command. */
export interface RawCommand {
  /** full name, lowercase ('get', 'config|get') */ readonly n: string
  /** arity */ readonly a: number
  /** flags, in Redis's order */ readonly f: readonly string[]
  /** legacy [first key, last key, step] */ readonly k: readonly [number, number, number]
  /** ACL categories without the '@' */ readonly c: readonly string[]
  /** tips */ readonly t?: readonly string[]
  /** key specs */ readonly ks?: readonly RawKeySpec[]
  /** docs */ readonly d: RawDoc
  /** subcommands (present exactly for containers) */ readonly sub?: readonly RawCommand[]
}

export const REDIS_VERSION = '__VERSION__'

export const COMMANDS: readonly RawCommand[] = [
`

function writeModule(version: string, commands: RawCommand[]): string {
  let out = HEADER.replaceAll('__VERSION__', version)
  for (const c of commands) {
    if (c.sub) {
      const { sub, ...rest } = c
      const head = toLiteral(rest)
      out += head.slice(0, -1) + ',sub:[\n'
      for (const s of sub) out += '  ' + toLiteral(s) + ',\n'
      out += ']},\n'
    } else {
      out += toLiteral(c) + ',\n'
    }
  }
  out += ']\n'
  return out
}

// ---------------------------------------------------------------------------
// Verification against the raw replies
// ---------------------------------------------------------------------------

/** Reorders a COMMAND INFO entry's subcommands (and theirs, recursively) by name. */
export function sortInfoSubcommands(info: Reply): Reply {
  if (info.kind !== 'array' || info.value.length !== 10 || info.value[9].kind !== 'array') return info
  const subs = [...info.value[9].value].map(sortInfoSubcommands)
  subs.sort((a, b) => {
    const an = textOf(itemsOf(a)[0])
    const bn = textOf(itemsOf(b)[0])
    return an < bn ? -1 : an > bn ? 1 : 0
  })
  return { kind: 'array', value: [...info.value.slice(0, 9), { kind: 'array', value: subs }] }
}

/** Reorders a COMMAND DOCS map's 'subcommands' entries by name. */
export function sortDocSubcommands(doc: Reply): Reply {
  if (doc.kind !== 'map') return doc
  const items = [...doc.value]
  for (let i = 0; i < items.length; i += 2) {
    const k = items[i]
    const v = items[i + 1]
    if (k.kind === 'bulk' && k.value === 'subcommands' && v.kind === 'map') {
      const pairs: Array<[Reply, Reply]> = []
      for (let j = 0; j < v.value.length; j += 2) pairs.push([v.value[j], sortDocSubcommands(v.value[j + 1])])
      pairs.sort((a, b) => {
        const an = textOf(a[0])
        const bn = textOf(b[0])
        return an < bn ? -1 : an > bn ? 1 : 0
      })
      items[i + 1] = { kind: 'map', value: pairs.flat() }
    }
  }
  return { kind: 'map', value: items }
}

interface AccessorModule {
  getCommandMeta(name: string): unknown
  commandInfoReply(meta: unknown, isImplemented: (n: string) => boolean): Reply
  commandDocsReply(meta: unknown, isImplemented: (n: string) => boolean): Reply
}

function verify(
  acc: AccessorModule,
  infos: Map<string, Reply>,
  docs: Map<string, Reply>,
): number {
  let checked = 0
  const all = () => true
  for (const [name, info] of infos) {
    const meta = acc.getCommandMeta(name)
    if (!meta) throw new Error(`verify: ${name} missing from the generated table`)
    const wantInfo = sortInfoSubcommands(info)
    const gotInfo = acc.commandInfoReply(meta, all)
    const topName = name.split('|')[0]
    const docOf = (n: string): Reply => {
      if (!n.includes('|')) return docs.get(n)!
      const parent = docs.get(topName)!
      if (parent.kind !== 'map') throw new Error('bad docs')
      for (let i = 0; i < parent.value.length; i += 2) {
        const k = parent.value[i]
        const v = parent.value[i + 1]
        if (k.kind === 'bulk' && k.value === 'subcommands' && v.kind === 'map') {
          for (let j = 0; j < v.value.length; j += 2) {
            if (textOf(v.value[j]) === n) return v.value[j + 1]
          }
        }
      }
      throw new Error(`verify: no docs for ${n}`)
    }
    const wantDoc = sortDocSubcommands(docOf(name))
    const gotDoc = acc.commandDocsReply(meta, all)
    for (const resp of [2, 3] as const) {
      if (encodeReply(gotInfo, resp) !== encodeReply(wantInfo, resp)) {
        throw new Error(`verify: COMMAND INFO ${name} differs in RESP${resp}`)
      }
      if (encodeReply(gotDoc, resp) !== encodeReply(wantDoc, resp)) {
        throw new Error(`verify: COMMAND DOCS ${name} differs in RESP${resp}`)
      }
    }
    checked++
  }
  return checked
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const bin = process.env.REDIS_SERVER ?? 'redis-server'
  const server = await startRedis(bin)
  let conn: RespConnection | undefined
  let infoRaw: string
  let docsRaw: string
  let names: string[]
  let count: number
  let helloVersion = ''
  try {
    conn = await RespConnection.open(server.port)
    const hello = await conn.call('HELLO', '3')
    if (hello.kind === 'map') {
      for (let i = 0; i < hello.value.length; i += 2) {
        const k = hello.value[i]
        const v = hello.value[i + 1]
        if (k.kind === 'bulk' && k.value === 'version' && v.kind === 'bulk') helloVersion = v.value
      }
    }
    if (helloVersion !== EXPECTED_VERSION && !process.env.ALLOW_OTHER_VERSION) {
      throw new Error(`redis-server reports version ${helloVersion}, expected ${EXPECTED_VERSION}`)
    }
    const list = await conn.call('COMMAND', 'LIST')
    names = expectKind(list, 'array', 'COMMAND LIST').value.map((r) => bulkOf(r, 'COMMAND LIST'))
    const cnt = await conn.call('COMMAND', 'COUNT')
    count = intOf(cnt, 'COMMAND COUNT')
    infoRaw = await conn.raw('COMMAND', 'INFO', ...names)
    docsRaw = await conn.raw('COMMAND', 'DOCS')
  } finally {
    conn?.close()
    await server.stop()
  }

  // The reader and writer must be lossless on these exact bytes, so a later byte
  // comparison of a rebuilt reply against the parsed one is a comparison against Redis.
  const infoParsed = parseReply(infoRaw)!
  const docsParsed = parseReply(docsRaw)!
  if (encodeReply(infoParsed.reply, 3) !== infoRaw || encodeReply(docsParsed.reply, 3) !== docsRaw) {
    throw new Error('RESP reader/writer round trip is not lossless')
  }

  const infos = new Map<string, Reply>()
  const infoItems = expectKind(infoParsed.reply, 'array', 'COMMAND INFO').value
  names.forEach((n, i) => infos.set(n, infoItems[i]))
  const docs = new Map<string, Reply>()
  const docItems = expectKind(docsParsed.reply, 'map', 'COMMAND DOCS').value
  for (let i = 0; i < docItems.length; i += 2) docs.set(bulkOf(docItems[i], 'COMMAND DOCS'), docItems[i + 1])

  const top = names.filter((n) => !n.includes('|')).sort()
  if (top.length !== count) throw new Error(`COMMAND COUNT ${count} but COMMAND LIST has ${top.length} top-level names`)
  const commands = top.map((n) => decodeCommand(infos.get(n)!, docs.get(n) ?? fail(n, 'no docs'), n))

  // A subcommand asked for by itself must be the entry nested in its container.
  for (const n of names.filter((x) => x.includes('|'))) {
    const parent = infos.get(n.split('|')[0])!
    const mine = itemsOf(itemsOf(parent)[9]).find((s) => textOf(itemsOf(s)[0]) === n)
    if (!mine || encodeReply(mine, 3) !== encodeReply(infos.get(n)!, 3)) {
      throw new Error(`COMMAND INFO ${n} differs from its entry inside ${n.split('|')[0]}`)
    }
  }

  const text = writeModule(helloVersion, commands)
  writeFileSync(OUT, text)

  const acc = (await import(pathToFileURL(ACCESSOR).href)) as AccessorModule
  const checked = verify(acc, infos, docs)

  const written = readFileSync(OUT)
  const nsub = commands.reduce((s, c) => s + (c.sub?.length ?? 0), 0)
  console.log(
    `wrote ${OUT}: ${commands.length} commands + ${nsub} subcommands, ` +
      `${written.length} bytes (${gzipSync(written, { level: 9 }).length} gzipped); ` +
      `verified COMMAND INFO + COMMAND DOCS of ${checked} entries in RESP2 and RESP3`,
  )
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invokedDirectly) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
}
