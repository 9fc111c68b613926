import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reply } from '../protocol/reply.ts'
import { encodeReply } from '../protocol/encoder.ts'
import { RespConnection, itemsOf, startRedis, textOf, type RedisProcess } from '../../scripts/gen-command-table.ts'
import {
  GETKEYS_PROC_COMMANDS,
  KEY_FLAG,
  allCommandNames,
  commandCountReply,
  commandDocsListReply,
  commandDocsReply,
  commandGetKeysReply,
  commandInfoListReply,
  commandInfoReply,
  commandListReply,
  extractKeys,
  getCommandMeta,
  getKeysFromCommand,
  keyFlagNames,
  lookupCommandByFullName,
  lookupCommandMeta,
  topLevelCommands,
  type IsImplemented,
} from './command-metadata.ts'

const all: IsImplemented = () => true
const latin1 = (b: Uint8Array) => {
  let s = ''
  for (const x of b) s += String.fromCharCode(x)
  return s
}
const enc = (r: Reply, resp: 2 | 3) => latin1(encodeReply(r, resp))
const meta = (name: string) => {
  const m = getCommandMeta(name)
  if (!m) throw new Error(`no meta for ${name}`)
  return m
}

// ---------------------------------------------------------------------------
// The table itself (no server needed)
// ---------------------------------------------------------------------------

describe('command table', () => {
  it('holds every Redis 7.0.15 command and subcommand', () => {
    expect(topLevelCommands()).toHaveLength(240)
    expect(allCommandNames()).toHaveLength(366)
    expect(allCommandNames().filter((n) => n.includes('|'))).toHaveLength(126)
    expect(getCommandMeta('sentinel')).toBeUndefined() // not served outside sentinel mode
  })

  it('parses the facts dispatch needs', () => {
    const get = meta('GET')
    expect(get.fullName).toBe('get')
    expect(get.arity).toBe(2)
    expect(get.flags).toEqual(['readonly', 'fast'])
    expect([get.firstKey, get.lastKey, get.keyStep]).toEqual([1, 1, 1])
    expect(get.aclCategories).toEqual(['read', 'string', 'fast'])
    expect(get.group).toBe('string')
    expect(get.isContainer).toBe(false)
    expect(get.keySpecs).toEqual([
      {
        flags: ['RO', 'access'],
        flagBits: KEY_FLAG.RO | KEY_FLAG.access,
        beginSearch: { type: 'index', index: 1 },
        findKeys: { type: 'range', lastKey: 0, keyStep: 1, limit: 0 },
      },
    ])

    const cfg = meta('config')
    expect(cfg.isContainer).toBe(true)
    expect(cfg.subcommands!.map((s) => s.fullName)).toEqual([
      'config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set',
    ])
    const cget = meta('Config|Get')
    expect(cget.name).toBe('get')
    expect(cget.parent).toBe(cfg)
    expect(cget.arity).toBe(-3)
    expect(cget.docs.history).toEqual([['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']])

    const xread = meta('xread')
    expect(xread.keySpecs[0].beginSearch).toEqual({ type: 'keyword', keyword: 'STREAMS', startFrom: 1 })
    expect(xread.keySpecs[0].findKeys).toEqual({ type: 'range', lastKey: -1, keyStep: 1, limit: 2 })
    expect(meta('sort').keySpecs[1].notes).toMatch(/BY\/GET/)
    expect(meta('zrangebyscore').docs.docFlags).toEqual(['deprecated'])
    expect(meta('zrangebyscore').docs.replacedBy).toBe('`ZRANGE` with the `BYSCORE` argument')
  })

  it('has a getkeys proc exactly where Redis 7.0.15 does', () => {
    expect(GETKEYS_PROC_COMMANDS).toEqual([
      'bitfield', 'blmpop', 'bzmpop', 'eval', 'eval_ro', 'evalsha', 'evalsha_ro', 'fcall', 'fcall_ro', 'georadius',
      'georadiusbymember', 'lmpop', 'migrate', 'set', 'sintercard', 'sort', 'sort_ro', 'xread', 'xreadgroup',
      'zdiff', 'zdiffstore', 'zinter', 'zintercard', 'zinterstore', 'zmpop', 'zunion', 'zunionstore',
    ])
    // Every command whose key specs cannot describe its keys has one.
    for (const name of allCommandNames()) {
      const m = meta(name)
      const unreliable = m.keySpecs.some(
        (s) =>
          s.flagBits & (KEY_FLAG.incomplete | KEY_FLAG.variable_flags) ||
          s.beginSearch.type === 'unknown' ||
          s.findKeys.type === 'unknown',
      )
      if (unreliable) expect(m.hasGetKeysProc, name).toBe(true)
    }
  })

  it('looks names up like lookupCommandBySds and lookupCommand', () => {
    expect(lookupCommandByFullName('CONFIG|GET')?.fullName).toBe('config|get')
    expect(lookupCommandByFullName('config')?.fullName).toBe('config')
    for (const bad of ['', '|', '|get', 'get|', 'config|', 'config|get|x', 'config|nosuch', 'nosuch']) {
      expect(lookupCommandByFullName(bad), bad).toBeUndefined()
    }
    expect(lookupCommandMeta(['OBJECT', 'Encoding', 'k'])?.fullName).toBe('object|encoding')
    expect(lookupCommandMeta(['object'])?.fullName).toBe('object')
    expect(lookupCommandMeta(['object', 'nosuch'])).toBeUndefined()
    expect(lookupCommandMeta(['config|get', 'x'])).toBeUndefined()
    expect(lookupCommandMeta(['get', 'a', 'b'])?.fullName).toBe('get')
  })

  it('rebuilds exact RESP2 / RESP3 bytes for GET (as observed from redis-server)', () => {
    const info = commandInfoReply(meta('get'), all)
    const spec3 =
      '%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n' +
      '$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n' +
      '$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n' +
      '$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n'
    expect(enc(info, 3)).toBe(
      '*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n' +
        '~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n' + spec3 + '~0\r\n',
    )
    expect(enc(commandDocsListReply(['get'], all), 2)).toBe(
      '*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n' +
        '$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n*6\r\n' +
        '$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n',
    )
    expect(enc(commandInfoListReply(['nosuch'], all), 2)).toBe('*1\r\n$-1\r\n')
    expect(enc(commandInfoListReply(['nosuch'], all), 3)).toBe('*1\r\n_\r\n')
    expect(enc(commandDocsListReply(['nosuch'], all), 3)).toBe('%0\r\n')
  })

  it('shows only implemented commands and subcommands', () => {
    const impl = new Set(['get', 'config', 'config|get', 'object', 'object|encoding'])
    const isImpl: IsImplemented = (n) => impl.has(n)
    expect(commandCountReply(isImpl)).toEqual({ kind: 'integer', value: 3 })
    expect(commandListReply(isImpl)).toEqual({
      kind: 'array',
      value: ['config', 'config|get', 'get', 'object', 'object|encoding'].map((v) => ({ kind: 'bulk', value: v })),
    })
    const cfg = commandInfoReply(meta('config'), isImpl)
    const subs = itemsOf(cfg)[9]
    expect(subs.kind).toBe('array')
    expect(itemsOf(subs).map((s) => textOf(itemsOf(s)[0]))).toEqual(['config|get'])
    const docs = itemsOf(commandDocsReply(meta('config'), isImpl))
    expect(textOf(docs[docs.length - 2])).toBe('subcommands')
    expect(itemsOf(docs[docs.length - 1]).filter((_, i) => i % 2 === 0).map(textOf)).toEqual(['config|get'])
    expect(enc(commandInfoListReply(['set', 'config|set', 'config|get'], isImpl), 3)).toBe(
      '*3\r\n_\r\n_\r\n' + enc(commandInfoReply(meta('config|get'), isImpl), 3),
    )
    expect(itemsOf(commandInfoListReply([], isImpl))).toHaveLength(3)
    expect(enc(commandGetKeysReply(['set', 'k', 'v'], false, isImpl), 2)).toBe('-ERR Invalid command specified\r\n')
    expect(enc(commandGetKeysReply(['config', 'set', 'k', 'v'], false, isImpl), 2)).toBe(
      '-ERR Invalid command specified\r\n',
    )
    expect(enc(commandGetKeysReply(['object', 'encoding', 'k'], false, isImpl), 2)).toBe('*1\r\n$1\r\nk\r\n')
  })

  it('filters COMMAND LIST by ACL category, pattern and module', () => {
    const names = (r: Reply) => itemsOf(r).map(textOf)
    const read = names(commandListReply(all, { type: 'aclcat', category: 'READ' }))
    expect(read).toContain('get')
    expect(read).toContain('object|encoding')
    expect(read).not.toContain('set')
    expect(names(commandListReply(all, { type: 'aclcat', category: '@read' }))).toEqual([])
    expect(names(commandListReply(all, { type: 'module', name: 'x' }))).toEqual([])
    expect(names(commandListReply(all, { type: 'pattern', match: (n) => n.startsWith('config') }))).toEqual([
      'config', 'config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set',
    ])
  })

  it('extracts keys from key specs and procs', () => {
    const pos = (argv: string[]) => extractKeys(meta(lookupCommandMeta(argv)!.fullName), argv).map((k) => k.pos)
    expect(pos(['mset', 'a', '1', 'b', '2'])).toEqual([1, 3])
    expect(pos(['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'])).toEqual([1, 3, 4])
    expect(pos(['xread', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'])).toEqual([4, 5])
    expect(pos(['sort', 'k', 'BY', 'p', 'STORE', 'd'])).toEqual([1, 5])
    expect(pos(['migrate', 'h', 'p', '', '0', '1', 'KEYS', 'a', 'b'])).toEqual([7, 8])
    expect(pos(['eval', 's', '0'])).toEqual([])
    expect(pos(['object', 'encoding', 'k'])).toEqual([2])
    expect(pos(['spublish', 'ch', 'm'])).toEqual([])
    expect(extractKeys(meta('spublish'), ['spublish', 'ch', 'm'], { includeNotKeys: true }).map((k) => k.pos)).toEqual([1])
    const setKeys = getKeysFromCommand(meta('set'), ['set', 'k', 'v', 'get'])
    expect(Array.isArray(setKeys) && keyFlagNames(setKeys[0].flags)).toEqual(['RW', 'access', 'update'])
    expect(getKeysFromCommand(meta('ping'), ['ping'])).toEqual({ error: 'ERR The command has no key arguments' })
    expect(getKeysFromCommand(meta('get'), ['get'])).toEqual({
      error: 'ERR Invalid number of arguments specified for command',
    })
    expect(getKeysFromCommand(meta('zunionstore'), ['zunionstore', 'd', 'x', 'a'])).toEqual({
      error: 'ERR Invalid arguments specified for command',
    })
  })
})

// ---------------------------------------------------------------------------
// Against a live redis-server 7.0.15
// ---------------------------------------------------------------------------

const haveRedis = spawnSync('redis-server', ['--version'], { encoding: 'latin1' }).status === 0
if (!haveRedis) {
  if (process.env.CI) throw new Error('redis-server is required in CI for command-metadata.test.ts')
  console.warn('command-metadata.test.ts: redis-server not found, skipping the live comparisons')
}

/** Subcommand names, in order, of a parsed COMMAND INFO entry (undefined: not a container). */
function liveInfoSubOrder(live: Reply): string[] | undefined {
  if (live.kind !== 'array' || live.value.length !== 10 || live.value[9].kind !== 'array') return undefined
  return live.value[9].value.map((s) => textOf(itemsOf(s)[0]))
}

/** Our COMMAND INFO entry with its subcommands in the live server's (hash-table) order. */
function alignInfo(ours: Reply, live: Reply): Reply {
  const order = liveInfoSubOrder(live)
  if (!order || ours.kind !== 'array') return ours
  const byName = new Map(itemsOf(ours.value[9]).map((s) => [textOf(itemsOf(s)[0]), s]))
  return { kind: 'array', value: [...ours.value.slice(0, 9), { kind: 'array', value: order.map((n) => byName.get(n)!) }] }
}

/** An array of COMMAND INFO entries put in the live order, each aligned. */
function alignInfoList(ours: Reply, live: Reply): Reply {
  if (ours.kind !== 'array' || live.kind !== 'array') return ours
  const byName = new Map<string, Reply>()
  for (const e of ours.value) if (e.kind === 'array') byName.set(textOf(e.value[0]), e)
  return {
    kind: 'array',
    value: live.value.map((l, i) => {
      if (l.kind !== 'array') return ours.value[i]
      const name = textOf(l.value[0])
      return alignInfo(byName.get(name) ?? ours.value[i], l)
    }),
  }
}

/** A COMMAND DOCS map (name -> docs) put in the live order, 'subcommands' maps too. */
function alignDocsMap(ours: Reply, live: Reply): Reply {
  if (ours.kind !== 'map' || live.kind !== 'map') return ours
  const byName = new Map<string, Reply>()
  for (let i = 0; i < ours.value.length; i += 2) byName.set(textOf(ours.value[i]), ours.value[i + 1])
  const out: Reply[] = []
  for (let i = 0; i < live.value.length; i += 2) {
    const name = textOf(live.value[i])
    const doc = byName.get(name)
    if (!doc) return ours // a mismatch the byte comparison will show
    out.push({ kind: 'bulk', value: name }, alignDoc(doc, live.value[i + 1]))
  }
  return { kind: 'map', value: out }
}

function alignDoc(ours: Reply, live: Reply): Reply {
  if (ours.kind !== 'map' || live.kind !== 'map') return ours
  const v = [...ours.value]
  const last = v.length - 2
  if (last >= 0 && textOf(v[last]) === 'subcommands') {
    v[last + 1] = alignDocsMap(v[last + 1], live.value[live.value.length - 1])
  }
  return { kind: 'map', value: v }
}

describe.skipIf(!haveRedis)('against redis-server 7.0.15', () => {
  let server: RedisProcess
  let r2: RespConnection
  let r3: RespConnection

  beforeAll(async () => {
    server = await startRedis()
    r2 = await RespConnection.open(server.port)
    r3 = await RespConnection.open(server.port)
    await r3.call('HELLO', '3')
  })

  afterAll(async () => {
    r2?.close()
    r3?.close()
    await server?.stop()
  })

  /** The live RESP2 and RESP3 bytes of a command, and its parsed RESP3 reply. */
  async function live(...argv: string[]) {
    const [a, b] = await Promise.all([r2.raw(...argv), r3.send(...argv)])
    return { resp2: a, resp3: b.raw, parsed: b.reply }
  }

  it.each([['get'], ['set'], ['config|get'], ['object'], ['xadd'], ['zadd'], ['config'], ['sort'], ['command'], ['xinfo|stream']])(
    'COMMAND INFO / COMMAND DOCS %s match byte for byte',
    async (name) => {
      const info = await live('COMMAND', 'INFO', name)
      const ours = alignInfoList(commandInfoListReply([name], all), info.parsed)
      expect(enc(ours, 2)).toBe(info.resp2)
      expect(enc(ours, 3)).toBe(info.resp3)

      const docs = await live('COMMAND', 'DOCS', name)
      const oursDocs = alignDocsMap(commandDocsListReply([name], all), docs.parsed)
      expect(enc(oursDocs, 2)).toBe(docs.resp2)
      expect(enc(oursDocs, 3)).toBe(docs.resp3)
    },
  )

  it('matches mixed and odd names (unknown, case, repeated, three levels)', async () => {
    const names = ['NoSuch', 'GET', 'Config|Set', 'config|get|x', 'get|', '', 'CONFIG|SET', 'debug']
    const info = await live('COMMAND', 'INFO', ...names)
    const ours = alignInfoList(commandInfoListReply(names, all), info.parsed)
    expect(enc(ours, 2)).toBe(info.resp2)
    expect(enc(ours, 3)).toBe(info.resp3)
    const docs = await live('COMMAND', 'DOCS', ...names)
    const oursDocs = alignDocsMap(commandDocsListReply(names, all), docs.parsed)
    expect(enc(oursDocs, 2)).toBe(docs.resp2)
    expect(enc(oursDocs, 3)).toBe(docs.resp3)
  })

  it('matches the whole COMMAND and COMMAND DOCS replies', async () => {
    const info = await live('COMMAND')
    const ours = alignInfoList(commandInfoListReply([], all), info.parsed)
    expect(enc(ours, 3)).toBe(info.resp3)
    expect(enc(ours, 2)).toBe(info.resp2)
    const docs = await live('COMMAND', 'DOCS')
    const oursDocs = alignDocsMap(commandDocsListReply([], all), docs.parsed)
    expect(enc(oursDocs, 3)).toBe(docs.resp3)
    expect(enc(oursDocs, 2)).toBe(docs.resp2)
  })

  it('matches COMMAND COUNT and COMMAND LIST (as sets: Redis lists in hash order)', async () => {
    expect(enc(commandCountReply(all), 3)).toBe(await r3.raw('COMMAND', 'COUNT'))
    const names = (r: Reply) => itemsOf(r).map(textOf).sort()
    for (const filter of [[], ['FILTERBY', 'ACLCAT', 'read'], ['FILTERBY', 'ACLCAT', 'KEYSPACE'], ['FILTERBY', 'ACLCAT', 'nope']]) {
      const liveNames = names(await r3.call('COMMAND', 'LIST', ...filter))
      const ours = names(
        commandListReply(all, filter.length ? { type: 'aclcat', category: filter[2] } : undefined),
      )
      expect(ours, filter.join(' ')).toEqual(liveNames)
    }
  })

  /** Compares COMMAND GETKEYS and GETKEYSANDFLAGS for each argv, RESP2 and RESP3. */
  async function compareGetKeys(cases: readonly string[][]): Promise<void> {
    // COMMAND GETKEYS's own arity (-4) is checked by dispatch before our builder runs.
    const minArgs = -meta('command|getkeys').arity - 2
    const pending = cases.filter((argv) => argv.length >= minArgs).flatMap((argv) =>
      (['GETKEYS', 'GETKEYSANDFLAGS'] as const).map(async (sub) => {
        const res = await live('COMMAND', sub, ...argv)
        const ours = commandGetKeysReply(argv, sub === 'GETKEYSANDFLAGS', all)
        const label = `COMMAND ${sub} ${argv.map((a) => JSON.stringify(a)).join(' ')}`
        return { label, want2: res.resp2, got2: enc(ours, 2), want3: res.resp3, got3: enc(ours, 3) }
      }),
    )
    const results = await Promise.all(pending)
    const bad = results.filter((x) => x.want2 !== x.got2 || x.want3 !== x.got3)
    expect(
      bad.slice(0, 30).map((x) => `${x.label}\n  redis: ${JSON.stringify(x.want3)}\n  ours:  ${JSON.stringify(x.got3)}`),
    ).toEqual([])
  }

  it('matches COMMAND GETKEYS / GETKEYSANDFLAGS on hand-picked cases', async () => {
    const cases: string[][] = [
      ['get', 'k'], ['get'], ['get', 'a', 'b'], ['GET', 'k'],
      ['set', 'k', 'v'], ['set', 'k', 'v', 'get'], ['set', 'k', 'v', 'EX', '10', 'GET'], ['set', 'k', 'v', 'getx'],
      ['mset', 'a', '1', 'b', '2'], ['mset', 'a', '1', 'b'], ['del', 'a', 'b', 'c'], ['msetnx', 'a', 'b'],
      ['sort', 'k'], ['sort', 'k', 'store', 'd'], ['sort', 'k', 'by', 'p', 'get', 'g', 'store', 'd', 'limit', '0', '1'],
      ['sort', 'k', 'store', 'limit', '0', '1'], ['sort', 'k', 'store'], ['sort', 'k', 'STORE', 'a', 'STORE', 'b'],
      ['sort_ro', 'k', 'by', 'p'],
      ['eval', 's', '0'], ['eval', 's', '2', 'a', 'b'], ['eval', 's', '2', 'a'], ['eval', 's', 'x', 'a'],
      ['eval', 's', '-1', 'a'], ['eval', 's', '01', 'a'], ['eval', 's', ' 1', 'a'], ['eval', 's', '1abc', 'a'],
      ['evalsha', 's', '1', 'k', 'a'], ['eval_ro', 's', '1', 'k'], ['fcall', 'f', '1', 'k'], ['fcall_ro', 'f', '0'],
      ['zunionstore', 'd', '2', 'a', 'b', 'weights', '1', '2'], ['zunionstore', 'd', '0', 'a'],
      ['zunionstore', 'd', 'x', 'a'], ['zunionstore', 'd', '3', 'a', 'b'], ['zunionstore', 'd', '4294967297', 'a'],
      ['zinterstore', 'd', '1', 'a'], ['zdiffstore', 'd', '2', 'a', 'b'], ['zunion', '2', 'a', 'b'],
      ['zinter', '1', 'a', 'withscores'], ['zdiff', '2', 'a', 'b'], ['zintercard', '2', 'a', 'b', 'limit', '1'],
      ['sintercard', '2', 'a', 'b'], ['sintercard', '0', 'a'],
      ['lmpop', '2', 'a', 'b', 'left'], ['lmpop', '0', 'a', 'left'], ['blmpop', '0', '2', 'a', 'b', 'left'],
      ['bzmpop', '1', '1', 'a', 'min'], ['zmpop', '1', 'a', 'max'],
      ['migrate', 'h', 'p', 'k', '0', '1'], ['migrate', 'h', 'p', '', '0', '1', 'keys', 'a', 'b'],
      ['migrate', 'h', 'p', 'k', '0', '1', 'keys', 'a', 'b'],
      ['migrate', 'h', 'p', '', '0', '1', 'copy', 'replace', 'auth', 'pw', 'keys', 'a'],
      ['migrate', 'h', 'p', '', '0', '1', 'auth2', 'u', 'keys', 'keys', 'a', 'b'],
      ['georadius', 'k', '0', '0', '1', 'm', 'store', 'd'], ['georadius', 'k', '0', '0', '1', 'm', 'storedist', 'd', 'store', 'e'],
      ['georadius', 'k', '0', '0', '1', 'm', 'store'], ['georadius_ro', 'k', '0', '0', '1', 'm'],
      ['georadiusbymember', 'k', 'm', '1', 'km', 'store', 'd'],
      ['geosearchstore', 'd', 's', 'fromlonlat', '0', '0', 'byradius', '1', 'm'],
      ['xread', 'streams', 'a', 'b', '0', '0'], ['xread', 'count', '1', 'block', '0', 'streams', 'a', '0'],
      ['xread', 'streams', 'a', 'b', 'c'], ['xread', 'streams', 'streams', 'streams', '0'], ['xread', 'count', 'streams'],
      ['xreadgroup', 'group', 'g', 'c', 'streams', 'a', '0'], ['xreadgroup', 'group', 'streams', 'streams', 'streams', 'a', '0'],
      ['bitfield', 'k', 'get', 'u8', '0'], ['bitfield', 'k', 'set', 'u8', '0', '1'],
      ['bitfield', 'k', 'overflow', 'wrap', 'get', 'u8', '0'], ['bitfield', 'k', 'incrby', 'u8', '0', '1'],
      ['bitfield', 'k', 'foo'], ['bitfield', 'k'], ['bitfield_ro', 'k', 'get', 'u8', '0'],
      ['memory', 'usage', 'k'], ['object', 'encoding', 'k'], ['object', 'encoding'], ['object'], ['object', 'nosuch', 'k'],
      ['xinfo', 'stream', 'k'], ['xgroup', 'create', 'k', 'g', '0'], ['spublish', 'ch', 'm'], ['ssubscribe', 'a'],
      ['sunsubscribe'], ['publish', 'c', 'm'], ['ping'], ['config', 'get', 'x'], ['config'], ['command'],
      ['lcs', 'a', 'b'], ['rename', 'a', 'b'], ['smove', 'a', 'b', 'm'], ['brpoplpush', 'a', 'b', '0'],
      ['blmove', 'a', 'b', 'left', 'right', '0'], ['pfmerge', 'd', 'a', 'b'], ['pfcount', 'a', 'b'],
      ['bitop', 'and', 'd', 'a', 'b'], ['touch', 'a', 'b'], ['exists', 'a'], ['watch', 'a', 'b'], ['unlink', 'a'],
      ['restore', 'k', '0', 'v'], ['copy', 'a', 'b'], ['debug', 'object', 'k'], ['nosuch', 'a'], ['blpop', 'a', 'b', '0'],
      ['client', 'kill', 'x'], ['xadd', 'k', '*', 'f', 'v'], ['zadd', 'k', '1', 'm'], ['hset', 'h', 'f', 'v'],
    ]
    await compareGetKeys(cases)
  })

  it('matches COMMAND GETKEYS / GETKEYSANDFLAGS on generated argument vectors for every command', async () => {
    // A fixed-seed generator: the words include every keyword a key spec or proc looks for.
    let seed = 0x2545f491
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return (seed >>> 8) % n
    }
    const words = [
      'k', 'a', 'b', '0', '1', '2', '3', '-1', 'x', '', 'STORE', 'storedist', 'STREAMS', 'keys', 'get', 'GET', 'set',
      'by', 'limit', 'count', 'block', 'group', 'noack', 'overflow', 'incrby', 'copy', 'auth', 'auth2', 'weights',
    ]
    const cases: string[][] = []
    for (const name of allCommandNames()) {
      const m = meta(name)
      const head = name.split('|')
      // Commands with keys get many vectors, mostly of a length their arity allows.
      for (let n = 0; n < (m.hasKeys ? 80 : 3); n++) {
        const fixed = m.arity > 0 && rand(10) < 7
        const argc = fixed ? m.arity : rand(3) === 0 ? rand(6) : Math.abs(m.arity) + rand(8)
        const argv = [...head]
        while (argv.length < argc) argv.push(words[rand(words.length)])
        cases.push(argv)
      }
    }
    await compareGetKeys(cases)
  })
})
