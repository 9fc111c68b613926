// A real redis-server 7.0.15 for the transcript test, on a free loopback port
// (test/support/redis-process.ts, shared with vitest), and the real redis-cli to talk to it.
import { spawnSync } from 'node:child_process'
import { startRedis as startRedisProcess, type RedisProcess } from '../../test/support/redis-process.ts'
import { REDIS_CLI } from './env.ts'

export { redisVersion, type RedisProcess } from '../../test/support/redis-process.ts'

/** redis-server like the app's engine is configured: no persistence, DEBUG allowed. */
export function startRedis(): Promise<RedisProcess> {
  return startRedisProcess(['--enable-debug-command', 'yes'])
}

/**
 * Run lines through one interactive-mode redis-cli (`--no-raw`, lines on stdin: its
 * repl() reads them one by one without a prompt) and return what it printed.
 */
export function redisCliTranscript(port: number, lines: readonly string[]): string {
  const r = spawnSync(REDIS_CLI, ['-h', '127.0.0.1', '-p', String(port), '--no-raw'], {
    input: Buffer.from(lines.join('\n') + '\n', 'utf8'),
    encoding: 'latin1',
    timeout: 60_000,
  })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`redis-cli exited with ${r.status}: ${r.stderr}`)
  // redis-cli writes bytes; the REPL decodes them as UTF-8 for the screen: do the same.
  return Buffer.from(r.stdout, 'latin1').toString('utf8')
}
