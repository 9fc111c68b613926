// The REPL modules against the real redis-cli 7.0.15: the same lines are piped into
// `redis-cli --no-raw` / `--raw` (its repl() reads stdin with the same splitting, repeat,
// HELP and formatting code as at a terminal, minus the prompt), and replayed over a raw
// socket through splitArgs/interpretLine/parseResp/formatCommandReply/helpCommand.
// The two outputs must match byte for byte.
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeOracle, startRedis, type RedisProcess } from '../../test/support/redis-server.ts'
import { connectRaw, toBytes, type RawConn } from '../../test/support/resp-conn.ts'
import { parseResp, type RespValue } from './resp.ts'
import { formatCommandReply, formatPush, type OutputMode } from './format.ts'
import { interpretLine } from './cli.ts'
import { buildHelpTable, completions, helpCommand, hintFor, type HelpTable } from './help.ts'
import { splitArgs } from './split.ts'

const REDIS_CLI = process.env.GLASSBOX_REDIS_CLI ?? '/usr/bin/redis-cli'

const big = Array.from({ length: 105 }, (_, i) => `e${i}`).join(' ')

const CORPUS: string[] = [
  'FLUSHALL',
  'SET k "hello world"',
  'GET k',
  'GET nokey',
  'SET bin "\\x00\\x01\\x7f\\x80\\xff\\xfe\\"\\\\\\n\\r\\t\\a\\b end"',
  'GET bin',
  "SET sq 'it\\'s \"quoted\"'",
  'GET sq',
  'SET utf "héllo 你好 😀"',
  'GET utf',
  'ECHO ""',
  'INCR counter',
  'INCRBYFLOAT f 1.5',
  'RPUSH list a b c d e f g h i j k l',
  'LRANGE list 0 -1',
  'LRANGE nolist 0 -1',
  `RPUSH big ${big}`,
  'LRANGE big 0 -1',
  'HSET h f1 v1 f2 v2 f3 v3',
  'HGETALL h',
  'HGETALL nohash',
  'SADD s m1 m2 m3',
  'SMEMBERS s',
  'SMEMBERS nosuchset',
  'ZADD z 1 a 2.5 b 3 c',
  'ZRANGE z 0 -1 WITHSCORES',
  'ZSCORE z b',
  'ZSCORE z nomember',
  'nosuchcommand foo',
  'GET',
  'LPUSH k x',
  'XADD st 1-1 a 1 b 2',
  'XADD st 2-1 c 3',
  'XRANGE st - +',
  'XINFO STREAM st',
  'CONFIG GET maxmemory',
  'CONFIG GET nosuchparam',
  'MULTI',
  'SET a 1',
  'INCR a',
  'LRANGE list 0 1',
  'EXEC',
  'MULTI',
  'INCR',
  'EXEC',
  'EVAL "return {1,2,{3,\'x\'},{},false,{{}}}" 0',
  'EVAL "return {1,{2,{3,{4,{5}}}}}" 0',
  'EVAL "return {err=\'my error\'}" 0',
  'EVAL "return redis.status_reply(\'FINE\')" 0',
  'EVAL "return 3.99" 0',
  'COMMAND INFO get lpush',
  'COMMAND DOCS get',
  'OBJECT ENCODING list',
  'INFO keyspace',
  'MEMORY DOCTOR',
  'DEBUG PROTOCOL string',
  'DEBUG PROTOCOL integer',
  'DEBUG PROTOCOL double',
  'DEBUG PROTOCOL null',
  'DEBUG PROTOCOL array',
  'DEBUG PROTOCOL set',
  'DEBUG PROTOCOL map',
  'DEBUG PROTOCOL verbatim',
  'DEBUG PROTOCOL true',
  'DEBUG PROTOCOL false',
  'DEBUG PROTOCOL push',
  'CLIENT TRACKING on',
  'GET tracked',
  'SET tracked 1',
  'PING',
  // redis-cli's own handling of lines
  '"unbalanced',
  'ab"cd" ef',
  'GET "x"y',
  '0 PING',
  '-2 PING',
  '"" PING',
  '3 PING',
  '2 INCR counter',
  '3abc PING',
  ':set nosuch',
  ':foo',
  'restart',
  '   ',
  'help get',
  'HELP client list',
  'help client',
  'help @hyperloglog',
  'help @NoSuchGroup',
  'help nosuchcommand',
  '? ping',
  '2 help echo',
  'help',
  'PING "\\x41\\x42" \'\\x41\'',
]

/** The client id differs between the two connections. */
function maskIds(s: string): string {
  return s.replace(/"id" => \(integer\) \d+/g, '"id" => (integer) N').replace(/^id \d+$/gm, 'id N')
}

function runCli(port: number, mode: OutputMode, resp: 2 | 3, lines: readonly string[]): string {
  const input = (resp === 3 ? 'HELLO 3\n' : '') + lines.join('\n') + '\n'
  const out = execFileSync(REDIS_CLI, ['-p', String(port), mode === 'raw' ? '--raw' : '--no-raw', '--show-pushes', 'yes'], {
    input: Buffer.from(input, 'utf8'),
    env: { ...process.env, HOME: '/nonexistent', REDISCLI_HISTFILE: '/dev/null', TERM: 'dumb' },
  })
  return out.toString('latin1')
}

async function runOurs(port: number, mode: OutputMode, resp: 2 | 3, lines: readonly string[], table: HelpTable): Promise<string> {
  const conn: RawConn = await connectRaw(port)
  let out = ''
  try {
    const all = resp === 3 ? ['HELLO 3', ...lines] : lines
    for (const line of all) {
      const { action } = interpretLine(line)
      switch (action.kind) {
        case 'print': out += action.output; break
        case 'help': out += helpCommand(table, action.args); break
        case 'command':
          for (let i = 0; i < action.repeat; i++) {
            conn.send(action.argv)
            while (true) {
              const frame = await conn.readFrame()
              const v: RespValue = parseResp(toBytes(frame))
              if (v.type === 'push') {
                out += formatPush(v, mode)
                continue
              }
              out += formatCommandReply(action.argv, v, mode)
              break
            }
          }
          break
        case 'empty': break
        default: throw new Error(`corpus line ${JSON.stringify(line)} is not handled by this test: ${action.kind}`)
      }
    }
  } finally {
    await conn.close()
  }
  return out
}

describeOracle('repl formatting vs redis-cli 7.0.15', () => {
  let server: RedisProcess
  let table: HelpTable
  beforeAll(async () => {
    server = await startRedis(['--enable-debug-command', 'yes'])
    const c = await connectRaw(server.port)
    table = buildHelpTable(parseResp(toBytes(await c.call(['COMMAND', 'DOCS']))))
    await c.close()
  })
  afterAll(async () => {
    await server?.stop()
  })

  for (const resp of [2, 3] as const) {
    for (const mode of ['tty', 'raw'] as const) {
      it(`RESP${resp} ${mode === 'tty' ? '--no-raw' : '--raw'}: every corpus line prints the same bytes`, async () => {
        const expected = maskIds(runCli(server.port, mode, resp, CORPUS))
        const actual = maskIds(await runOurs(server.port, mode, resp, CORPUS, table))
        // Compare line by line first for a readable diff, then the whole thing.
        expect(actual.split('\n')).toEqual(expected.split('\n'))
        expect(actual).toBe(expected)
      })
    }
  }

  it('HELP output for every command and group matches redis-cli', () => {
    const words = new Set<string>()
    for (const e of table.entries) words.add(e.type === 'group' ? e.full : e.argv[0]!)
    const lines = [...words].map((w) => `help ${w}`)
    const expected = runCli(server.port, 'tty', 2, lines)
    const actual = lines.map((l) => helpCommand(table, splitArgs(l)!.slice(1))).join('')
    expect(actual.split('\r\n')).toEqual(expected.split('\r\n'))
    expect(actual).toBe(expected)
    expect(words.size).toBeGreaterThan(200)
  })

  it('hints and completions match what the real redis-cli drew on a pty (recorded)', () => {
    // Recorded from `redis-cli -p PORT` on a pty (TERM=xterm) against this redis-server.
    expect(hintFor(table, 'get')).toBe(' key')
    expect(hintFor(table, 'get ')).toBe('key')
    expect(hintFor(table, 'get k')).toBe(' ')
    expect(hintFor(table, 'get k ')).toBe('')
    expect(hintFor(table, 'set k v ')).toBe('[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]')
    expect(hintFor(table, 'zadd k')).toBe(' [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]')
    expect(hintFor(table, 'client')).toBe(' ')
    expect(hintFor(table, 'client li')).toBe(' ')
    expect(hintFor(table, 'CLIENT LIST')).toBe(' [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]')
    expect(hintFor(table, 'client caching')).toBe(' YES|NO')
    expect(hintFor(table, 'client caching yes')).toBe(' ')
    expect(hintFor(table, 'subscribe c')).toBe(' [channel ...]')
    expect(hintFor(table, 'ping')).toBe(' [message]')
    expect(hintFor(table, 'select 2')).toBe(' ')
    expect(hintFor(table, 'nosuch')).toBeNull()
    expect(completions(table, 'cl').slice(0, 3)).toEqual(['CLIENT', 'CLIENT CACHING', 'CLIENT GETNAME'])
    expect(completions(table, 'client l')).toEqual(['CLIENT LIST'])
    expect(completions(table, 'help @st')).toEqual(['help @stream', 'help @string'])
    expect(completions(table, 'help  cli')[0]).toBe('help  CLIENT')
    expect(completions(table, 'zz')).toEqual([])
  })
})
