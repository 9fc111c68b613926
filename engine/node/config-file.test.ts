import { describe, expect, it } from 'vitest'
import { splitArgs } from '../protocol/decoder.ts'
import { combineConfigText, ConfigFileError, parseCommandLine, parseConfigText, quoteRepr, utf8ToBytes } from './config-file.ts'

describe('parseCommandLine (server.c main)', () => {
  it('takes a first argument without a dash as the config file', () => {
    expect(parseCommandLine(['/etc/redis.conf', '--port', '7000'])).toEqual({
      configFile: '/etc/redis.conf',
      fromStdin: false,
      options: 'port "7000" ',
    })
    expect(parseCommandLine(['--port', '7000']).configFile).toBeUndefined()
  })

  it('puts each option on its own line with quoted values', () => {
    const { options } = parseCommandLine(['--port', '7000', '--bind', '127.0.0.1', '::1', '--requirepass', 'a b"c'])
    expect(options).toBe('port "7000" \nbind "127.0.0.1" "::1" \nrequirepass "a b\\"c" ')
    const lines = options.split('\n').map((l) => splitArgs(l))
    expect(lines).toEqual([['port', '7000'], ['bind', '127.0.0.1', '::1'], ['requirepass', 'a b"c']])
  })

  it('reads `-` first or last as config from stdin', () => {
    expect(parseCommandLine(['-']).fromStdin).toBe(true)
    expect(parseCommandLine(['--port', '1', '-']).fromStdin).toBe(true)
    expect(parseCommandLine(['/x.conf', '-']).fromStdin).toBe(true)
  })

  it('treats the argument after a bare option name as its value even when it starts with --', () => {
    expect(parseCommandLine(['--requirepass', '--weird']).options).toBe('requirepass "--weird" ')
  })

  it('--save followed by an option, or last, means save ""', () => {
    expect(parseCommandLine(['--save', '--port', '7000']).options).toBe('save ""\nport "7000" ')
    expect(parseCommandLine(['--port', '7000', '--save']).options).toBe('port "7000" \nsave ""')
    expect(parseCommandLine(['--save', '']).options).toBe('save "" ')
  })

  it('accepts "--name value" as one argument', () => {
    expect(parseCommandLine(['--port 7000', '--bind', 'x']).options).toBe('port 7000 \nbind "x" ')
  })

  it('converts UTF-8 arguments to byte strings', () => {
    expect(utf8ToBytes('é')).toBe('\xc3\xa9')
    expect(parseCommandLine(['--requirepass', 'é']).options).toBe('requirepass "\\xc3\\xa9" ')
  })
})

describe('quoteRepr (sdscatrepr)', () => {
  it('round-trips every byte through splitArgs', () => {
    let all = ''
    for (let c = 1; c < 256; c++) all += String.fromCharCode(c)
    expect(splitArgs('x ' + quoteRepr(all))).toEqual(['x', all])
    expect(quoteRepr('a\r\n\t\x07\x08\\"\x7f')).toBe('"a\\r\\n\\t\\a\\b\\\\\\"\\x7f"')
  })
})

describe('parseConfigText (loadServerConfigFromString)', () => {
  it('skips comments and blank lines, lowercases names, keeps line numbers', () => {
    const lines = parseConfigText('# comment\n\n  PORT 7000  \r\nsave 10 1\n\tbind 127.0.0.1 ::1\n')
    expect(lines.map((l) => [l.line, l.argv])).toEqual([
      [3, ['port', '7000']],
      [4, ['save', '10', '1']],
      [5, ['bind', '127.0.0.1', '::1']],
    ])
    expect(lines[0].text).toBe('PORT 7000')
  })

  it('reports unbalanced quotes with the line', () => {
    try {
      parseConfigText('port 1\nrequirepass "abc\n')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigFileError)
      const err = e as ConfigFileError
      expect([err.line, err.text, err.message]).toEqual([2, 'requirepass "abc', 'Unbalanced quotes in configuration line'])
    }
  })

  it('expands include in place', () => {
    const files: Record<string, string> = { '/a.conf': 'port 1\ninclude /b.conf\nmaxclients 5', '/b.conf': 'timeout 3' }
    const readFile = (p: string): string => {
      if (!(p in files)) throw new Error('No such file or directory')
      return files[p]
    }
    const lines = parseConfigText(files['/a.conf'], { readFile })
    expect(lines.map((l) => l.argv)).toEqual([['port', '1'], ['timeout', '3'], ['maxclients', '5']])
    expect(lines[1].file).toBe('/b.conf')
    expect(() => parseConfigText('include /missing.conf', { readFile })).toThrow("can't open config file '/missing.conf'")
    files['/loop.conf'] = 'include /loop.conf'
    expect(() => parseConfigText('include /loop.conf', { readFile })).toThrow('Too many nested include')
  })

  it('numbers command-line options after the file (line 2 with no file, as redis-server reports)', () => {
    const text = combineConfigText('', '', parseCommandLine(['--port', 'abc']).options)
    expect(parseConfigText(text)[0].line).toBe(2)
    const withFile = combineConfigText('port 1\ntimeout 2\n', 'maxclients 3\n', 'bind "x" ')
    expect(parseConfigText(withFile).map((l) => [l.line, l.argv[0]])).toEqual([
      [1, 'port'],
      [2, 'timeout'],
      [3, 'maxclients'],
      [5, 'bind'],
    ])
  })
})
