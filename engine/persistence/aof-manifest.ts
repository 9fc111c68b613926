// The multi-part AOF's manifest (aof.c, Redis 7.0.15): which files make up the
// append only file, in which order. One line per file:
//   file appendonly.aof.2.base.rdb seq 2 type b
//   file appendonly.aof.1.incr.aof seq 1 type h
//   file appendonly.aof.2.incr.aof seq 2 type i
// The base (at most one) comes first, then history files, then incr files in
// sequence order. Names are byte strings; a name that needs quoting is written
// the way sdscatrepr quotes it and read back with sdssplitargs's rules.

export type AofFileType = 'b' | 'h' | 'i'

export interface AofInfo {
  name: string
  seq: number
  type: AofFileType
}

export interface AofManifest {
  base: AofInfo | null
  /** HISTORY files: deleted after a rewrite unless aof-disable-auto-gc. */
  history: AofInfo[]
  /** INCR files, in sequence order. */
  incr: AofInfo[]
  currBaseSeq: number
  currIncrSeq: number
  /** Changed since it was last written to disk. */
  dirty: boolean
}

export const BASE_FILE_SUFFIX = '.base'
export const INCR_FILE_SUFFIX = '.incr'
export const RDB_FORMAT_SUFFIX = '.rdb'
export const AOF_FORMAT_SUFFIX = '.aof'
export const MANIFEST_NAME_SUFFIX = '.manifest'
export const TEMP_FILE_NAME_PREFIX = 'temp-'
/** MANIFEST_MAX_LINE. */
const MANIFEST_MAX_LINE = 1024

export function emptyManifest(): AofManifest {
  return { base: null, history: [], incr: [], currBaseSeq: 0, currIncrSeq: 0, dirty: false }
}

export function dupManifest(am: AofManifest): AofManifest {
  return {
    base: am.base ? { ...am.base } : null,
    history: am.history.map((a) => ({ ...a })),
    incr: am.incr.map((a) => ({ ...a })),
    currBaseSeq: am.currBaseSeq,
    currIncrSeq: am.currIncrSeq,
    dirty: am.dirty,
  }
}

export const manifestName = (aofFilename: string): string => aofFilename + MANIFEST_NAME_SUFFIX
export const tempManifestName = (aofFilename: string): string => TEMP_FILE_NAME_PREFIX + aofFilename + MANIFEST_NAME_SUFFIX
export const tempIncrName = (aofFilename: string): string => TEMP_FILE_NAME_PREFIX + aofFilename + INCR_FILE_SUFFIX

/** getNewBaseFileNameAndMarkPreAsHistory: the old base becomes history (at the head), a new base is named. */
export function newBaseFile(am: AofManifest, aofFilename: string, rdbPreamble: boolean): string {
  if (am.base) {
    am.base.type = 'h'
    am.history.unshift(am.base)
  }
  const seq = ++am.currBaseSeq
  const name = `${aofFilename}.${seq}${BASE_FILE_SUFFIX}${rdbPreamble ? RDB_FORMAT_SUFFIX : AOF_FORMAT_SUFFIX}`
  am.base = { name, seq, type: 'b' }
  am.dirty = true
  return name
}

/** getNewIncrAofName: the next incr file, added at the tail. */
export function newIncrFile(am: AofManifest, aofFilename: string): string {
  const seq = ++am.currIncrSeq
  const name = `${aofFilename}.${seq}${INCR_FILE_SUFFIX}${AOF_FORMAT_SUFFIX}`
  am.incr.push({ name, seq, type: 'i' })
  am.dirty = true
  return name
}

/** getLastIncrAofName: the incr file being appended to, or a new one. */
export function lastIncrFile(am: AofManifest, aofFilename: string): string {
  if (am.incr.length === 0) return newIncrFile(am, aofFilename)
  return am.incr[am.incr.length - 1].name
}

/**
 * markRewrittenIncrAofAsHistory: after a rewrite every incr file but the one
 * being written (when AOF is on) becomes history, newest first.
 */
export function markRewrittenIncrAsHistory(am: AofManifest, aofOn: boolean): void {
  if (am.incr.length === 0) return
  const keep = aofOn ? am.incr.slice(-1) : []
  const old = aofOn ? am.incr.slice(0, -1) : am.incr
  for (const ai of old) am.history.unshift({ name: ai.name, seq: ai.seq, type: 'h' })
  am.incr = keep
  am.dirty = true
}

// ---------------------------------------------------------------- text form

/** sdsneedsrepr: a name with spaces, quotes, backslashes or non-printable bytes. */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x07 || c === 0x08 || c < 0x20 || c >= 0x7f || c === 0x20) {
      return true
    }
  }
  return false
}

/** sdscatrepr: a quoted, escaped form. */
export function reprString(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    const c = s.charCodeAt(i)
    if (ch === '\\' || ch === '"') out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c === 7) out += '\\a'
    else if (c === 8) out += '\\b'
    else if (c >= 0x20 && c < 0x7f) out += ch
    else out += '\\x' + c.toString(16).padStart(2, '0')
  }
  return out + '"'
}

function formatInfo(ai: AofInfo): string {
  const name = needsRepr(ai.name) ? reprString(ai.name) : ai.name
  return `file ${name} seq ${ai.seq} type ${ai.type}\n`
}

/** getAofManifestAsString: base, history, incr. */
export function manifestToString(am: AofManifest): string {
  let s = am.base ? formatInfo(am.base) : ''
  for (const ai of am.history) s += formatInfo(ai)
  for (const ai of am.incr) s += formatInfo(ai)
  return s
}

/** A manifest aofLoadManifestFromFile refused; `lines` are the warnings Redis logs before exit(1). */
export class AofManifestError extends Error {
  constructor(
    readonly reason: string,
    readonly lines: string[],
  ) {
    super(reason)
    this.name = 'AofManifestError'
  }
}

const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c)
const isSpace = (c: string | undefined): boolean => c !== undefined && ' \n\r\t\v\f'.includes(c)

/** sdssplitargs: null on unbalanced quotes (or a closing quote not followed by a space). */
export function splitArgs(line: string): string[] | null {
  const out: string[] = []
  let p = 0
  for (;;) {
    while (p < line.length && isSpace(line[p])) p++
    if (p >= line.length) return out
    let inq = false
    let insq = false
    let done = false
    let cur = ''
    while (!done) {
      const c = line[p]
      if (inq) {
        if (c === undefined) return null
        if (c === '\\' && line[p + 1] === 'x' && isHex(line[p + 2] ?? '') && isHex(line[p + 3] ?? '')) {
          cur += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16))
          p += 3
        } else if (c === '\\' && p + 1 < line.length) {
          p++
          const e = line[p]
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e
        } else if (c === '"') {
          if (p + 1 < line.length && !isSpace(line[p + 1])) return null
          done = true
        } else {
          cur += c
        }
      } else if (insq) {
        if (c === undefined) return null
        if (c === '\\' && line[p + 1] === "'") {
          p++
          cur += "'"
        } else if (c === "'") {
          if (p + 1 < line.length && !isSpace(line[p + 1])) return null
          done = true
        } else {
          cur += c
        }
      } else if (c === undefined || isSpace(c)) {
        done = true
      } else if (c === '"') {
        inq = true
      } else if (c === "'") {
        insq = true
      } else {
        cur += c
      }
      if (p < line.length) p++
    }
    out.push(cur)
  }
}

/** atoll: leading blanks, optional sign, digits; 0 when there are none. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s)
  return m ? Number(m[1]) : 0
}

/**
 * aofLoadManifestFromFile: parse the manifest text strictly. Throws
 * AofManifestError with the lines redis-server logs before exiting.
 */
export function parseManifest(text: string): AofManifest {
  const am = emptyManifest()
  let maxSeq = 0
  let linenum = 0
  let pos = 0
  const fail = (err: string, line: string | null): never => {
    const lines = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n']
    if (line !== null) lines.push(`Reading the manifest file, at line ${linenum}\n`, `>>> '${line}'\n`)
    lines.push(`${err}\n`)
    throw new AofManifestError(err, lines)
  }
  for (;;) {
    if (pos >= text.length) {
      if (linenum === 0) fail('Found an empty AOF manifest', null)
      break
    }
    // fgets with a MANIFEST_MAX_LINE+1 buffer: at most 1024 bytes, up to and including '\n'.
    const nl = text.indexOf('\n', pos)
    const end = nl < 0 ? text.length : nl + 1
    const buf = text.slice(pos, Math.min(end, pos + MANIFEST_MAX_LINE))
    pos += buf.length
    linenum++
    if (buf[0] === '#') continue
    if (!buf.includes('\n')) fail('The AOF manifest file contains too long line', null)
    const line = buf.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
    if (line === '') fail('Invalid AOF manifest file format', line)
    const argv = splitArgs(line)
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) fail('Invalid AOF manifest file format', line)
    let name: string | null = null
    let seq = 0
    let type = ''
    for (let i = 0; i < argv!.length; i += 2) {
      const k = argv![i].toLowerCase()
      if (k === 'file') {
        name = argv![i + 1]
        if (name.includes('/') || name.includes('\\')) fail("File can't be a path, just a filename", line)
      } else if (k === 'seq') {
        seq = atoll(argv![i + 1])
      } else if (k === 'type') {
        type = argv![i + 1][0] ?? ''
      }
    }
    if (!name || !seq || !type) fail('Invalid AOF manifest file format', line)
    const ai: AofInfo = { name: name!, seq, type: type as AofFileType }
    if (type === 'b') {
      if (am.base) fail('Found duplicate base file information', line)
      am.base = ai
      am.currBaseSeq = seq
    } else if (type === 'h') {
      am.history.push(ai)
    } else if (type === 'i') {
      if (seq <= maxSeq) fail('Found a non-monotonic sequence number', line)
      am.incr.push(ai)
      am.currIncrSeq = seq
      maxSeq = seq
    } else {
      fail('Unknown AOF file type', line)
    }
  }
  return am
}
