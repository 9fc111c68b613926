// glassbox-server: the engine as a RESP server, started like redis-server:
//   glassbox-server [/path/to/redis.conf] [--port 6379] [--bind 127.0.0.1] [--requirepass x] ...
// It binds 127.0.0.1 unless told otherwise (Redis's default bind is loopback-only
// in practice via protected mode; we are stricter and simpler).

import { readFileSync } from 'node:fs'
import { createServer } from '../server/server.ts'
import { SeededRandom } from '../server/random.ts'
import { SystemClock } from './clock.ts'
import { argvToConfigText, ConfigFileError, parseConfigText } from './config-file.ts'
import { TcpServer } from './tcp-server.ts'

// Directives that only the host reads; everything else goes to the engine's config.
const HOST_ONLY = new Set(['daemonize', 'pidfile', 'logfile', 'supervised', 'include', 'loglevel'])

function fatal(lines: string[]): never {
  process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n${lines.join('\n')}\n`)
  process.exit(1)
}

export async function main(args: string[]): Promise<void> {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write('Glassbox server (Redis 7.0.15 compatible) v=7.0.15\n')
    return
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(
      'Usage: glassbox-server [/path/to/redis.conf] [options] [-]\n' +
        '       glassbox-server -v or --version\n\n' +
        'Examples:\n  glassbox-server --port 7777\n  glassbox-server /etc/redis/6379.conf --loglevel verbose\n',
    )
    return
  }
  const { configFile, text } = argvToConfigText(args)
  let directives: Array<[string, string]>
  try {
    const fileText = configFile ? readFileSync(configFile, 'latin1') : ''
    directives = [...parseConfigText(fileText), ...parseConfigText(text)]
  } catch (e) {
    if (e instanceof ConfigFileError) fatal([`>>> '${e.text}'`, e.message])
    fatal([`Fatal error, can't open config file '${configFile}': ${(e as Error).message}`])
  }
  // Without a config file Redis binds every interface; we keep to loopback unless --bind says otherwise.
  let host = '127.0.0.1'
  let port = 6379
  const engineConfig: Array<[string, string]> = []
  for (const [name, value] of directives) {
    if (HOST_ONLY.has(name)) continue
    if (name === 'bind') host = value.split(' ')[0].replace(/^-/, '') || host
    if (name === 'port') port = Number(value)
    engineConfig.push([name, value])
  }
  const clock = new SystemClock()
  let server
  try {
    server = createServer({ clock, random: new SeededRandom(clock.nowUs() % 0xffffffff), config: engineConfig })
  } catch (e) {
    fatal([(e as Error).message])
  }
  const tcp = new TcpServer(server)
  const stop = async (): Promise<void> => {
    await tcp.close()
    process.exit(0)
  }
  server.onShutdown = () => void stop()
  process.on('SIGINT', () => server.shutdown())
  process.on('SIGTERM', () => server.shutdown())
  try {
    const bound = await tcp.listen({ port, host: host === '*' ? '0.0.0.0' : host })
    process.stdout.write(`Glassbox ${'7.0.15'} compatible server, pid ${process.pid}, listening on ${host}:${bound}\nReady to accept connections\n`)
  } catch (e) {
    process.stderr.write(`Could not create server TCP listening socket ${host}:${port}: ${(e as Error).message}\n`)
    process.exit(1)
  }
}

void main(process.argv.slice(2))
