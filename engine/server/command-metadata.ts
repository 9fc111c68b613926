// Typed access to Redis 7.0.15's command table (generated from a real server by
// scripts/gen-command-table.ts) and the replies built from it: COMMAND / COMMAND INFO /
// DOCS / LIST / COUNT / GETKEYS / GETKEYSANDFLAGS, byte-identical to Redis's in RESP2 and
// RESP3 once encoded. Only implemented commands appear in those replies: every builder
// takes an `isImplemented(fullName)` predicate (the registry's).
//
// Key extraction mirrors db.c: key specs first (getKeysUsingKeySpecs), and a command's
// getkeys proc when its specs are incomplete, unknown or have variable flags
// (getKeysFromCommandWithSpecs). The procs of 7.0.15 are all here (see GETKEYS_PROCS).

import {
  COMMANDS,
  type RawArg,
  type RawBeginSearch,
  type RawCommand,
  type RawFindKeys,
  type RawKeySpec,
} from './command-metadata.generated.ts'
import { type Reply, NULL, array, bulk, error, integer, map, set, status } from '../protocol/reply.ts'

export { REDIS_VERSION } from './command-metadata.generated.ts'

export type IsImplemented = (fullName: string) => boolean

export type BeginSearch =
  | { readonly type: 'index'; readonly index: number }
  | { readonly type: 'keyword'; readonly keyword: string; readonly startFrom: number }
  | { readonly type: 'unknown' }

export type FindKeys =
  | { readonly type: 'range'; readonly lastKey: number; readonly keyStep: number; readonly limit: number }
  | { readonly type: 'keynum'; readonly keyNumIdx: number; readonly firstKey: number; readonly keyStep: number }
  | { readonly type: 'unknown' }

export interface KeySpec {
  readonly notes?: string
  /** Flag names in Redis's order: RO, RW, OW, RM, access, update, insert, delete, not_key, incomplete, variable_flags. */
  readonly flags: readonly string[]
  /** The same flags as a bitmask of KEY_FLAG. */
  readonly flagBits: number
  readonly beginSearch: BeginSearch
  readonly findKeys: FindKeys
}

export interface CommandArg {
  readonly name: string
  /** string, integer, double, key, pattern, unix-time, pure-token, oneof, block */
  readonly type: string
  readonly keySpecIndex?: number
  readonly token?: string
  readonly summary?: string
  readonly since?: string
  /** optional, multiple, multiple_token (absent when none) */
  readonly flags?: readonly string[]
  readonly deprecatedSince?: string
  /** Nested arguments of a oneof / block. */
  readonly arguments?: readonly CommandArg[]
}

export interface CommandDocs {
  readonly summary: string
  readonly since: string
  readonly group: string
  readonly complexity?: string
  /** deprecated, syscmd (absent when none) */
  readonly docFlags?: readonly string[]
  readonly deprecatedSince?: string
  readonly replacedBy?: string
  readonly history?: readonly (readonly [since: string, changes: string])[]
  readonly arguments?: readonly CommandArg[]
}

export interface CommandMeta {
  /** Lowercase full name: 'get', 'config|get'. */
  readonly fullName: string
  /** The name typed at this level: 'get' for both 'get' and 'config|get'. */
  readonly name: string
  /** The container of a subcommand. */
  readonly parent?: CommandMeta
  readonly arity: number
  /** COMMAND INFO flags in Redis's order: write, readonly, denyoom, ..., movablekeys, allow_busy. */
  readonly flags: readonly string[]
  /** Legacy key range of COMMAND INFO (first key, last key, step); 0 0 0 when none. */
  readonly firstKey: number
  readonly lastKey: number
  readonly keyStep: number
  /** ACL categories without the '@': 'read', 'string', 'fast'. */
  readonly aclCategories: readonly string[]
  readonly tips: readonly string[]
  readonly keySpecs: readonly KeySpec[]
  readonly group: string
  readonly since: string
  readonly summary: string
  readonly complexity?: string
  readonly docs: CommandDocs
  /** Present exactly for containers (CONFIG, OBJECT, ...), sorted by full name. */
  readonly subcommands?: readonly CommandMeta[]
  readonly isContainer: boolean
  /** Redis has a getkeys proc for this command (keys not fully described by key specs). */
  readonly hasGetKeysProc: boolean
  /** Some key spec describes a real key (not only not_key specs): doesCommandHaveKeys. */
  readonly hasKeys: boolean
}

// ---------------------------------------------------------------------------
// Key spec flags (server.h CMD_KEY_*), in the order Redis prints them
// ---------------------------------------------------------------------------

export const KEY_FLAG_NAMES = [
  'RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags',
] as const

export const KEY_FLAG = {
  RO: 1 << 0,
  RW: 1 << 1,
  OW: 1 << 2,
  RM: 1 << 3,
  access: 1 << 4,
  update: 1 << 5,
  insert: 1 << 6,
  delete: 1 << 7,
  not_key: 1 << 8,
  incomplete: 1 << 9,
  variable_flags: 1 << 10,
} as const

export function keyFlagBits(names: readonly string[]): number {
  let bits = 0
  for (const n of names) {
    const b = (KEY_FLAG as Record<string, number>)[n]
    if (b === undefined) throw new Error(`unknown key spec flag '${n}'`)
    bits |= b
  }
  return bits
}

export function keyFlagNames(bits: number): readonly string[] {
  return KEY_FLAG_NAMES.filter((n) => (bits & KEY_FLAG[n]) !== 0)
}

// ---------------------------------------------------------------------------
// Loading the generated table
// ---------------------------------------------------------------------------

/** Commands with a getkeys proc in Redis 7.0.15 (commands.c), by the proc they use. */
const GETKEYS_PROCS: Readonly<Record<string, GetKeysProc>> = {
  set: setGetKeys,
  bitfield: bitfieldGetKeys,
  sort: sortGetKeys,
  sort_ro: sortROGetKeys,
  migrate: migrateGetKeys,
  georadius: georadiusGetKeys,
  georadiusbymember: georadiusGetKeys,
  xread: xreadGetKeys,
  xreadgroup: xreadGetKeys,
  zunionstore: zunionInterDiffStoreGetKeys,
  zinterstore: zunionInterDiffStoreGetKeys,
  zdiffstore: zunionInterDiffStoreGetKeys,
  zunion: zunionInterDiffGetKeys,
  zinter: zunionInterDiffGetKeys,
  zdiff: zunionInterDiffGetKeys,
  zintercard: zunionInterDiffGetKeys,
  sintercard: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  eval: evalGetKeys,
  evalsha: evalGetKeys,
  eval_ro: evalGetKeys,
  evalsha_ro: evalGetKeys,
  fcall: evalGetKeys, // functionGetKeys: same layout as EVAL
  fcall_ro: evalGetKeys,
  lmpop: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  zmpop: (argv) => genericGetKeys(0, 1, 2, 1, argv),
  blmpop: (argv) => genericGetKeys(0, 2, 3, 1, argv),
  bzmpop: (argv) => genericGetKeys(0, 2, 3, 1, argv), // Redis wires BZMPOP to blmpopGetKeys
}

/** Names of the commands whose keys need a getkeys proc (for tests and docs). */
export const GETKEYS_PROC_COMMANDS: readonly string[] = Object.keys(GETKEYS_PROCS).sort()

function convertBeginSearch(bs: RawBeginSearch): BeginSearch {
  switch (bs[0]) {
    case 'index':
      return { type: 'index', index: bs[1] }
    case 'keyword':
      return { type: 'keyword', keyword: bs[1], startFrom: bs[2] }
    default:
      return { type: 'unknown' }
  }
}

function convertFindKeys(fk: RawFindKeys): FindKeys {
  switch (fk[0]) {
    case 'range':
      return { type: 'range', lastKey: fk[1], keyStep: fk[2], limit: fk[3] }
    case 'keynum':
      return { type: 'keynum', keyNumIdx: fk[1], firstKey: fk[2], keyStep: fk[3] }
    default:
      return { type: 'unknown' }
  }
}

function convertKeySpec(ks: RawKeySpec): KeySpec {
  return {
    ...(ks.notes !== undefined && { notes: ks.notes }),
    flags: ks.f,
    flagBits: keyFlagBits(ks.f),
    beginSearch: convertBeginSearch(ks.bs),
    findKeys: convertFindKeys(ks.fk),
  }
}

function convertArg(a: RawArg): CommandArg {
  return {
    name: a.n,
    type: a.t,
    ...(a.ki !== undefined && { keySpecIndex: a.ki }),
    ...(a.tok !== undefined && { token: a.tok }),
    ...(a.s !== undefined && { summary: a.s }),
    ...(a.v !== undefined && { since: a.v }),
    ...(a.f !== undefined && { flags: a.f }),
    ...(a.ds !== undefined && { deprecatedSince: a.ds }),
    ...(a.args !== undefined && { arguments: a.args.map(convertArg) }),
  }
}

interface MutableMeta extends Omit<CommandMeta, 'subcommands' | 'parent' | 'hasKeys'> {
  parent?: CommandMeta
  subcommands?: CommandMeta[]
  hasKeys: boolean
}

function convertCommand(raw: RawCommand, parent: CommandMeta | undefined): CommandMeta {
  const d = raw.d
  const docs: CommandDocs = {
    summary: d.s,
    since: d.v,
    group: d.g,
    ...(d.x !== undefined && { complexity: d.x }),
    ...(d.df !== undefined && { docFlags: d.df }),
    ...(d.ds !== undefined && { deprecatedSince: d.ds }),
    ...(d.rb !== undefined && { replacedBy: d.rb }),
    ...(d.h !== undefined && { history: d.h }),
    ...(d.args !== undefined && { arguments: d.args.map(convertArg) }),
  }
  const keySpecs = (raw.ks ?? []).map(convertKeySpec)
  const bar = raw.n.indexOf('|')
  const meta: MutableMeta = {
    fullName: raw.n,
    name: bar < 0 ? raw.n : raw.n.slice(bar + 1),
    arity: raw.a,
    flags: raw.f,
    firstKey: raw.k[0],
    lastKey: raw.k[1],
    keyStep: raw.k[2],
    aclCategories: raw.c,
    tips: raw.t ?? [],
    keySpecs,
    group: d.g,
    since: d.v,
    summary: d.s,
    ...(d.x !== undefined && { complexity: d.x }),
    docs,
    isContainer: raw.sub !== undefined,
    hasGetKeysProc: Object.prototype.hasOwnProperty.call(GETKEYS_PROCS, raw.n),
    hasKeys: false,
  }
  meta.hasKeys = meta.hasGetKeysProc || keySpecs.some((s) => (s.flagBits & KEY_FLAG.not_key) === 0)
  if (parent) meta.parent = parent
  if (raw.sub) meta.subcommands = raw.sub.map((s) => convertCommand(s, meta as CommandMeta))
  return meta as CommandMeta
}

const TOP: readonly CommandMeta[] = COMMANDS.map((c) => convertCommand(c, undefined))
const BY_NAME = new Map<string, CommandMeta>()
const ALL: CommandMeta[] = []
for (const c of TOP) {
  BY_NAME.set(c.fullName, c)
  ALL.push(c)
  for (const s of c.subcommands ?? []) {
    BY_NAME.set(s.fullName, s)
    ALL.push(s)
  }
}
const ALL_NAMES: readonly string[] = ALL.map((c) => c.fullName)

// Command names are ASCII; Redis compares them with strcasecmp (ASCII only).
function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s
}

// ---------------------------------------------------------------------------
// Lookup
// ---------------------------------------------------------------------------

/** Metadata of a command or subcommand by full name ('get', 'CONFIG|GET'); case-insensitive. */
export function getCommandMeta(fullName: string): CommandMeta | undefined {
  return BY_NAME.get(asciiLower(fullName))
}

/** Every full name in the table: each top-level command followed by its subcommands. */
export function allCommandNames(): readonly string[] {
  return ALL_NAMES
}

/** The top-level commands, sorted by name. */
export function topLevelCommands(): readonly CommandMeta[] {
  return TOP
}

const everything: IsImplemented = () => true

/**
 * Redis's lookupCommandBySds, used by COMMAND INFO / COMMAND DOCS: 'name' or
 * 'container|sub' (one level only; a '|' after a non-container finds nothing).
 */
export function lookupCommandByFullName(name: string, isImplemented: IsImplemented = everything): CommandMeta | undefined {
  const parts = name.split('|')
  if (parts.length > 2) return undefined
  const base = BY_NAME.get(asciiLower(parts[0]))
  if (!base || base.fullName.includes('|')) return undefined
  let found: CommandMeta | undefined = base
  if (parts.length === 2) {
    if (!base.isContainer) return undefined
    found = BY_NAME.get(base.fullName + '|' + asciiLower(parts[1]))
    if (found?.parent !== base) return undefined
  }
  return found && isImplemented(found.fullName) ? found : undefined
}

/**
 * Redis's lookupCommand for an argument vector: the command, or its subcommand when
 * the command is a container and a second argument follows (an unknown subcommand
 * finds nothing). A container given alone is returned itself.
 */
export function lookupCommandMeta(argv: readonly string[], isImplemented: IsImplemented = everything): CommandMeta | undefined {
  if (argv.length === 0) return undefined
  const base = BY_NAME.get(asciiLower(argv[0]))
  if (!base || base.parent || !isImplemented(base.fullName)) return undefined
  if (argv.length === 1 || !base.isContainer) return base
  const sub = BY_NAME.get(base.fullName + '|' + asciiLower(argv[1]))
  return sub && sub.parent === base && isImplemented(sub.fullName) ? sub : undefined
}

// ---------------------------------------------------------------------------
// COMMAND INFO
// ---------------------------------------------------------------------------

const EMPTY_SET = set([])
const EMPTY_MAP = map([])
const B = {
  notes: bulk('notes'),
  flags: bulk('flags'),
  beginSearch: bulk('begin_search'),
  findKeys: bulk('find_keys'),
  type: bulk('type'),
  spec: bulk('spec'),
  index: bulk('index'),
  keyword: bulk('keyword'),
  startfrom: bulk('startfrom'),
  unknown: bulk('unknown'),
  range: bulk('range'),
  keynum: bulk('keynum'),
  lastkey: bulk('lastkey'),
  keystep: bulk('keystep'),
  limit: bulk('limit'),
  keynumidx: bulk('keynumidx'),
  firstkey: bulk('firstkey'),
}

function statusSet(names: readonly string[]): Reply {
  return names.length === 0 ? EMPTY_SET : set(names.map(status))
}

function beginSearchReply(bs: BeginSearch): Reply {
  switch (bs.type) {
    case 'index':
      return map([B.type, B.index, B.spec, map([B.index, integer(bs.index)])])
    case 'keyword':
      return map([B.type, B.keyword, B.spec, map([B.keyword, bulk(bs.keyword), B.startfrom, integer(bs.startFrom)])])
    case 'unknown':
      return map([B.type, B.unknown, B.spec, EMPTY_MAP])
  }
}

function findKeysReply(fk: FindKeys): Reply {
  switch (fk.type) {
    case 'range':
      return map([
        B.type, B.range, B.spec,
        map([B.lastkey, integer(fk.lastKey), B.keystep, integer(fk.keyStep), B.limit, integer(fk.limit)]),
      ])
    case 'keynum':
      return map([
        B.type, B.keynum, B.spec,
        map([B.keynumidx, integer(fk.keyNumIdx), B.firstkey, integer(fk.firstKey), B.keystep, integer(fk.keyStep)]),
      ])
    case 'unknown':
      return map([B.type, B.unknown, B.spec, EMPTY_MAP])
  }
}

/** addReplyCommandKeySpecs: one map per spec (notes only when the spec has them). */
function keySpecReply(ks: KeySpec): Reply {
  const items: Reply[] = []
  if (ks.notes !== undefined) items.push(B.notes, bulk(ks.notes))
  items.push(B.flags, statusSet(ks.flags), B.beginSearch, beginSearchReply(ks.beginSearch), B.findKeys, findKeysReply(ks.findKeys))
  return map(items)
}

const infoCache = new WeakMap<CommandMeta, Reply>()

/**
 * addReplyCommandInfo: the 10-element COMMAND INFO entry of a command (nil for
 * undefined). A container lists only its implemented subcommands.
 */
export function commandInfoReply(meta: CommandMeta | undefined, isImplemented: IsImplemented): Reply {
  if (!meta) return NULL
  const cached = infoCache.get(meta)
  if (cached && !meta.subcommands) return cached
  const head: Reply[] = [
    bulk(meta.fullName),
    integer(meta.arity),
    statusSet(meta.flags),
    integer(meta.firstKey),
    integer(meta.lastKey),
    integer(meta.keyStep),
    statusSet(meta.aclCategories.map((c) => '@' + c)),
    meta.tips.length === 0 ? EMPTY_SET : set(meta.tips.map(bulk)),
    meta.keySpecs.length === 0 ? EMPTY_SET : set(meta.keySpecs.map(keySpecReply)),
  ]
  if (!meta.subcommands) {
    // Not a container: Redis sends an empty set in place of the subcommand array.
    const reply = array([...head, EMPTY_SET])
    infoCache.set(meta, reply)
    return reply
  }
  const subs = meta.subcommands.filter((s) => isImplemented(s.fullName)).map((s) => commandInfoReply(s, isImplemented))
  return array([...head, array(subs)])
}

/**
 * COMMAND INFO [name ...] (and COMMAND, which is COMMAND INFO with no names): every
 * implemented top-level command when `names` is empty, else one entry per name (nil for
 * unknown or unimplemented ones; 'container|sub' names a subcommand).
 */
export function commandInfoListReply(names: readonly string[], isImplemented: IsImplemented): Reply {
  if (names.length === 0) {
    return array(TOP.filter((c) => isImplemented(c.fullName)).map((c) => commandInfoReply(c, isImplemented)))
  }
  return array(names.map((n) => commandInfoReply(lookupCommandByFullName(n, isImplemented), isImplemented)))
}

// ---------------------------------------------------------------------------
// COMMAND DOCS
// ---------------------------------------------------------------------------

const D = {
  summary: bulk('summary'),
  since: bulk('since'),
  group: bulk('group'),
  complexity: bulk('complexity'),
  docFlags: bulk('doc_flags'),
  deprecatedSince: bulk('deprecated_since'),
  replacedBy: bulk('replaced_by'),
  history: bulk('history'),
  arguments: bulk('arguments'),
  subcommands: bulk('subcommands'),
  name: bulk('name'),
  type: bulk('type'),
  keySpecIndex: bulk('key_spec_index'),
  token: bulk('token'),
  flags: bulk('flags'),
}

/** addReplyCommandArgList: an array of argument maps (fields in Redis's order). */
function argsReply(args: readonly CommandArg[]): Reply {
  return array(
    args.map((a) => {
      const items: Reply[] = [D.name, bulk(a.name), D.type, bulk(a.type)]
      if (a.keySpecIndex !== undefined) items.push(D.keySpecIndex, integer(a.keySpecIndex))
      if (a.token !== undefined) items.push(D.token, bulk(a.token))
      if (a.summary !== undefined) items.push(D.summary, bulk(a.summary))
      if (a.since !== undefined) items.push(D.since, bulk(a.since))
      if (a.flags !== undefined) items.push(D.flags, statusSet(a.flags))
      if (a.deprecatedSince !== undefined) items.push(D.deprecatedSince, bulk(a.deprecatedSince))
      if (a.arguments !== undefined) items.push(D.arguments, argsReply(a.arguments))
      return map(items)
    }),
  )
}

const docsCache = new WeakMap<CommandMeta, readonly Reply[]>()

/** The doc map fields before 'subcommands' (cached: they never depend on the registry). */
function docFields(meta: CommandMeta): readonly Reply[] {
  const cached = docsCache.get(meta)
  if (cached) return cached
  const d = meta.docs
  const items: Reply[] = [D.summary, bulk(d.summary), D.since, bulk(d.since), D.group, bulk(d.group)]
  if (d.complexity !== undefined) items.push(D.complexity, bulk(d.complexity))
  if (d.docFlags !== undefined) items.push(D.docFlags, statusSet(d.docFlags))
  if (d.deprecatedSince !== undefined) items.push(D.deprecatedSince, bulk(d.deprecatedSince))
  if (d.replacedBy !== undefined) items.push(D.replacedBy, bulk(d.replacedBy))
  if (d.history !== undefined) {
    items.push(D.history, set(d.history.map(([since, changes]) => array([bulk(since), bulk(changes)]))))
  }
  if (d.arguments !== undefined) items.push(D.arguments, argsReply(d.arguments))
  docsCache.set(meta, items)
  return items
}

/**
 * addReplyCommandDocs: the COMMAND DOCS map of one command. A container's
 * 'subcommands' map lists only its implemented subcommands.
 */
export function commandDocsReply(meta: CommandMeta, isImplemented: IsImplemented): Reply {
  const items = [...docFields(meta)]
  if (meta.subcommands) {
    const subs: Reply[] = []
    for (const s of meta.subcommands) {
      if (isImplemented(s.fullName)) subs.push(bulk(s.fullName), commandDocsReply(s, isImplemented))
    }
    items.push(D.subcommands, map(subs))
  }
  return map(items)
}

/**
 * COMMAND DOCS [name ...]: a map of full name -> docs, for every implemented top-level
 * command when `names` is empty, else for each name found (unknown names are skipped;
 * a repeated name repeats its entry, as Redis does).
 */
export function commandDocsListReply(names: readonly string[], isImplemented: IsImplemented): Reply {
  const items: Reply[] = []
  const metas =
    names.length === 0
      ? TOP.filter((c) => isImplemented(c.fullName))
      : names.map((n) => lookupCommandByFullName(n, isImplemented)).filter((m) => m !== undefined)
  for (const m of metas) items.push(bulk(m.fullName), commandDocsReply(m, isImplemented))
  return map(items)
}

// ---------------------------------------------------------------------------
// COMMAND LIST / COMMAND COUNT
// ---------------------------------------------------------------------------

/**
 * COMMAND LIST's FILTERBY. `pattern` takes the caller's glob matcher (Redis's
 * stringmatchlen with nocase=1 against the full name). No built-in command belongs to
 * a module, so a module filter always lists nothing.
 */
export type CommandListFilter =
  | { readonly type: 'module'; readonly name: string }
  | { readonly type: 'aclcat'; readonly category: string }
  | { readonly type: 'pattern'; readonly match: (fullName: string) => boolean }

function keepForList(meta: CommandMeta, filter: CommandListFilter | undefined): boolean {
  if (!filter) return true
  switch (filter.type) {
    case 'module':
      return false
    case 'aclcat':
      // ACLGetCommandCategoryFlagByName is case-insensitive; an unknown category
      // matches nothing, and a command only carries known ones.
      return meta.aclCategories.includes(asciiLower(filter.category))
    case 'pattern':
      return filter.match(meta.fullName)
  }
}

/** COMMAND LIST [FILTERBY ...]: full names, each command followed by its subcommands. */
export function commandListReply(isImplemented: IsImplemented, filter?: CommandListFilter): Reply {
  const out: Reply[] = []
  for (const c of TOP) {
    if (!isImplemented(c.fullName)) continue
    if (keepForList(c, filter)) out.push(bulk(c.fullName))
    for (const s of c.subcommands ?? []) {
      if (isImplemented(s.fullName) && keepForList(s, filter)) out.push(bulk(s.fullName))
    }
  }
  return array(out)
}

/** COMMAND COUNT: the number of implemented top-level commands. */
export function commandCountReply(isImplemented: IsImplemented): Reply {
  let n = 0
  for (const c of TOP) if (isImplemented(c.fullName)) n++
  return integer(n)
}

// ---------------------------------------------------------------------------
// Key extraction (db.c)
// ---------------------------------------------------------------------------

/** A key argument: its index in argv (argv[0] is the command name) and access flags. */
export interface KeyRef {
  readonly pos: number
  /** KEY_FLAG bits (0 for keys found by procs that do not report flags). */
  readonly flags: number
}

export interface KeySearchOptions {
  /**
   * Also return not_key specs (the shard channels of SPUBLISH / SSUBSCRIBE /
   * SUNSUBSCRIBE), for cluster routing. Redis 7.0 routes those by their legacy key range;
   * its GET_KEYSPEC_INCLUDE_NOT_KEYS alone would find nothing for a command whose only
   * specs are not_key, so this option also lets such specs be used.
   */
  readonly includeNotKeys?: boolean
  /** GET_KEYSPEC_RETURN_PARTIAL: skip invalid / incomplete specs instead of failing. */
  readonly returnPartial?: boolean
}

type GetKeysProc = (argv: readonly string[]) => KeyRef[]

const eqi = (a: string, lowerB: string) => a.length === lowerB.length && asciiLower(a) === lowerB

/** C atoi: leading whitespace, a sign, digits; the long result truncated to int. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  if (!m) return 0
  let v = BigInt(m[1])
  const max = (1n << 63n) - 1n
  if (v > max) v = max
  if (v < -max - 1n) v = -max - 1n
  return Number(BigInt.asIntN(32, v))
}

/** util.c string2ll: strict decimal int64 (no spaces, no leading zeros, no '+'). */
function string2ll(s: string): bigint | undefined {
  if (s.length === 0 || s.length >= 21) return undefined
  if (s === '0') return 0n
  const m = /^(-?)([1-9]\d*)$/.exec(s)
  if (!m) return undefined
  const v = BigInt(m[1] + m[2])
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return undefined
  return v
}

/** getKeysUsingKeySpecs: the keys the specs describe, or -1 when a spec cannot be applied. */
function keysFromSpecs(meta: CommandMeta, argv: readonly string[], opts: KeySearchOptions): KeyRef[] | -1 {
  const argc = argv.length
  const keys: KeyRef[] = []
  for (const spec of meta.keySpecs) {
    if (spec.flagBits & KEY_FLAG.not_key && !opts.includeNotKeys) continue
    let invalid = false
    let first = 0
    let last = 0
    let step = 1
    const bs = spec.beginSearch
    if (bs.type === 'index') {
      first = bs.index
    } else if (bs.type === 'keyword') {
      // Forward from startfrom up to (not including) the last argument, or backward
      // from argc+startfrom down to (not including) argv[1].
      const start = bs.startFrom > 0 ? bs.startFrom : argc + bs.startFrom
      const end = bs.startFrom > 0 ? argc - 1 : 1
      const kw = asciiLower(bs.keyword)
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break
        if (eqi(argv[i], kw)) {
          first = i + 1
          break
        }
      }
      if (!first) continue
    } else {
      invalid = true
    }
    const fk = spec.findKeys
    if (!invalid) {
      if (fk.type === 'range') {
        step = fk.keyStep
        if (fk.lastKey >= 0) last = first + fk.lastKey
        else if (!fk.limit) last = argc + fk.lastKey
        else last = first + (Math.trunc((argc - first) / fk.limit) + fk.lastKey)
      } else if (fk.type === 'keynum') {
        step = fk.keyStep
        const idx = first + fk.keyNumIdx
        const numkeys = fk.keyNumIdx >= argc || idx >= argc ? undefined : string2ll(argv[idx])
        if (numkeys === undefined || numkeys < 0n) {
          invalid = true
        } else {
          first += fk.firstKey
          last = first + Number(BigInt.asIntN(32, numkeys)) - 1 // C: (int)numkeys
        }
      } else {
        invalid = true
      }
    }
    if (!invalid && (last >= argc || last < first || first >= argc)) invalid = true
    if (!invalid) {
      for (let i = first; i <= last; i += step) {
        // Built-ins with a fixed arity are checked before this; variadic ones skip.
        if (i >= argc || i < first) continue
        keys.push({ pos: i, flags: spec.flagBits })
      }
      if (spec.flagBits & KEY_FLAG.incomplete) invalid = true
    }
    if (invalid) {
      if (opts.returnPartial) continue
      return -1
    }
  }
  return keys
}

/**
 * getKeysFromCommandWithSpecs: the key arguments of `argv` for `meta` (argv[0] is the
 * command name, argv[1] the subcommand for subcommands). This is what dispatch, ACL
 * key checks, cluster routing and client tracking use. Key specs decide when they are
 * reliable; otherwise the command's getkeys proc does. Returns [] when no key is found
 * or the arguments do not fit (the command reports its own error then).
 */
export function extractKeys(meta: CommandMeta, argv: readonly string[], opts: KeySearchOptions = {}): KeyRef[] {
  let anyRealKey = false
  let varFlags = false
  for (const s of meta.keySpecs) {
    if (!(s.flagBits & KEY_FLAG.not_key) || opts.includeNotKeys) anyRealKey = true
    if (s.flagBits & KEY_FLAG.variable_flags) varFlags = true
  }
  if (anyRealKey && !varFlags) {
    const keys = keysFromSpecs(meta, argv, opts)
    if (keys !== -1) return keys
  }
  const proc = GETKEYS_PROCS[meta.fullName]
  return proc ? proc(argv) : []
}

const ERR_INVALID_COMMAND = 'ERR Invalid command specified'
const ERR_NO_KEYS = 'ERR The command has no key arguments'
const ERR_BAD_ARITY = 'ERR Invalid number of arguments specified for command'
const ERR_BAD_ARGS = 'ERR Invalid arguments specified for command'

/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS for a looked-up command (getKeysSubcommandImpl after
 * the lookup): the key positions with flags, or the error Redis replies with.
 */
export function getKeysFromCommand(meta: CommandMeta, argv: readonly string[]): KeyRef[] | { readonly error: string } {
  if (!meta.hasKeys) return { error: ERR_NO_KEYS }
  const argc = argv.length
  if ((meta.arity > 0 && meta.arity !== argc) || argc < -meta.arity) return { error: ERR_BAD_ARITY }
  const keys = extractKeys(meta, argv)
  if (keys.length === 0) {
    return meta.flags.includes('no_mandatory_keys') ? [] : { error: ERR_BAD_ARGS }
  }
  return keys
}

/**
 * The whole reply of COMMAND GETKEYS (withFlags false) or COMMAND GETKEYSANDFLAGS
 * (withFlags true) for `argv`, the command to analyse (what follows the subcommand).
 */
export function commandGetKeysReply(argv: readonly string[], withFlags: boolean, isImplemented: IsImplemented): Reply {
  const meta = lookupCommandMeta(argv, isImplemented)
  if (!meta) return error(ERR_INVALID_COMMAND)
  const keys = getKeysFromCommand(meta, argv)
  if ('error' in keys) return error(keys.error)
  return array(
    keys.map((k) =>
      withFlags ? array([bulk(argv[k.pos]), statusSet(keyFlagNames(k.flags))]) : bulk(argv[k.pos]),
    ),
  )
}

// ---------------------------------------------------------------------------
// getkeys procs (db.c), for commands whose key specs cannot describe the keys
// ---------------------------------------------------------------------------

/**
 * genericGetKeys: [destkey] <numkeys> <key> ... : keys from firstKeyOfs, then the
 * destination (flags are not reported: these commands' specs carry them).
 */
function genericGetKeys(storeKeyOfs: number, keyCountOfs: number, firstKeyOfs: number, keyStep: number, argv: readonly string[]): KeyRef[] {
  if (keyCountOfs >= argv.length) return []
  const num = atoi(argv[keyCountOfs])
  if (num < 1 || num > Math.trunc((argv.length - firstKeyOfs) / keyStep)) return []
  const keys: KeyRef[] = []
  for (let i = 0; i < num; i++) keys.push({ pos: firstKeyOfs + i * keyStep, flags: 0 })
  if (storeKeyOfs) keys.push({ pos: storeKeyOfs, flags: 0 })
  return keys
}

function zunionInterDiffStoreGetKeys(argv: readonly string[]): KeyRef[] {
  return genericGetKeys(1, 2, 3, 1, argv)
}

function zunionInterDiffGetKeys(argv: readonly string[]): KeyRef[] {
  return genericGetKeys(0, 1, 2, 1, argv)
}

function evalGetKeys(argv: readonly string[]): KeyRef[] {
  return genericGetKeys(0, 2, 3, 1, argv)
}

/** sortROGetKeys: only the sorted key (BY/GET patterns name keys only at run time). */
function sortROGetKeys(): KeyRef[] {
  return [{ pos: 1, flags: KEY_FLAG.RO | KEY_FLAG.access }]
}

/**
 * sortGetKeys: the sorted key plus the last STORE destination. Options are skipped by
 * their argument count (LIMIT 2, GET 1, BY 1, others 0); after a STORE the scan
 * continues at the destination itself, as Redis's does.
 */
function sortGetKeys(argv: readonly string[]): KeyRef[] {
  const keys: KeyRef[] = [{ pos: 1, flags: KEY_FLAG.RO | KEY_FLAG.access }]
  let store = -1
  const skips: ReadonlyArray<readonly [string, number]> = [['limit', 2], ['get', 1], ['by', 1]]
  for (let i = 2; i < argv.length; i++) {
    for (const [name, skip] of skips) {
      if (eqi(argv[i], name)) {
        i += skip
        break
      } else if (eqi(argv[i], 'store') && i + 1 < argv.length) {
        store = i + 1
        break
      }
    }
  }
  if (store >= 0) keys.push({ pos: store, flags: KEY_FLAG.OW | KEY_FLAG.update })
  return keys
}

/** migrateGetKeys: argv[3], or everything after KEYS when the key argument is empty. */
function migrateGetKeys(argv: readonly string[]): KeyRef[] {
  const argc = argv.length
  let first = 3
  let num = 1
  const skipKeywords: ReadonlyArray<readonly [string, number]> = [['copy', 0], ['replace', 0], ['auth', 1], ['auth2', 2]]
  if (argc > 6) {
    for (let i = 6; i < argc; i++) {
      if (eqi(argv[i], 'keys')) {
        if (argv[3].length > 0) {
          num = 0 // a syntax error migrateCommand reports
        } else {
          first = i + 1
          num = argc - first
        }
        break
      }
      for (const [name, skip] of skipKeywords) {
        if (eqi(argv[i], name)) {
          i += skip
          break
        }
      }
    }
  }
  const keys: KeyRef[] = []
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: KEY_FLAG.RW | KEY_FLAG.access | KEY_FLAG.delete })
  return keys
}

/** georadiusGetKeys: the key and the last STORE / STOREDIST destination (no flags). */
function georadiusGetKeys(argv: readonly string[]): KeyRef[] {
  let stored = -1
  for (let i = 5; i < argv.length; i++) {
    if ((eqi(argv[i], 'store') || eqi(argv[i], 'storedist')) && i + 1 < argv.length) {
      stored = i + 1
      i++
    }
  }
  const keys: KeyRef[] = [{ pos: 1, flags: 0 }]
  if (stored >= 0) keys.push({ pos: stored, flags: 0 })
  return keys
}

/**
 * xreadGetKeys: parse the options up to the real STREAMS token (a group or key may be
 * named "streams"); half of what follows are keys, the rest IDs.
 */
function xreadGetKeys(argv: readonly string[]): KeyRef[] {
  const argc = argv.length
  let streamsPos = -1
  for (let i = 1; i < argc; i++) {
    const a = asciiLower(argv[i])
    if (a === 'block' || a === 'count') i++
    else if (a === 'group') i += 2
    else if (a === 'noack') continue
    else if (a === 'streams') {
      streamsPos = i
      break
    } else break
  }
  if (streamsPos === -1) return []
  let num = argc - streamsPos - 1
  if (num === 0 || num % 2 !== 0) return []
  num /= 2
  const keys: KeyRef[] = []
  for (let i = streamsPos + 1; i < argc - num; i++) keys.push({ pos: i, flags: 0 })
  return keys
}

/** setGetKeys: the key is read too when a GET option follows the value. */
function setGetKeys(argv: readonly string[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    if (eqi(argv[i], 'get')) return [{ pos: 1, flags: KEY_FLAG.RW | KEY_FLAG.access | KEY_FLAG.update }]
  }
  return [{ pos: 1, flags: KEY_FLAG.OW | KEY_FLAG.update }]
}

/** bitfieldGetKeys: read-only when every operation is a GET (OVERFLOW allowed). */
function bitfieldGetKeys(argv: readonly string[]): KeyRef[] {
  const argc = argv.length
  let readonly = true
  for (let i = 2; i < argc; i++) {
    const remargs = argc - i - 1
    const a = asciiLower(argv[i])
    if (a === 'get' && remargs >= 2) {
      i += 2
    } else if ((a === 'set' || a === 'incrby') && remargs >= 3) {
      readonly = false
      break
    } else if (a === 'overflow' && remargs >= 1) {
      i += 1
    } else {
      readonly = false // a syntax error: assume it writes
      break
    }
  }
  const flags = readonly ? KEY_FLAG.RO | KEY_FLAG.access : KEY_FLAG.RW | KEY_FLAG.access | KEY_FLAG.update
  return [{ pos: 1, flags }]
}
