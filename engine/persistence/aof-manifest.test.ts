import { describe, expect, it } from 'vitest'
import {
  AofManifestError,
  emptyManifest,
  manifestToString,
  markRewrittenIncrAsHistory,
  newBaseFile,
  newIncrFile,
  parseManifest,
  splitArgs,
} from './aof-manifest.ts'

function errorOf(text: string): AofManifestError {
  try {
    parseManifest(text)
  } catch (e) {
    if (e instanceof AofManifestError) return e
    throw e
  }
  throw new Error('no error')
}

describe('AOF manifest', () => {
  it('formats base, history, incr in that order (the 7.0 layout)', () => {
    const am = emptyManifest()
    newBaseFile(am, 'appendonly.aof', true)
    newIncrFile(am, 'appendonly.aof')
    expect(manifestToString(am)).toBe('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n')
    // A rewrite: new incr opened at its start, then the old base and incr become history (newest first).
    newIncrFile(am, 'appendonly.aof')
    newBaseFile(am, 'appendonly.aof', false)
    markRewrittenIncrAsHistory(am, true)
    expect(manifestToString(am)).toBe(
      'file appendonly.aof.2.base.aof seq 2 type b\n' +
        'file appendonly.aof.1.incr.aof seq 1 type h\n' +
        'file appendonly.aof.1.base.rdb seq 1 type h\n' +
        'file appendonly.aof.2.incr.aof seq 2 type i\n',
    )
  })

  it('parses what it writes, comments and extra keys included', () => {
    const text = '# comment\nfile appendonly.aof.2.base.rdb seq 2 type b newkey x\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n'
    const am = parseManifest(text)
    expect(am.base).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' })
    expect(am.history).toEqual([{ name: 'appendonly.aof.1.incr.aof', seq: 1, type: 'h' }])
    expect(am.incr.map((a) => a.seq)).toEqual([2])
    expect(am.currBaseSeq).toBe(2)
    expect(am.currIncrSeq).toBe(2)
  })

  it('quotes names that need it and reads them back', () => {
    const am = emptyManifest()
    am.base = { name: 'my file\x01.aof', seq: 1, type: 'b' }
    const text = manifestToString(am)
    expect(text).toBe('file "my file\\x01.aof" seq 1 type b\n')
    expect(parseManifest(text).base!.name).toBe('my file\x01.aof')
    expect(splitArgs('a "b c" \'d\'')).toEqual(['a', 'b c', 'd'])
    expect(splitArgs('"unbalanced')).toBeNull()
  })

  it("refuses bad manifests with aofLoadManifestFromFile's messages", () => {
    expect(errorOf('').lines).toEqual(['\n*** FATAL AOF MANIFEST FILE ERROR ***\n', 'Found an empty AOF manifest\n'])
    expect(errorOf('file a seq 1\n').lines).toEqual([
      '\n*** FATAL AOF MANIFEST FILE ERROR ***\n',
      'Reading the manifest file, at line 1\n',
      ">>> 'file a seq 1'\n",
      'Invalid AOF manifest file format\n',
    ])
    expect(errorOf('file a seq 1 type b\nfile b seq 2 type b\n').reason).toBe('Found duplicate base file information')
    expect(errorOf('file a seq 2 type i\nfile b seq 2 type i\n').reason).toBe('Found a non-monotonic sequence number')
    expect(errorOf('file a seq 1 type x\n').reason).toBe('Unknown AOF file type')
    expect(errorOf('file d/a seq 1 type b\n').reason).toBe("File can't be a path, just a filename")
    expect(errorOf('file a seq 0 type b\n').reason).toBe('Invalid AOF manifest file format')
    expect(errorOf('file a seq 1 type b').reason).toBe('The AOF manifest file contains too long line')
    expect(errorOf('\n').lines[2]).toBe(">>> ''\n")
  })
})
