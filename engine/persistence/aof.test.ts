import { describe, expect, it } from 'vitest'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import type { Reply } from '../protocol/reply.ts'
import { genInfoString } from '../server/info.ts'
import { attachPersistence, persistence } from './snapshot.ts'
import { MemoryStorage } from './storage.ts'
import { aofStartup } from './aof.ts'
import { aofRewriteToBytes, AOF_REWRITE_ITEMS_PER_CMD } from './aof-rewrite.ts'
import { populate, snapshot } from './test-dataset.ts'
import { bytesToByteString, byteStringToBytes } from './rdb-value.ts'

const T0 = 1_700_000_000_000

function setup(config: Record<string, string> = {}, storage = new MemoryStorage(), clock = new VirtualClock(T0)) {
  const server = createServer({ clock, config: { 'enable-debug-command': 'yes', save: '', ...config } })
  const logs: string[] = []
  attachPersistence(server, { storage, log: (_l, m) => logs.push(m), pid: 100 })
  const exits: number[] = []
  const started = aofStartup(server, { exit: (code) => exits.push(code) })
  const c = server.connect()
  // A command then the end of the event-loop turn (where the AOF buffer is written).
  const r = (...argv: string[]): Reply => {
    const rep = c.call(argv)!
    server.beforeSleep()
    return rep
  }
  const info = (field: string): string => {
    const m = new RegExp(`^${field}:(.*)\\r$`, 'm').exec(genInfoString(server, ['persistence']))
    return m ? m[1] : ''
  }
  const file = (name: string): string => {
    const d = storage.read(name)
    return d === null ? '<none>' : bytesToByteString(d)
  }
  /** Run the cron until no child is left. */
  const drain = (): void => {
    for (let i = 0; i < 1000 && persistence(server).child; i++) {
      clock.advance(100)
      server.cron()
    }
  }
  return { server, clock, storage, logs, c, r, info, file, drain, exits, started }
}

const status = (value: string) => ({ kind: 'status', value })
const err = (value: string) => ({ kind: 'error', value })
const manifest = 'appendonlydir/appendonly.aof.manifest'

/** A fresh server started with appendonly yes on the same storage. */
function restart(t: ReturnType<typeof setup>, config: Record<string, string> = {}) {
  return setup({ appendonly: 'yes', ...config }, t.storage, t.clock)
}

describe('appendonly yes at start', () => {
  it('creates a base and an incr file on an empty start, appends before replies go out, loads back', () => {
    const t = setup({ appendonly: 'yes' })
    expect(t.started).toBe(true)
    expect(t.file(manifest)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n')
    expect(t.logs).toContain('Creating AOF base file appendonly.aof.1.base.rdb on server start')
    expect(t.logs).toContain('Creating AOF incr file appendonly.aof.1.incr.aof on server start')
    t.c.call(['SET', 'k', 'v'])
    // Buffered until beforeSleep, like aof_buf.
    expect(t.file('appendonlydir/appendonly.aof.1.incr.aof')).toBe('')
    expect(t.info('aof_buffer_length')).toBe('50')
    t.server.beforeSleep()
    expect(t.file('appendonlydir/appendonly.aof.1.incr.aof')).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n')
    populate(t.r)
    const t2 = restart(t)
    expect(t2.started).toBe(true)
    expect(snapshot(t2.server)).toEqual(snapshot(t.server))
    expect(t2.logs).toContain('Opening AOF incr file appendonly.aof.1.incr.aof on server start')
    expect(t2.logs.some((l) => /^DB loaded from incr file appendonly.aof.1.incr.aof: \d+\.\d{3} seconds$/.test(l))).toBe(true)
    // Loading propagates nothing.
    expect(t2.info('aof_buffer_length')).toBe('0')
  })

  it('INFO persistence shows the aof_* fields only while enabled', () => {
    const off = setup()
    expect(off.info('aof_enabled')).toBe('0')
    expect(off.info('aof_current_size')).toBe('')
    const on = setup({ appendonly: 'yes' })
    expect(on.info('aof_enabled')).toBe('1')
    on.r('SET', 'a', '1')
    // As redis-server 7.0.15 shows after an empty start: the base made at start-up is not counted.
    expect(on.info('aof_current_size')).toBe('50')
    expect(on.info('aof_base_size')).toBe('0')
    expect(on.info('aof_pending_rewrite')).toBe('0')
    expect(on.info('aof_pending_bio_fsync')).toBe('0')
  })
})

describe('CONFIG SET appendonly', () => {
  it('yes: WAIT_REWRITE writes to a temp incr file until the first rewrite, then the AOF is on', () => {
    const t = setup()
    t.r('SET', 'before', '1')
    expect(t.r('CONFIG', 'SET', 'appendonly', 'yes')).toEqual(status('OK'))
    expect(t.info('aof_rewrite_in_progress')).toBe('1')
    t.r('SET', 'during', '2')
    expect(t.file('appendonlydir/temp-appendonly.aof.incr')).toContain('during')
    t.drain()
    expect(t.file(manifest)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n')
    expect(t.file('appendonlydir/temp-appendonly.aof.incr')).toBe('<none>')
    t.r('SET', 'after', '3')
    expect(t.file('appendonlydir/appendonly.aof.1.incr.aof')).toMatch(/during[\s\S]*after/)
    expect(t.logs).toEqual(
      expect.arrayContaining([
        'Creating AOF incr file temp-appendonly.aof.incr on background rewrite',
        'Background append only file rewriting started by pid 101',
        'Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.1.incr.aof',
        'Background AOF rewrite finished successfully',
      ]),
    )
    expect(snapshot(restart(t).server)).toEqual(snapshot(t.server))
  })

  it('yes while a BGSAVE runs: the first rewrite is scheduled for when it is done', () => {
    const t = setup({ 'rdb-key-save-delay': '100000' })
    t.r('SET', 'a', '1')
    t.r('BGSAVE')
    expect(t.r('CONFIG', 'SET', 'appendonly', 'yes')).toEqual(status('OK'))
    expect(t.logs).toContain('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.')
    expect(t.info('aof_rewrite_scheduled')).toBe('1')
    t.drain()
    // The next cron tick starts the rewrite.
    t.clock.advance(100)
    t.server.cron()
    t.drain()
    expect(t.file(manifest)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n')
    expect(t.info('aof_rewrite_scheduled')).toBe('0')
  })

  it("SHUTDOWN while the first rewrite runs: Writing initial AOF, can't exit", () => {
    const t = setup({ 'rdb-key-save-delay': '100000' })
    t.r('SET', 'a', '1')
    t.r('CONFIG', 'SET', 'appendonly', 'yes')
    expect(t.r('SHUTDOWN')).toEqual(err('ERR Errors trying to SHUTDOWN. Check logs.'))
    expect(t.logs).toContain("Writing initial AOF, can't exit.")
    expect(t.server.shuttingDown).toBe(false)
  })

  it('no: stops appending and kills a running rewrite', () => {
    const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '1000000' })
    t.r('SET', 'a', '1')
    expect(t.r('BGREWRITEAOF')).toEqual(status('Background append only file rewriting started'))
    expect(t.r('CONFIG', 'SET', 'appendonly', 'no')).toEqual(status('OK'))
    expect(t.logs).toContain('Killing running AOF rewrite child: 101')
    expect(t.info('aof_enabled')).toBe('0')
    expect(t.info('aof_rewrite_in_progress')).toBe('0')
    t.r('SET', 'b', '2')
    expect(t.file('appendonlydir/appendonly.aof.2.incr.aof')).not.toContain('b')
    expect(t.storage.list().some((n) => n.startsWith('temp-rewriteaof'))).toBe(false)
  })
})

describe('BGREWRITEAOF', () => {
  it('opens a new incr file at the start, makes the old files history and deletes them', () => {
    const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '1000' })
    t.r('SET', 'a', '1')
    t.r('SET', 'b', '2')
    expect(t.r('BGREWRITEAOF')).toEqual(status('Background append only file rewriting started'))
    expect(t.r('BGREWRITEAOF')).toEqual(err('ERR Background append only file rewriting already in progress'))
    expect(t.file(manifest)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n')
    t.r('SET', 'a', 'changed')
    expect(t.file('appendonlydir/appendonly.aof.2.incr.aof')).toContain('changed')
    t.drain()
    expect(t.file(manifest)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n')
    expect(t.storage.list().sort()).toEqual(['appendonlydir/appendonly.aof.2.base.rdb', 'appendonlydir/appendonly.aof.2.incr.aof', manifest])
    expect(t.logs).toEqual(expect.arrayContaining(['Removing the history file appendonly.aof.1.incr.aof in the background', 'Removing the history file appendonly.aof.1.base.rdb in the background']))
    // The base made at start-up is no BGREWRITEAOF.
    expect(t.info('aof_rewrites')).toBe('1')
    expect(t.info('aof_last_bgrewrite_status')).toBe('ok')
    // The child wrote the value of `a` as it was at the start (copy-on-write), the incr file has the change.
    const t2 = restart(t)
    expect(t2.c.call(['GET', 'a'])).toEqual({ kind: 'bulk', value: 'changed' })
  })

  for (const preamble of ['yes', 'no']) {
    it(`the child writes values as they were at its start (copy-on-write), aof-use-rdb-preamble ${preamble}`, () => {
      const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '100000', 'aof-use-rdb-preamble': preamble })
      for (let i = 0; i < 20; i++) t.r('RPUSH', `l${i}`, 'a')
      t.r('BGREWRITEAOF')
      // Not idempotent: a value the child wrote after the change would get the element twice on reload.
      for (let i = 0; i < 20; i++) t.r('RPUSH', `l${i}`, 'b')
      t.drain()
      expect(Number(t.info('aof_last_cow_size'))).toBeGreaterThan(0)
      const t2 = restart(t)
      for (let i = 0; i < 20; i++) expect(t2.c.call(['LRANGE', `l${i}`, '0', '-1'])).toEqual({ kind: 'array', value: [{ kind: 'bulk', value: 'a' }, { kind: 'bulk', value: 'b' }] })
    })
  }

  it('keeps history files with aof-disable-auto-gc yes', () => {
    const t = setup({ appendonly: 'yes', 'aof-disable-auto-gc': 'yes' })
    t.r('SET', 'a', '1')
    t.r('BGREWRITEAOF')
    t.drain()
    expect(t.file(manifest)).toBe(
      'file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.1.base.rdb seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
    )
    expect(snapshot(restart(t).server)).toEqual(snapshot(t.server))
  })

  it('writes an AOF base (64 items per command, PEXPIREAT for TTLs) with aof-use-rdb-preamble no', () => {
    const t = setup({ appendonly: 'yes', 'aof-use-rdb-preamble': 'no' })
    populate(t.r)
    for (let i = 0; i < 130; i++) t.r('RPUSH', 'big', String(i))
    t.r('BGREWRITEAOF')
    t.drain()
    expect(t.file(manifest)).toContain('file appendonly.aof.2.base.aof seq 2 type b\n')
    const base = t.file('appendonlydir/appendonly.aof.2.base.aof')
    expect(base.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n')).toBe(true)
    expect(base).toContain(`*${2 + AOF_REWRITE_ITEMS_PER_CMD}\r\n$5\r\nRPUSH\r\n$3\r\nbig\r\n$1\r\n0\r\n`)
    expect(base).toContain('*4\r\n$5\r\nRPUSH\r\n$3\r\nbig\r\n$3\r\n128\r\n$3\r\n129\r\n')
    expect(base).toContain('*3\r\n$9\r\nPEXPIREAT\r\n$5\r\nother\r\n$13\r\n1700005000000\r\n')
    expect(base).toContain('$18\r\n1.3333333333333333\r\n')
    expect(snapshot(restart(t).server)).toEqual(snapshot(t.server))
  })

  it('is scheduled while a BGSAVE runs, and BGSAVE answers as 7.0 does while a rewrite runs', () => {
    const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '1000000' })
    t.r('SET', 'a', '1')
    expect(t.r('BGSAVE')).toEqual(status('Background saving started'))
    expect(t.r('BGREWRITEAOF')).toEqual(status('Background append only file rewriting scheduled'))
    expect(t.info('aof_rewrite_scheduled')).toBe('1')
    while (persistence(t.server).childIs('rdb')) {
      t.clock.advance(100)
      t.server.cron()
    }
    t.clock.advance(100)
    t.server.cron()
    // The cron started the scheduled rewrite once the BGSAVE was done.
    expect(t.info('aof_rewrite_in_progress')).toBe('1')
    expect(t.r('BGSAVE')).toEqual(
      err("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."),
    )
    expect(t.r('BGSAVE', 'SCHEDULE')).toEqual(status('Background saving scheduled'))
    // SAVE is only refused by an RDB child.
    expect(t.r('SAVE')).toEqual(status('OK'))
    t.drain()
    // The scheduled BGSAVE ran once the rewrite was over.
    expect(t.info('aof_rewrites')).toBe('1')
    expect(t.logs.filter((l) => l.startsWith('Background saving started by pid'))).toHaveLength(2)
    expect(t.info('rdb_last_bgsave_status')).toBe('ok')
  })

  it('inside MULTI/EXEC is scheduled', () => {
    const t = setup({ appendonly: 'yes' })
    t.r('MULTI')
    t.r('BGREWRITEAOF')
    expect(t.r('EXEC')).toEqual({ kind: 'array', value: [status('Background append only file rewriting scheduled')] })
    expect(t.info('aof_rewrites')).toBe('0')
    t.clock.advance(100)
    t.server.cron()
    expect(t.info('aof_rewrites')).toBe('1')
  })

  it('starts automatically when the AOF grew by auto-aof-rewrite-percentage', () => {
    const t = setup({ appendonly: 'yes', 'auto-aof-rewrite-min-size': '1000', 'auto-aof-rewrite-percentage': '100' })
    for (let i = 0; i < 40; i++) t.r('SET', `k${i}`, 'x'.repeat(20))
    t.clock.advance(100)
    t.server.cron()
    expect(t.logs.some((l) => /^Starting automatic rewriting of AOF on \d+% growth$/.test(l))).toBe(true)
    expect(t.info('aof_rewrite_in_progress')).toBe('1')
  })

  it('records a failed rewrite', () => {
    const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '100000' })
    for (let i = 0; i < 3; i++) t.r('SET', `k${i}`, 'x'.repeat(1000))
    t.r('BGREWRITEAOF')
    t.storage.capacity = 0
    t.drain()
    expect(t.logs).toContain('Write error writing append only file on disk: No space left on device')
    expect(t.info('aof_last_bgrewrite_status')).toBe('err')
    expect(t.info('aof_rewrites_consecutive_failures')).toBe('1')
    expect(t.logs).toContain('Background AOF rewrite terminated with error')
  })
})

describe('CONFIG SET appendonly yes', () => {
  it('fails like updateAppendonly when the rewrite cannot start, leaving appendonly no', () => {
    const storage = new MemoryStorage()
    const write = storage.write.bind(storage)
    storage.write = (name, data) => {
      if (name.startsWith('appendonlydir/')) throw new Error('Permission denied')
      write(name, data)
    }
    const t = setup({}, storage)
    expect(t.r('CONFIG', 'SET', 'appendonly', 'yes')).toEqual(
      err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs."),
    )
    expect(t.r('CONFIG', 'GET', 'appendonly')).toEqual({ kind: 'map', value: [{ kind: 'bulk', value: 'appendonly' }, { kind: 'bulk', value: 'no' }] })
    expect(t.info('aof_enabled')).toBe('0')
    expect(t.r('SET', 'a', '1')).toEqual(status('OK'))
  })
})

describe('write errors', () => {
  it('everysec: a failed write refuses writes with MISCONF until a write works again', () => {
    const t = setup({ appendonly: 'yes' })
    t.storage.capacity = t.storage.list().reduce((n, f) => n + t.storage.read(f)!.length, 0)
    t.r('SET', 'a', '1')
    expect(t.logs).toContain('Error writing to the AOF file: No space left on device')
    expect(t.info('aof_last_write_status')).toBe('err')
    expect(t.r('SET', 'b', '2')).toEqual(err('MISCONF Errors writing to the AOF file: No space left on device'))
    expect(t.r('PING')).toEqual(err('MISCONF Errors writing to the AOF file: No space left on device'))
    expect(t.r('GET', 'a')).toEqual({ kind: 'bulk', value: '1' })
    t.storage.capacity = Infinity
    t.clock.advance(1000)
    t.server.cron()
    expect(t.logs).toContain('AOF write error looks solved, Redis can write again.')
    expect(t.r('SET', 'b', '2')).toEqual(status('OK'))
    expect(snapshot(restart(t).server)).toEqual(snapshot(t.server))
  })

  it("always: a failed write makes the server exit, as Redis can't take the reply back", () => {
    const t = setup({ appendonly: 'yes', appendfsync: 'always' })
    t.storage.capacity = 0
    t.r('SET', 'a', '1')
    expect(t.logs).toContain("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
    expect(t.exits).toEqual([1])
  })
})

describe('loading', () => {
  function withIncr(tail: string, config: Record<string, string> = {}) {
    const t = setup({ appendonly: 'yes', 'aof-use-rdb-preamble': 'no' })
    t.r('SET', 'a', '1')
    const name = 'appendonlydir/appendonly.aof.1.incr.aof'
    t.storage.write(name, byteStringToBytes(t.file(name) + tail))
    return { t, t2: restart(t, config), name }
  }

  it('truncates a short last file with aof-load-truncated yes', () => {
    const { t, t2, name } = withIncr('*3\r\n$3\r\nSET\r\n$1\r\nb')
    expect(t2.started).toBe(true)
    expect(t2.logs).toEqual(
      expect.arrayContaining([
        '!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!',
        '!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 50 !!!',
        'AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled',
      ]),
    )
    expect(t.storage.read(name)!.length).toBe(50)
    expect(t2.c.call(['GET', 'a'])).toEqual({ kind: 'bulk', value: '1' })
  })

  it('refuses a short file with aof-load-truncated no, and bad formats always', () => {
    const a = withIncr('*3\r\n$3\r\nSET', { 'aof-load-truncated': 'no' })
    expect(a.t2.started).toBe(false)
    expect(a.t2.logs.at(-1)).toMatch(/^Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1\) Make a backup/)
    const b = withIncr('xx')
    expect(b.t2.started).toBe(false)
    expect(b.t2.logs.at(-1)).toBe(
      'Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>',
    )
    const c = withIncr('*1\r\n$3\r\nfoo\r\n')
    expect(c.t2.logs.at(-1)).toBe("Unknown command 'foo' reading the append only file appendonly.aof.1.incr.aof")
  })

  it('reverts an incomplete MULTI/EXEC at the end', () => {
    const { t2 } = withIncr('*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n')
    expect(t2.logs).toContain('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof')
    expect(t2.logs).toContain('!!! Truncating the AOF appendonly.aof.1.incr.aof at offset 50 !!!')
    expect(t2.c.call(['EXISTS', 'x'])).toEqual({ kind: 'integer', value: 0 })
  })

  it('keeps keys whose PEXPIREAT has passed while loading (they expire afterwards)', () => {
    const { t2 } = withIncr(`*3\r\n$9\r\nPEXPIREAT\r\n$1\r\na\r\n$13\r\n${T0 - 1000}\r\n*3\r\n$6\r\nAPPEND\r\n$1\r\na\r\n$1\r\nx\r\n`)
    expect(t2.started).toBe(true)
    expect(t2.server.dbs[0].dict.get('a')).toMatchObject({ type: 'string', value: '1x' })
  })

  it('upgrades an old-style appendonly.aof in dir into the directory', () => {
    const storage = new MemoryStorage()
    const src = setup()
    populate(src.r)
    storage.write('appendonly.aof', aofRewriteToBytes(src.server))
    const t = setup({ appendonly: 'yes' }, storage)
    expect(t.started).toBe(true)
    expect(t.logs).toContain('Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).')
    expect(t.file(manifest)).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n')
    expect(snapshot(t.server)).toEqual(snapshot(src.server))
  })

  it('a missing file of the manifest is fatal', () => {
    const t = setup({ appendonly: 'yes' })
    t.storage.remove('appendonlydir/appendonly.aof.1.incr.aof')
    const t2 = restart(t)
    expect(t2.started).toBe(false)
    expect(t2.logs).toContain('Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file or directory')
  })

  it('DEBUG LOADAOF reloads the dataset from the files', () => {
    const t = setup({ appendonly: 'yes' })
    populate(t.r)
    const before = snapshot(t.server)
    t.server.dbs[0].dict.delete('int')
    expect(t.r('DEBUG', 'LOADAOF')).toEqual(status('OK'))
    expect(snapshot(t.server)).toEqual(before)
    expect(t.logs).toContain('Append Only File loaded by DEBUG LOADAOF')
  })
})

describe('shutdown and FLUSHALL', () => {
  it('SHUTDOWN flushes and fsyncs the AOF, kills a rewrite, and saves no RDB without save points', () => {
    const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '1000000' })
    t.r('SET', 'a', '1')
    t.r('BGREWRITEAOF')
    t.c.call(['SET', 'b', '2'])
    t.c.call(['SHUTDOWN'])
    expect(t.logs).toEqual(expect.arrayContaining(['There is a child rewriting the AOF. Killing it!', 'Calling fsync() on the AOF file.']))
    expect(t.storage.read('dump.rdb')).toBeNull()
    expect(restart(t).c.call(['GET', 'b'])).toEqual({ kind: 'bulk', value: '2' })
  })

  it('FLUSHALL kills a running BGSAVE but not an AOF rewrite', () => {
    const t = setup({ appendonly: 'yes', 'rdb-key-save-delay': '1000000' })
    t.r('SET', 'a', '1')
    t.r('BGSAVE')
    t.r('FLUSHALL')
    expect(t.info('rdb_bgsave_in_progress')).toBe('0')
    t.r('SET', 'a', '1')
    t.r('BGREWRITEAOF')
    t.r('FLUSHALL')
    expect(t.info('aof_rewrite_in_progress')).toBe('1')
  })
})
