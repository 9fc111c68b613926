// Redis 7.0.15's error texts, in one place (redis-7.0-facts.md §9). Values are the
// reply text without the leading '-' and trailing CRLF. Functions build the ones
// that carry a name or an argument.

import { error, type Reply } from '../protocol/reply.ts'

export const E = {
  wrongType: error('WRONGTYPE Operation against a key holding the wrong kind of value'),
  notInteger: error('ERR value is not an integer or out of range'),
  notFloat: error('ERR value is not a valid float'),
  overflow: error('ERR increment or decrement would overflow'),
  syntax: error('ERR syntax error'),
  noSuchKey: error('ERR no such key'),
  sameObject: error('ERR source and destination objects are the same'),
  dbIndexOutOfRange: error('ERR DB index is out of range'),
  invalidCursor: error('ERR invalid cursor'),
  stringTooBig: error('ERR string exceeds maximum allowed size (proto-max-bulk-len)'),
  offsetOutOfRange: error('ERR offset is out of range'),
  nanOrInfinity: error('ERR increment would produce NaN or Infinity'),
  oom: error("OOM command not allowed when used memory > 'maxmemory'."),
  noAuth: error('NOAUTH Authentication required.'),
  wrongPass: error('WRONGPASS invalid username-password pair or user is disabled.'),
  noProto: error('NOPROTO unsupported protocol version'),
  helloNoAuth: error(
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  ),
  authNotConfigured: error(
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  ),
  lfuNotSelected: error(
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  ),
  lfuSelected: error(
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  ),
  expireOptionsNxXx: error('ERR NX and XX, GT or LT options at the same time are not compatible'),
  expireOptionsGtLt: error('ERR GT and LT options at the same time are not compatible'),
} as const satisfies Record<string, Reply>

/** ERR wrong number of arguments for 'get' command (full name, e.g. 'config|get'). */
export const wrongArity = (fullName: string): Reply =>
  error(`ERR wrong number of arguments for '${fullName}' command`)

/** ERR invalid expire time in 'set' command */
export const invalidExpire = (cmd: string): Reply => error(`ERR invalid expire time in '${cmd}' command`)

/** ERR unknown subcommand 'foo'. Try OBJECT HELP. */
export const unknownSubcommand = (sub: string, container: string): Reply =>
  error(`ERR unknown subcommand '${upToNul(sub).slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`)

/** ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP. (addReplySubcommandSyntaxError) */
export const subcommandSyntax = (sub: string, container: string): Reply =>
  error(
    `ERR unknown subcommand or wrong number of arguments for '${upToNul(sub).slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`,
  )

/**
 * ERR unknown command 'foo', with args beginning with: 'a' 'b' (processCommand):
 * each argument quoted with a trailing space, stopping once the list reaches 128 chars,
 * each cut to what is left of those 128.
 */
export function unknownCommand(argv: readonly string[]): Reply {
  let args = ''
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${upToNul(argv[i]).slice(0, 128 - args.length)}' `
  }
  return error(`ERR unknown command '${upToNul(argv[0]).slice(0, 128)}', with args beginning with: ${args}`)
}

/** Redis prints these arguments with %s / %.*s, which stop at the first NUL byte. */
function upToNul(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

/**
 * Not in Redis: the most picks HRANDFIELD / SRANDMEMBER / ZRANDMEMBER with a
 * negative count (repetitions allowed) build here. redis-server streams
 * |count| picks into the client's output buffer (for -2^31 or -2^40 that is
 * gigabytes, until client-output-buffer-limit closes the client or memory runs
 * out); this engine builds the whole reply in memory first (about 300 MB and
 * seconds per million picks), so it answers this error instead. Every count
 * Redis answers without such a reply (range errors, positive counts, missing
 * keys, 0) is answered exactly as Redis does.
 */
export const MAX_RANDOM_PICKS = 1 << 20

export const tooManyRandomPicks = (cmd: string): Reply =>
  error(`ERR ${cmd} with a negative count can return at most ${MAX_RANDOM_PICKS} elements in this server (redis-server would stream them all)`)
