// glassbox-server: the engine as a RESP server, started like redis-server:
//   glassbox-server [/path/to/redis.conf] [--port 6379] [--bind 127.0.0.1] [--requirepass x] ... [-]
//
// Differences from redis-server, on purpose:
// - With no `bind` directive it binds 127.0.0.1 only (redis-server binds
//   every interface and relies on protected mode).
// - `daemonize yes` re-runs the server detached (Node cannot fork); `supervised`
//   is accepted and ignored.
// - Directives with no engine behaviour (TLS, replication, persistence tuning...)
//   are validated and stored like Redis does, so CONFIG GET shows them.

import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, unlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import os from 'node:os'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createServer, type Server } from '../server/server.ts'
import { Config } from '../server/config.ts'
import { setHostInfo } from '../server/info.ts'
import { configTable } from '../server/config-table.ts'
import { SeededRandom } from '../server/random.ts'
import { SystemClock } from './clock.ts'
import { combineConfigText, ConfigFileError, parseCommandLine, parseConfigText, type ConfigLine } from './config-file.ts'
import { Logger } from './log.ts'
import { TcpServer } from './tcp-server.ts'
import { FileStorage } from './file-storage.ts'
import { attachPersistence, loadErrorLines, prepareForShutdown } from '../persistence/snapshot.ts'
import { RdbLoadError } from '../persistence/rdb.ts'
import { aofStartup } from '../persistence/aof.ts'
import { StorageError } from '../persistence/storage.ts'

const VERSION = '7.0.15'

// Directives redis.conf may hold that are not configs and that Glassbox does not support.
const UNSUPPORTED = new Set(['rename-command', 'user', 'loadmodule', 'sentinel'])

/**
 * The file storage plus what the AOF needs of a real file system: its
 * directory created on demand (dirCreateIfMissing) and fsync (fdatasync, as
 * redis_fsync on Linux).
 */
export class NodeStorage extends FileStorage {
  constructor(private readonly dirOf: () => string) {
    super(dirOf)
  }

  mkdir(name: string): void {
    const p = join(this.dirOf(), name)
    try {
      mkdirSync(p, { mode: 0o755 })
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      // EEXIST is fine only when it is a directory.
      if (err.code === 'EEXIST' && statSync(p).isDirectory()) return
      throw new StorageError(err.code === 'EEXIST' ? 'File exists' : ((err.code && STRERROR[err.code]) || err.message))
    }
  }

  sync(name: string): void {
    let fd = -1
    try {
      fd = openSync(join(this.dirOf(), name), 'r+')
      fdatasyncSync(fd)
    } catch (e) {
      const err = e as NodeJS.ErrnoException
      throw new StorageError((err.code && STRERROR[err.code]) || err.message)
    } finally {
      if (fd >= 0) closeSync(fd)
    }
  }
}

/** Thrown to stop start-up with an exit code after the message was printed. */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}

// strerror() texts for the errno codes a config path can hit.
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
}

function strerror(e: unknown): string {
  const err = e as NodeJS.ErrnoException
  return (err.code && STRERROR[err.code]) || err.message
}

/** loadServerConfigFromString's fatal error block, on stderr. */
function configError(line: number, text: string, reason: string): never {
  process.stderr.write(
    `\n*** FATAL CONFIG FILE ERROR (Redis ${VERSION}) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${reason}\n`,
  )
  throw new Exit(1)
}

export interface LoadedConfig {
  /** Directives for createServer, in order, each with its canonical value. */
  directives: Array<[string, string]>
  configFile: string | undefined
}

/**
 * Reads the command line, the config file and stdin, validates each directive
 * against the config table (reporting the line like redis-server), applies
 * `dir` (chdir), and merges `save` lines the way a config file does.
 */
export function loadConfig(args: readonly string[], readStdin: () => string, log: Logger): LoadedConfig {
  const cmd = parseCommandLine(args)
  let fileText = ''
  if (cmd.configFile !== undefined) {
    try {
      fileText = readFileSync(cmd.configFile, 'latin1')
    } catch (e) {
      log.warning(`Fatal error, can't open config file '${cmd.configFile}': ${strerror(e)}`)
      throw new Exit(1)
    }
  }
  let stdinText = ''
  if (cmd.fromStdin) {
    log.warning('Reading config from stdin')
    stdinText = readStdin()
  }
  const text = combineConfigText(fileText, stdinText, cmd.options)
  let lines: ConfigLine[]
  try {
    lines = parseConfigText(text, { readFile: (p) => readFileSync(p, 'latin1') })
  } catch (e) {
    if (e instanceof ConfigFileError) configError(e.line, e.text, e.message)
    throw e
  }

  const config = new Config(configTable)
  // Loopback only unless told otherwise; the working directory as `dir`, as Redis prints getcwd().
  const directives: Array<[string, string]> = [
    ['bind', '127.0.0.1'],
    ['dir', process.cwd()],
  ]
  config.apply('bind', '127.0.0.1')
  config.apply('dir', process.cwd())
  let saveSeen = false
  let save = ''
  for (const l of lines) {
    const [name, ...rest] = l.argv
    if (UNSUPPORTED.has(name)) configError(l.line, l.text, `'${name}' is not supported by Glassbox`)
    const def = config.lookup(name)
    if (!def) configError(l.line, l.text, 'Bad directive or wrong number of arguments')
    if (!def.multiArg && rest.length !== 1) configError(l.line, l.text, 'wrong number of arguments')
    let value = rest.join(' ')
    if (def.name === 'dir') {
      // setConfigDirOption: chdir, then the directory is whatever getcwd() says.
      try {
        process.chdir(value)
      } catch (e) {
        configError(l.line, l.text, strerror(e))
      }
      value = process.cwd()
    }
    const r = config.check(def, value)
    if (!r.ok) configError(l.line, l.text, r.error)
    value = r.value
    if (def.name === 'save') {
      // Save points from several lines add up; the first line replaces the defaults and `save ""` clears.
      save = !saveSeen || value === '' ? value : save === '' ? value : `${save} ${value}`
      saveSeen = true
      value = save
    }
    config.apply(def.name, value)
    directives.push([def.name, value])
  }
  return { directives, configFile: cmd.configFile }
}

function usage(): string {
  return (
    'Usage: ./glassbox-server [/path/to/redis.conf] [options] [-]\n' +
    '       ./glassbox-server - (read config from stdin)\n' +
    '       ./glassbox-server -v or --version\n' +
    '       ./glassbox-server -h or --help\n\n' +
    'Examples:\n' +
    '       ./glassbox-server (run the server with default conf)\n' +
    '       echo \'maxmemory 128mb\' | ./glassbox-server -\n' +
    '       ./glassbox-server /etc/redis/6379.conf\n' +
    '       ./glassbox-server --port 7777\n' +
    '       ./glassbox-server /etc/myredis.conf --loglevel verbose -\n' +
    '       ./glassbox-server /etc/myredis.conf --loglevel verbose\n'
  )
}

export interface RunningServer {
  server: Server
  tcp: TcpServer
  port: number
  /** Resolves with the exit code once the server has stopped. */
  stopped: Promise<number>
  /** SHUTDOWN from the host (as SIGTERM does). */
  shutdown(reason?: string): void
}

/**
 * Starts the server from redis-server style arguments. Returns undefined for
 * -v / -h. Throws Exit on fatal errors (already reported).
 */
export async function start(args: readonly string[], env: { readStdin?: () => string; installSignals?: boolean } = {}): Promise<RunningServer | undefined> {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${VERSION} sha=00000000:0 malloc=libc bits=64 build=glassbox (Glassbox, Redis ${VERSION} compatible)\n`)
    return undefined
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(usage())
    return undefined
  }
  const log = new Logger()
  log.notice('oO0OoO0OoO0Oo Glassbox (Redis 7.0.15 compatible) is starting oO0OoO0OoO0Oo')
  log.notice(`Redis version=${VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`)
  const { directives, configFile } = loadConfig(args, env.readStdin ?? (() => readFileSync(0, 'latin1')), log)
  if (configFile === undefined) {
    log.warning(`Warning: no config file specified, using the default config. In order to specify a config file use glassbox-server /path/to/redis.conf`)
  } else {
    log.notice('Configuration loaded')
  }

  const clock = new SystemClock()
  const server = createServer({ clock, random: new SeededRandom(clock.nowUs() % 0xffffffff), config: directives })
  // INFO server's process fields, as redis-server fills them from the OS (uname, getpid, argv[0], the config path).
  setHostInfo(server, {
    os: `${os.type()} ${os.release()} ${os.machine()}`,
    archBits: process.arch.endsWith('64') ? 64 : 32,
    processId: process.pid,
    executable: resolve(process.argv[1] ?? process.execPath),
    configFile: configFile !== undefined && configFile !== '-' ? resolve(configFile) : undefined,
    multiplexingApi: process.platform === 'linux' ? 'epoll' : process.platform === 'darwin' ? 'kqueue' : 'libuv',
    totalSystemMemory: os.totalmem(),
    cpu: () => {
      const { user, system } = process.cpuUsage()
      return { userUs: user, sysUs: system }
    },
  })
  log.level = server.config.str('loglevel') as Logger['level']
  log.file = server.config.str('logfile')
  server.config.onChange('loglevel', (v) => (log.level = v as Logger['level']))

  if (server.config.bool('daemonize') && process.env.GLASSBOX_DAEMONIZED !== '1') {
    daemonize(args)
    return undefined
  }
  log.role = 'M'

  const port = server.config.num('port')
  const unixsocket = server.config.str('unixsocket')
  if (port === 0 && unixsocket === '') {
    log.warning('Configured to not listen anywhere, exiting.')
    throw new Exit(1)
  }
  const tcp = new TcpServer(server, { logger: log })
  let bound = 0
  try {
    if (port !== 0) {
      const bind = server.config.str('bind')
      bound = await tcp.listen({ port, host: bind === '' ? [] : bind.split(' '), backlog: server.config.num('tcp-backlog') })
    }
    if (unixsocket !== '') await tcp.listenUnix(unixsocket, server.config.num('unixsocketperm'))
  } catch (e) {
    log.warning(`Failed listening on port ${port} (tcp), aborting: ${(e as Error).message}`)
    await tcp.close()
    throw new Exit(1)
  }

  const pidfile = server.config.str('pidfile') || (server.config.bool('daemonize') ? `/var/run/redis_${port}.pid` : '')
  if (pidfile) {
    try {
      writeFileSync(pidfile, `${process.pid}\n`)
    } catch (e) {
      log.warning(`Failed to write PID file: ${strerror(e)}`)
    }
  }

  let resolveStopped!: (code: number) => void
  const stopped = new Promise<number>((r) => (resolveStopped = r))
  let stopping = false
  // finishShutdown / prepareForShutdown: close the listeners and clients, remove the pid file.
  server.onShutdown = () => {
    if (stopping) return
    stopping = true
    log.warning('User requested shutdown...')
    void tcp.close().then(() => {
      if (pidfile) {
        try {
          unlinkSync(pidfile)
        } catch {
          // already gone
        }
      }
      log.warning('Redis is now ready to exit, bye bye...')
      resolveStopped(0)
    })
  }
  const shutdown = (reason?: string, signal?: 'sigterm' | 'sigint'): void => {
    if (reason) log.warning(reason)
    if (server.shuttingDown) return
    // prepareForShutdown with the shutdown-on-<signal> flags: the final save may keep the server up.
    const how = signal ? server.config.str(`shutdown-on-${signal}`).split(' ') : []
    if (!prepareForShutdown(server, { save: how.includes('save'), nosave: how.includes('nosave'), force: how.includes('force') })) {
      log.warning(`${signal?.toUpperCase() ?? 'Shutdown'} received but errors trying to shut down the server, check the logs for more information`)
      return
    }
    server.shutdown()
  }
  if (env.installSignals !== false) {
    // sigShutdownHandler: the first signal schedules a shutdown, a second SIGINT exits at once.
    process.on('SIGINT', () => {
      if (stopping) {
        log.warning('You insist... exiting now.')
        process.exit(1)
      }
      shutdown('Received SIGINT scheduling shutdown...', 'sigint')
    })
    process.on('SIGTERM', () => shutdown('Received SIGTERM scheduling shutdown...', 'sigterm'))
  }

  log.notice(`Running mode=standalone, port=${bound || port}.`)
  log.notice('Server initialized')
  // loadDataFromDisk: the RDB at dir/dbfilename, if there is one; a refused file stops the server.
  const persist = attachPersistence(server, {
    storage: new NodeStorage(() => server.config.str('dir')),
    log: (level, msg) => log.log(level, msg),
    pid: process.pid,
  })
  // The AOF's manifest, then the AOF files (appendonly yes) or the RDB, then the incr file opened for appending.
  const loadRdb = (): boolean => {
    const loadStart = process.hrtime.bigint()
    try {
      if (persist.loadFromStorage() !== null) {
        log.notice(`DB loaded from disk: ${(Number(process.hrtime.bigint() - loadStart) / 1e9).toFixed(3)} seconds`)
      }
    } catch (e) {
      if (!(e instanceof RdbLoadError)) throw e
      for (const line of loadErrorLines(e)) log.warning(line)
      return false
    }
    return true
  }
  // exit(1) where Redis exits at once (a failed append with appendfsync always).
  if (!aofStartup(server, { loadRdb, exit: (code) => process.exit(code) })) {
    await tcp.close()
    throw new Exit(1)
  }
  log.notice('Ready to accept connections')
  return { server, tcp, port: bound, stopped, shutdown }
}

/** `daemonize yes`: run the same command detached, with output to the log file (or nowhere), and return. */
function daemonize(args: readonly string[]): void {
  const script = process.argv[1] ?? fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, GLASSBOX_DAEMONIZED: '1' },
  })
  child.unref()
}

export async function main(args: string[]): Promise<void> {
  try {
    const running = await start(args)
    if (!running) return
    process.exitCode = await running.stopped
    process.exit()
  } catch (e) {
    if (e instanceof Exit) process.exit(e.code)
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`)
    process.exit(1)
  }
}

// Run when executed directly (`tsx engine/node/main.ts`); bin/glassbox-server.mjs and tests import it.
if (/engine[/\\]node[/\\]main\.ts$/.test(process.argv[1] ?? '')) void main(process.argv.slice(2))
