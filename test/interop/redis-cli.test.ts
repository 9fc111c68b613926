// redis-cli against glassbox-server (a child process), with the same
// invocations run against a real redis-server 7.0.15: the output redis-cli
// prints must be identical. Covers commands as arguments, commands on stdin,
// RESP3 (-3), and `--pipe` mass insertion of 100,000 SETs.

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startRedis, type RedisProcess } from '../support/redis-server.ts'
import { describeWithTools, startGlassbox, type GlassboxProcess } from './support.ts'

interface CliResult {
  stdout: string
  stderr: string
  code: number | null
}

describeWithTools('redis-cli', ['redis-cli', 'redis-server'], (tools) => {
  let glassbox: GlassboxProcess
  let redis: RedisProcess
  let tmp: string

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'glassbox-cli-'))
    ;[glassbox, redis] = await Promise.all([startGlassbox(), startRedis()])
  })
  afterAll(async () => {
    await Promise.all([glassbox?.stop(), redis?.stop()])
    rmSync(tmp, { recursive: true, force: true })
  })

  /** Runs redis-cli against `port`; `input` is a string or a file streamed to its stdin. */
  function cli(port: number, args: readonly string[], input?: string | { file: string }): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(tools['redis-cli'], ['-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')))
      child.on('error', reject)
      child.on('close', (code) => resolve({ stdout, stderr, code }))
      if (input === undefined) child.stdin.end()
      else if (typeof input === 'string') child.stdin.end(Buffer.from(input, 'latin1'))
      else createReadStream(input.file).pipe(child.stdin)
    })
  }

  // HELLO's client id counts the connections each server has accepted so far, which differ: only that number is masked.
  const maskClientId = (r: CliResult): CliResult => ({
    ...r,
    stdout: r.stdout.replace(/^(.*\bid"?\s+(?:=> )?(?:\(integer\) )?)\d+$/gm, '$1<id>'),
  })

  /** The same redis-cli run against both servers (each flushed first). */
  async function both(args: readonly string[], input?: string): Promise<[CliResult, CliResult]> {
    await Promise.all([cli(glassbox.port, ['FLUSHALL']), cli(redis.port, ['FLUSHALL'])])
    const [ours, theirs] = await Promise.all([cli(glassbox.port, args, input), cli(redis.port, args, input)])
    return [maskClientId(ours), maskClientId(theirs)]
  }

  const script = [
    'PING',
    'PING "hello world"',
    'ECHO "bin\\x00ary\\xff"',
    'SET k v',
    'GET k',
    'GET missing',
    'SET n 10',
    'INCR n',
    'INCRBY n 5',
    'DECR n',
    'INCRBYFLOAT n 0.5',
    'APPEND k xyz',
    'STRLEN k',
    'GETRANGE k 0 1',
    'SETRANGE k 1 Q',
    'MSET a 1 b 2 c 3',
    'MGET a b c nokey',
    'EXISTS a b nokey',
    'DEL a b',
    'DBSIZE',
    'TYPE k',
    'SET e v EX 100',
    'TTL e',
    'PERSIST e',
    'TTL e',
    'RENAME k k2',
    'GET k2',
    'SELECT 1',
    'GET k2',
    'SELECT 0',
    'SETNX k2 zz',
    'GETSET k2 new',
    'GETDEL k2',
    'SET s abc',
    'INCR s',
    'NOSUCHCMD a b',
    'GET',
    'OBJECT ENCODING n',
    'CONFIG GET maxmemory',
    'HELLO 3',
    'GET missing',
    'MGET c nokey',
    'CONFIG GET maxmemory-policy',
    'FLUSHALL',
    'DBSIZE',
  ].join('\n')

  it('commands on stdin print the same as against redis-server', async () => {
    const [ours, theirs] = await both([], script + '\n')
    expect(ours.stderr).toBe(theirs.stderr)
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.code).toBe(theirs.code)
    expect(ours.stdout).toContain('PONG\nhello world\n')
  })

  it('commands on stdin with --no-raw and with -3 (RESP3) print the same', async () => {
    for (const args of [['--no-raw'], ['-3'], ['-3', '--no-raw']]) {
      const [ours, theirs] = await both(args, script + '\n')
      expect(ours.stdout).toBe(theirs.stdout)
      expect(ours.code).toBe(theirs.code)
    }
  })

  it('commands as arguments print the same, errors and exit codes included', async () => {
    const runs: string[][] = [
      ['SET', 'k', 'v'],
      ['--raw', 'GET', 'missing'],
      ['--no-raw', 'GET', 'missing'],
      ['INCR', 'counter'],
      ['-n', '3', 'DBSIZE'],
      ['-n', '99', 'PING'],
      ['--no-raw', 'MGET', 'a', 'b'],
      ['--no-raw', 'INCRBYFLOAT', 'f', '1.5'],
      ['--no-raw', 'NOSUCHCMD'],
      ['-r', '3', 'INCR', 'rep'],
      ['-x', 'SET', 'fromstdin'],
      ['--no-raw', 'CONFIG', 'GET', 'save'],
    ]
    for (const args of runs) {
      const [ours, theirs] = await both(args, args.includes('-x') ? 'piped value\n' : undefined)
      expect(ours, args.join(' ')).toEqual(theirs)
    }
  })

  it('--pipe inserts 100,000 SETs: "errors: 0, replies: 100000" and DBSIZE 100000', async () => {
    const n = 100_000
    const file = path.join(tmp, 'mass-insert.txt')
    let text = ''
    for (let i = 0; i < n; i++) {
      const k = `key:${i}`
      const v = `value:${i}`
      text += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`
    }
    writeFileSync(file, text, 'latin1')
    for (const port of [glassbox.port, redis.port]) await cli(port, ['FLUSHALL'])
    const [ours, theirs] = await Promise.all([cli(glassbox.port, ['--pipe'], { file }), cli(redis.port, ['--pipe'], { file })])
    expect(ours.code).toBe(0)
    expect(ours.stdout).toContain(`errors: 0, replies: ${n}`)
    expect(ours.stdout).toBe(theirs.stdout)
    expect((await cli(glassbox.port, ['DBSIZE'])).stdout).toBe(`${n}\n`)
    expect((await cli(glassbox.port, ['GET', 'key:99999'])).stdout).toBe('value:99999\n')
  })

  it('--pipe reports errors the same way', async () => {
    const input = 'SET a 1\r\nINCR a\r\nNOSUCH x\r\nGET a\r\nINCRBY a x\r\n'
    const [ours, theirs] = await both(['--pipe'], input)
    expect(ours.stdout).toContain('errors: 2, replies: 5')
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.code).toBe(theirs.code)
  })
})
