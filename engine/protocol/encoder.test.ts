import { describe, expect, it } from 'vitest'
import { ReplyWriter, encodeReply } from './encoder.ts'
import {
  NULL,
  NULL_ARRAY,
  OK,
  array,
  bool,
  bulk,
  bulks,
  double,
  error,
  integer,
  map,
  push,
  set,
  status,
  verbatim,
  type Reply,
} from './reply.ts'

function text(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i])
  return s
}

const enc = (r: Reply, resp: 2 | 3): string => text(encodeReply(r, resp))

describe('encodeReply', () => {
  const cases: Array<[string, Reply, string, string]> = [
    ['status', OK, '+OK\r\n', '+OK\r\n'],
    ['error', error('ERR no'), '-ERR no\r\n', '-ERR no\r\n'],
    ['integer', integer(0), ':0\r\n', ':0\r\n'],
    ['negative integer', integer(-42), ':-42\r\n', ':-42\r\n'],
    ['bigint', integer(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
    ['unsafe number integer', integer(2 ** 60), ':1152921504606846976\r\n', ':1152921504606846976\r\n'],
    ['bulk', bulk('hello'), '$5\r\nhello\r\n', '$5\r\nhello\r\n'],
    ['empty bulk', bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['null', NULL, '$-1\r\n', '_\r\n'],
    ['null array', NULL_ARRAY, '*-1\r\n', '_\r\n'],
    ['empty array', array([]), '*0\r\n', '*0\r\n'],
    ['array', array([integer(1), bulk('a'), NULL]), '*3\r\n:1\r\n$1\r\na\r\n$-1\r\n', '*3\r\n:1\r\n$1\r\na\r\n_\r\n'],
    ['map', map([bulk('k'), integer(1), bulk('j'), integer(2)]), '*4\r\n$1\r\nk\r\n:1\r\n$1\r\nj\r\n:2\r\n', '%2\r\n$1\r\nk\r\n:1\r\n$1\r\nj\r\n:2\r\n'],
    ['set', set([bulk('a'), bulk('b')]), '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '~2\r\n$1\r\na\r\n$1\r\nb\r\n'],
    ['push', push([bulk('message'), bulk('ch'), bulk('hi')]), '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n'],
    ['double', double(1.1), '$18\r\n1.1000000000000001\r\n', ',1.1000000000000001\r\n'],
    ['integral double', double(3), '$1\r\n3\r\n', ',3\r\n'],
    ['inf', double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
    ['-inf', double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['-0', double(-0), '$2\r\n-0\r\n', ',-0\r\n'],
    ['true', bool(true), ':1\r\n', '#t\r\n'],
    ['false', bool(false), ':0\r\n', '#f\r\n'],
    ['verbatim', verbatim('a\r\nb'), '$4\r\na\r\nb\r\n', '=8\r\ntxt:a\r\nb\r\n'],
    ['verbatim md', verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n'],
    ['verbatim short format', verbatim('x', 'md'), '$1\r\nx\r\n', '=5\r\nmd :x\r\n'],
    ['verbatim long format', verbatim('x', 'markdown'), '$1\r\nx\r\n', '=5\r\nmar:x\r\n'],
    [
      'nested',
      array([map([bulk('a'), set([integer(1)])]), array([double(0.5), bool(true)])]),
      '*2\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n*2\r\n$3\r\n0.5\r\n:1\r\n',
      '*2\r\n%1\r\n$1\r\na\r\n~1\r\n:1\r\n*2\r\n,0.5\r\n#t\r\n',
    ],
  ]
  it.each(cases)('%s', (_name, reply, resp2, resp3) => {
    expect(enc(reply, 2)).toBe(resp2)
    expect(enc(reply, 3)).toBe(resp3)
  })

  it('writes byte strings byte for byte (no UTF-8)', () => {
    let all = ''
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i)
    const b = encodeReply(bulk(all), 2)
    expect(b.length).toBe(6 + 256 + 2)
    expect(text(b)).toBe('$256\r\n' + all + '\r\n')
  })

  it('turns CR and LF in status and error texts into spaces', () => {
    expect(enc(error('ERR a\r\nb\n'), 2)).toBe('-ERR a  b \r\n')
    expect(enc(status('x\ry'), 3)).toBe('+x y\r\n')
  })

  it('refuses a non-integer integer reply', () => {
    expect(() => encodeReply(integer(1.5), 2)).toThrow(RangeError)
  })
})

describe('ReplyWriter', () => {
  it('batches replies and take() empties it', () => {
    const w = new ReplyWriter(64)
    w.write(OK, 2)
    w.write(integer(7), 3)
    expect(w.length).toBe(9)
    const first = w.take()
    expect(text(first)).toBe('+OK\r\n:7\r\n')
    expect(w.length).toBe(0)
    expect(w.take().length).toBe(0)
    w.write(bulk('x'), 2)
    expect(text(w.take())).toBe('$1\r\nx\r\n')
    // the earlier result is not overwritten by later writes
    expect(text(first)).toBe('+OK\r\n:7\r\n')
  })

  it('grows for large and many replies, and hands out big buffers without sharing', () => {
    const w = new ReplyWriter(64)
    const big = 'v'.repeat(300000)
    w.write(bulk(big), 2)
    for (let i = 0; i < 10000; i++) w.write(integer(i), 2)
    const out = w.take()
    let expected = '$300000\r\n' + big + '\r\n'
    for (let i = 0; i < 10000; i++) expected += `:${i}\r\n`
    expect(text(out)).toBe(expected)
    w.write(bulks(['a', 'b']), 2)
    expect(text(w.take())).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n')
    expect(text(out).slice(0, 9)).toBe('$300000\r\n')
  })

  it('writeBytes appends raw protocol', () => {
    const w = new ReplyWriter()
    w.writeBytes(encodeReply(OK, 2))
    w.write(NULL, 3)
    expect(text(w.take())).toBe('+OK\r\n_\r\n')
  })
})
