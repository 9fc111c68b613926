// What the AOF appends for each propagated op (Redis 7.0.15 aof.c
// feedAppendOnlyFile / catAppendOnlyGenericCommand /
// genAofTimestampAnnotationIfNeeded): the op as a RESP multibulk, preceded by
// SELECT when its db differs from the last one written, and by a `#TS:<unix
// seconds>` annotation line when aof-timestamp-enabled is on and the second
// has moved on since the last annotation.
//
// Bytes are Uint8Array (one byte per char of the engine's byte strings).
// The caller (the AOF writer, fed by server.hooks.propagate) owns the buffer
// and the files; this only knows the encoding and the two pieces of state
// Redis keeps for it (aof_selected_db, aof_cur_timestamp).

/** catAppendOnlyGenericCommand as a byte string: `*<argc>` then `$<len>` + bytes for each argument. */
export function encodeCommandString(argv: readonly string[]): string {
  let out = `*${argv.length}\r\n`
  for (const a of argv) out += `$${a.length}\r\n${a}\r\n`
  return out
}

/** The SELECT Redis writes before an op of another db. */
export function selectCommandString(dbid: number): string {
  const id = String(dbid)
  return `*2\r\n$6\r\nSELECT\r\n$${id.length}\r\n${id}\r\n`
}

/** The `#TS:` annotation line (AOF_ANNOTATION_LINE). */
export function timestampAnnotation(unixSeconds: number): string {
  return `#TS:${unixSeconds}\r\n`
}

/** A byte string (chars 0-255) as bytes. */
export function byteStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

export class AofFeed {
  /** aof_selected_db: the db of the last op written; -1 forces a SELECT before the next one. */
  private selected = -1
  /** aof_cur_timestamp: the second of the last annotation written (0: none yet). */
  private curTimestamp = 0

  /** The db the next op is assumed to run in (-1: unknown, a SELECT will be written). */
  get selectedDb(): number {
    return this.selected
  }

  /**
   * feedAppendOnlyFile: the bytes to append for one op of db `dbid`.
   * `nowMs` is the server's cached time for the running command (Redis's
   * server.unixtime); `timestamps` is aof-timestamp-enabled.
   */
  feed(dbid: number, argv: readonly string[], nowMs: number, timestamps = false): Uint8Array {
    return byteStringToBytes(this.feedString(dbid, argv, nowMs, timestamps))
  }

  /** feed() as a byte string. */
  feedString(dbid: number, argv: readonly string[], nowMs: number, timestamps = false): string {
    let out = ''
    if (timestamps) {
      const now = Math.floor(nowMs / 1000)
      if (this.curTimestamp < now) {
        this.curTimestamp = now
        out += timestampAnnotation(now)
      }
    }
    if (dbid !== this.selected) {
      out += selectCommandString(dbid)
      this.selected = dbid
    }
    return out + encodeCommandString(argv)
  }

  /**
   * Forget the selected db, so the next op starts with a SELECT: after a
   * rewrite opened a new incr file, or when AOF is turned off (Redis sets
   * aof_selected_db to -1 in both).
   */
  resetSelectedDb(): void {
    this.selected = -1
  }
}
