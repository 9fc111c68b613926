// Storage on the file system (engine/persistence/storage.ts): files live in a
// directory read at each call (Redis's `dir`, which CONFIG SET dir can change).
// Writes are fsynced like rdbSave's fflush + fsync before the rename that
// publishes them; rename(2) is atomic within one file system.

import { appendFileSync, closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { StorageError, type Storage } from '../persistence/storage.ts'

// strerror() texts for the errno codes file operations meet.
const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  EIO: 'Input/output error',
  EXDEV: 'Invalid cross-device link',
}

function fail(e: unknown): never {
  const err = e as NodeJS.ErrnoException
  throw new StorageError((err.code && STRERROR[err.code]) || err.message)
}

export class FileStorage implements Storage {
  constructor(private readonly dir: () => string) {}

  private path(name: string): string {
    return join(this.dir(), name)
  }

  read(name: string): Uint8Array | null {
    try {
      return new Uint8Array(readFileSync(this.path(name)))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
      fail(e)
    }
  }

  write(name: string, data: Uint8Array): void {
    let fd = -1
    try {
      fd = openSync(this.path(name), 'w')
      let off = 0
      while (off < data.length) off += writeSync(fd, data, off, data.length - off)
      fsyncSync(fd)
    } catch (e) {
      fail(e)
    } finally {
      if (fd >= 0) closeSync(fd)
    }
  }

  append(name: string, data: Uint8Array): void {
    try {
      appendFileSync(this.path(name), data)
    } catch (e) {
      fail(e)
    }
  }

  rename(from: string, to: string): void {
    try {
      renameSync(this.path(from), this.path(to))
    } catch (e) {
      fail(e)
    }
  }

  list(): string[] {
    try {
      return readdirSync(this.dir())
    } catch (e) {
      fail(e)
    }
  }

  remove(name: string): boolean {
    try {
      unlinkSync(this.path(name))
      return true
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
      fail(e)
    }
  }

  describe(): string {
    return this.dir()
  }
}
