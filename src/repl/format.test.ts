import { describe, expect, it } from 'vitest'
import { bytesOf, parseResp } from './resp.ts'
import { fatalReplyText, formatCommandReply, formatElapsed, formatPush, formatReply, isRawOutputCommand, sdscatrepr } from './format.ts'

const v = (s: string) => parseResp(bytesOf(s))
const tty = (s: string) => formatReply(v(s), 'tty')
const raw = (s: string) => formatReply(v(s), 'raw')

describe('sdscatrepr', () => {
  it('quotes and escapes like sds.c', () => {
    expect(sdscatrepr('hello')).toBe('"hello"')
    expect(sdscatrepr('a"b\\c')).toBe('"a\\"b\\\\c"')
    expect(sdscatrepr('\n\r\t\x07\x08')).toBe('"\\n\\r\\t\\a\\b"')
    expect(sdscatrepr('\x00\x1f\x7f\x80\xff')).toBe('"\\x00\\x1f\\x7f\\x80\\xff"')
    // UTF-8 bytes of "é" are not printable in the C locale.
    expect(sdscatrepr('\xc3\xa9')).toBe('"\\xc3\\xa9"')
  })
})

describe('formatReply tty', () => {
  it('prints scalars', () => {
    expect(tty('+OK\r\n')).toBe('OK\n')
    expect(tty('-ERR bad\r\n')).toBe('(error) ERR bad\n')
    expect(tty(':7\r\n')).toBe('(integer) 7\n')
    expect(tty('$-1\r\n')).toBe('(nil)\n')
    expect(tty('_\r\n')).toBe('(nil)\n')
    expect(tty(',1.5\r\n')).toBe('(double) 1.5\n')
    expect(tty('#t\r\n')).toBe('(true)\n')
    expect(tty('=9\r\ntxt:a\nb"c\r\n')).toBe('a\nb"c\n')
  })
  it('prints empty aggregates by kind', () => {
    expect(tty('*0\r\n')).toBe('(empty array)\n')
    expect(tty('%0\r\n')).toBe('(empty hash)\n')
    expect(tty('~0\r\n')).toBe('(empty set)\n')
    expect(tty('>0\r\n')).toBe('(empty push)\n')
  })
  it('indents nested arrays with the index width', () => {
    expect(tty('*2\r\n:1\r\n*2\r\n:2\r\n*1\r\n:3\r\n')).toBe('1) (integer) 1\n2) 1) (integer) 2\n   2) 1) (integer) 3\n')
    const ten = '*10\r\n' + ':0\r\n'.repeat(9) + '*2\r\n+a\r\n+b\r\n'
    expect(tty(ten).split('\n').slice(8)).toEqual([' 9) (integer) 0', '10) 1) a', '    2) b', ''])
  })
  it('prints maps and sets', () => {
    expect(tty('%2\r\n+a\r\n:1\r\n+b\r\n*2\r\n:1\r\n:2\r\n')).toBe('1# a => (integer) 1\n2# b => \n   1) (integer) 1\n   2) (integer) 2\n')
    expect(tty('%1\r\n+a\r\n*1\r\n:1\r\n')).toBe('1# a => 1) (integer) 1\n')
    expect(tty('~2\r\n$1\r\nx\r\n$1\r\ny\r\n')).toBe('1~ "x"\n2~ "y"\n')
  })
  it('stops C-string texts at NUL like printf', () => {
    expect(formatReply({ type: 'error', value: 'ERR a\0b' }, 'tty')).toBe('(error) ERR a\n')
    expect(formatReply({ type: 'error', value: 'ERR a\0b' }, 'raw')).toBe('ERR a\0b\n\n')
  })
})

describe('formatReply raw', () => {
  it('prints bare values and a trailing newline', () => {
    expect(raw('$-1\r\n')).toBe('\n')
    expect(raw('*0\r\n')).toBe('\n')
    expect(raw('-ERR x\r\n')).toBe('ERR x\n\n')
    expect(raw('*3\r\n:1\r\n*1\r\n$1\r\na\r\n#f\r\n')).toBe('1\na\n(false)\n')
    expect(raw('%2\r\n+a\r\n:1\r\n+b\r\n,2.5\r\n')).toBe('a 1\nb 2.5\n')
  })
})

describe('special cases', () => {
  it('raw-output commands print the body as is in every mode', () => {
    expect(isRawOutputCommand(['INFO'])).toBe(true)
    expect(isRawOutputCommand(['client', 'LIST'])).toBe(true)
    expect(isRawOutputCommand(['latency', 'doctor', 'x'])).toBe(false)
    expect(isRawOutputCommand(['get', 'info'])).toBe(false)
    expect(formatCommandReply(['info'], v('$7\r\n#x\r\na\r\n\r\n'), 'tty')).toBe('#x\r\na\r\n')
    expect(formatCommandReply(['get', 'k'], v('$1\r\na\r\n'), 'tty')).toBe('"a"\n')
  })
  it('invalidation pushes print as redis-cli does at the prompt', () => {
    const push = v('>2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n')
    expect(formatPush(push, 'tty')).toBe("-> invalidate: 'a', 'b'\n")
    expect(formatPush(push, 'raw')).toBe('invalidate\na\nb\n')
    expect(formatPush(v('>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$2\r\nhi\r\n'), 'tty')).toBe('1) "message"\n2) "c"\n3) "hi"\n')
  })
  it('bignum and attribute replies give redis-cli fatal errors', () => {
    expect(fatalReplyText(v('(1\r\n'))).toBe('Unknown reply type: 13')
    expect(formatReply(v('*1\r\n(1\r\n'), 'tty')).toBe('Unknown reply type: 13\n')
    expect(formatReply(v('|0\r\n+OK\r\n'), 'raw')).toBe('Error: Protocol error, got "|" as reply type byte\n')
    expect(fatalReplyText(v('+OK\r\n'))).toBeNull()
  })
  it('elapsed time line', () => {
    expect(formatElapsed(499, 'tty')).toBe('')
    expect(formatElapsed(1234, 'tty')).toBe('(1.23s)\n')
    expect(formatElapsed(1234, 'raw')).toBe('')
  })
})
