import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileStorage } from './file-storage.ts'
import { StorageError } from '../persistence/storage.ts'
import { createServer } from '../server/server.ts'
import { VirtualClock } from '../server/clock.ts'
import { attachPersistence } from '../persistence/snapshot.ts'

const dirs: string[] = []
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'glassbox-fs-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('FileStorage', () => {
  it('reads, writes, appends, renames, lists and removes files under the directory', () => {
    const dir = tmp()
    const s = new FileStorage(() => dir)
    expect(s.read('a')).toBeNull()
    s.write('a', Uint8Array.of(1, 2))
    s.append('a', Uint8Array.of(3))
    s.append('b', Uint8Array.of(9))
    expect(Array.from(s.read('a')!)).toEqual([1, 2, 3])
    s.rename('a', 'b')
    expect(s.list()).toEqual(['b'])
    expect(Array.from(readFileSync(path.join(dir, 'b')))).toEqual([1, 2, 3])
    expect(s.remove('b')).toBe(true)
    expect(s.remove('b')).toBe(false)
  })

  it('reports failures with strerror texts', () => {
    const dir = tmp()
    mkdirSync(path.join(dir, 'dump.rdb'))
    const s = new FileStorage(() => dir)
    s.write('t', Uint8Array.of(1))
    expect(() => s.rename('t', 'dump.rdb')).toThrow(StorageError)
    expect(() => s.rename('t', 'dump.rdb')).toThrow('Is a directory')
  })

  it('SAVE goes through temp-<pid>.rdb and fails like rdbSave when the rename fails', () => {
    const dir = tmp()
    const server = createServer({ clock: new VirtualClock(), config: { save: '' } })
    const logs: string[] = []
    attachPersistence(server, { storage: new FileStorage(() => dir), pid: 4242, log: (_l, m) => logs.push(m) })
    const c = server.connect()
    c.call(['SET', 'k', 'v'])
    expect(c.call(['SAVE'])).toEqual({ kind: 'status', value: 'OK' })
    expect(readFileSync(path.join(dir, 'dump.rdb')).subarray(0, 9).toString('latin1')).toBe('REDIS0010')
    rmSync(path.join(dir, 'dump.rdb'))
    mkdirSync(path.join(dir, 'dump.rdb'))
    expect(c.call(['SAVE'])).toEqual({ kind: 'error', value: 'ERR' })
    expect(logs.at(-1)).toBe(`Error moving temp DB file temp-4242.rdb on the final destination dump.rdb (in server root dir ${dir}): Is a directory`)
  })
})
