// Loading the append only file (aof.c loadSingleAppendOnlyFile and
// loadAppendOnlyFiles, Redis 7.0.15): the base file (an RDB when it starts
// with "REDIS", else commands), then the incr files in manifest order. Commands
// run in a fake client without replies, propagation or stats, as Redis's AOF
// client does. The parse follows Redis's fgets/fread reading exactly, so a
// truncated or corrupted file is refused (or truncated, with aof-load-truncated)
// at the same offset and with the same log lines as redis-server.

import type { Server } from '../server/server.ts'
import type { Client } from '../server/client.ts'
import { queueMultiCommand } from '../server/multi.ts'
import type { AofManifest } from './aof-manifest.ts'
import { RdbLoadError, rdbLoadBytes, type RdbLog } from './rdb.ts'
import { bytesToByteString } from './rdb-value.ts'

/** AOF_OK, AOF_NOT_EXIST, AOF_EMPTY, AOF_OPEN_ERR, AOF_FAILED, AOF_TRUNCATED. */
export type AofStatus = 'ok' | 'not-exist' | 'empty' | 'open-err' | 'failed' | 'truncated'

/** AOF_ANNOTATION_LINE_MAX_LEN: the fgets buffer. */
const LINE_MAX = 1024

/** The files of the AOF directory, as the loader needs them. */
export interface AofFiles {
  read(name: string): Uint8Array | null
  /** truncate(2): keep the first `size` bytes. Throws with the strerror text. */
  truncate(name: string, size: number): void
}

export interface AofLoadOptions {
  log: RdbLog
  /** appendfilename: a file with exactly this name is an old-style AOF (RDB preamble + tail). */
  aofFilename: string
  loadTruncated: boolean
  /** The clock in µs, for the "DB loaded from ... seconds" lines. */
  nowUs: () => number
}

/** createAOFClient: a client no one sees (not listed, not counted as a connection). */
export function createAofClient(server: Server): Client {
  const c = server.connect()
  server.stats.numConnections--
  server.clients.delete(c.id)
  return c
}

function freeAofClient(server: Server, c: Client): void {
  server.clients.set(c.id, c)
  server.disconnect(c)
}

/** atoi: leading blanks, sign, digits (0 when none), wrapped to 32 bits as glibc's (int)strtol. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  if (!m) return 0
  const n = BigInt(m[1])
  return Number(BigInt.asIntN(32, n > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : n < -0x8000000000000000n ? -0x8000000000000000n : n))
}

/** strtol(s, NULL, 10) as an unsigned long length; -1 when negative (Redis would try to allocate that). */
function strtolLen(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  if (!m) return 0
  const n = Number(m[1])
  return n < 0 ? -1 : n
}

/**
 * loadSingleAppendOnlyFile: replay one file of the AOF directory into the
 * server. Returns Redis's status; the log lines are Redis's.
 */
export function loadSingleAppendOnlyFile(server: Server, files: AofFiles, filename: string, opts: AofLoadOptions): AofStatus {
  const { log } = opts
  const data = files.read(filename)
  if (data === null) {
    log('warning', `The append log file ${filename} doesn't exist: No such file or directory`)
    return 'not-exist'
  }
  if (data.length === 0) return 'empty'

  const len = data.length
  let pos = 0
  let validUpTo = 0
  let validBeforeMulti = 0
  let ret: AofStatus = 'ok'

  // fgets: up to LINE_MAX-1 bytes, through the first '\n'; null at end of file.
  const fgets = (): string | null => {
    if (pos >= len) return null
    let end = Math.min(len, pos + LINE_MAX - 1)
    const nl = data.indexOf(10, pos)
    if (nl >= 0 && nl < end) end = nl + 1
    const s = bytesToByteString(data.subarray(pos, end))
    pos = end
    return s
  }

  const c = createAofClient(server)
  const wasLoading = server.isLoading()
  server.setLoading(true)
  try {
    if (len >= 5 && data[0] === 0x52 && data[1] === 0x45 && data[2] === 0x44 && data[3] === 0x49 && data[4] === 0x53) {
      // RDB format: a base file, or the preamble of an old-style AOF whose tail follows.
      const oldStyle = filename === opts.aofFilename
      log('notice', oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...')
      try {
        const res = rdbLoadBytes(server, data, { log, keepExpired: true })
        pos = res.bytesRead
      } catch (e) {
        if (!(e instanceof RdbLoadError)) throw e
        for (const line of e.lines) log('warning', line)
        // A corruption report ends the process inside rdbReportError; other refusals return here.
        if (!e.lines.some((l) => l.startsWith('Internal error in RDB reading'))) {
          log('warning', oldStyle ? `Error reading the RDB preamble of the AOF file ${filename}, AOF loading aborted` : `Error reading the RDB base file ${filename}, AOF loading aborted`)
        }
        return 'failed'
      }
      if (oldStyle) log('notice', 'Reading the remaining AOF tail...')
    }

    const fmterr = (): AofStatus => {
      log('warning', `Bad file format reading the append only file ${filename}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`)
      return 'failed'
    }
    // Unexpected end of file: truncate to the last whole command when allowed.
    const uxeof = (): AofStatus => {
      if (opts.loadTruncated) {
        log('warning', `!!! Warning: short read while loading the AOF file ${filename}!!!`)
        log('warning', `!!! Truncating the AOF ${filename} at offset ${validUpTo} !!!`)
        let truncated = false
        try {
          files.truncate(filename, validUpTo)
          truncated = true
        } catch (e) {
          log('warning', `Error truncating the AOF file ${filename}: ${(e as Error).message}`)
        }
        if (truncated) {
          log('warning', `AOF ${filename} loaded anyway because aof-load-truncated is enabled`)
          return 'truncated'
        }
      }
      log(
        'warning',
        `Unexpected end of file reading the append only file ${filename}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
      )
      return 'failed'
    }

    server.withCurrentClient(c, () => {
      for (;;) {
        const line = fgets()
        if (line === null) break
        if (line[0] === '#') continue
        if (line[0] !== '*') {
          ret = fmterr()
          return
        }
        if (line.length === 1) {
          // "*" alone: only possible at the end of the file.
          ret = uxeof()
          return
        }
        const argc = atoi(line.slice(1))
        if (argc < 1) {
          ret = fmterr()
          return
        }
        const argv: string[] = []
        for (let j = 0; j < argc; j++) {
          const l = fgets()
          if (l === null) {
            ret = uxeof()
            return
          }
          if (l[0] !== '$') {
            ret = fmterr()
            return
          }
          const n = strtolLen(l.slice(1))
          if (n < 0) {
            ret = fmterr()
            return
          }
          if (n > 0 && pos + n > len) {
            ret = uxeof()
            return
          }
          argv.push(bytesToByteString(data.subarray(pos, pos + n)))
          pos += n
          // The CRLF after the argument is skipped unchecked.
          if (pos + 2 > len) {
            ret = uxeof()
            return
          }
          pos += 2
        }
        const cmd = server.commands.lookup(argv)
        if (cmd === undefined) {
          log('warning', `Unknown command '${cstr(argv[0])}' reading the append only file ${filename}`)
          ret = 'failed'
          return
        }
        // Redis calls the command without checking its arity; a wrong count can only come from a damaged file.
        if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
          ret = fmterr()
          return
        }
        if (cmd.fullName === 'multi') validBeforeMulti = validUpTo
        c.cmd = c.lastCmd = cmd
        c.argv = argv
        if (c.multi.inMulti && cmd.fullName !== 'exec') queueMultiCommand(c, cmd, argv)
        else cmd.run!(c, argv)
        if (opts.loadTruncated) validUpTo = pos
      }
      // A MULTI without its EXEC at the end of the file is cut off like a short read.
      if (c.multi.inMulti) {
        log('warning', `Revert incomplete MULTI/EXEC transaction in AOF file ${filename}`)
        validUpTo = validBeforeMulti
        ret = uxeof()
      }
    })
  } finally {
    server.setLoading(wasLoading)
    freeAofClient(server, c)
  }
  return ret
}

/** The name as %s prints it: up to its first NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

export interface AofLoadResult {
  status: AofStatus
  /** Sum of the base and incr sizes (aof_current_size), and the base's (aof_rewrite_base_size). */
  totalSize: number
  baseSize: number
}

/**
 * loadAppendOnlyFiles: every file the manifest lists (history excluded). A file
 * listed but missing is fatal; a truncated file is only accepted as the last one.
 */
export function loadAppendOnlyFiles(server: Server, files: AofFiles, am: AofManifest, opts: AofLoadOptions): AofLoadResult {
  const { log } = opts
  const list = [...(am.base ? [am.base] : []), ...am.incr]
  if (list.length === 0) return { status: 'not-exist', totalSize: 0, baseSize: 0 }
  let totalSize = 0
  let baseSize = 0
  for (const ai of list) {
    const d = files.read(ai.name)
    if (d === null) {
      log('warning', `Unable to obtain the AOF file ${ai.name} length. stat: No such file or directory`)
      return { status: 'failed', totalSize: 0, baseSize: 0 }
    }
    totalSize += d.length
    if (ai === am.base) baseSize = d.length
  }
  if (totalSize === 0) return { status: 'empty', totalSize: 0, baseSize: 0 }

  let ret: AofStatus = 'ok'
  for (let i = 0; i < list.length; i++) {
    const ai = list[i]
    const isBase = ai === am.base
    const last = i === list.length - 1
    const start = opts.nowUs()
    ret = loadSingleAppendOnlyFile(server, files, ai.name, opts)
    if (ret === 'ok' || (ret === 'truncated' && last)) {
      log('notice', `DB loaded from ${isBase ? 'base' : 'incr'} file ${ai.name}: ${((opts.nowUs() - start) / 1e6).toFixed(3)} seconds`)
    }
    // An empty incr file is fine once some file had data.
    if (!isBase && ret === 'empty') ret = 'ok'
    if (ret === 'truncated' && !last) {
      ret = 'failed'
      log('warning', 'Fatal error: the truncated file is not the last file')
    }
    if (ret === 'open-err' || ret === 'failed') return { status: ret, totalSize, baseSize }
  }
  // aof_current_size is the total measured before any truncation, as in Redis.
  return { status: ret, totalSize, baseSize }
}
