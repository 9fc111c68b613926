// Placeholder page until the app lands: proves the engine bundles for the
// browser by running a few commands in the page and showing the replies.
// (The real app runs the engine in a Web Worker; see design.md.)
import { createServer } from '../engine/server/server.ts'
import type { Reply } from '../engine/protocol/reply.ts'

const clock = { nowMs: () => Date.now(), nowUs: () => Math.floor((performance.timeOrigin + performance.now()) * 1000) }
const server = createServer({ clock })
const client = server.connect()

function show(r: Reply | undefined): string {
  if (!r) return '(no reply)'
  switch (r.kind) {
    case 'status': return r.value
    case 'error': return `(error) ${r.value}`
    case 'integer': return `(integer) ${r.value}`
    case 'bulk': return JSON.stringify(r.value)
    case 'null': case 'nullArray': return '(nil)'
    default: return JSON.stringify(r)
  }
}

const pre = document.createElement('pre')
pre.setAttribute('aria-label', 'Engine transcript')
const lines: string[] = []
for (const argv of [['PING'], ['SET', 'greeting', 'hello'], ['GET', 'greeting'], ['INCR', 'visits'], ['OBJECT', 'ENCODING', 'visits']]) {
  lines.push(`127.0.0.1:6379> ${argv.join(' ')}`, show(client.call(argv)))
}
pre.textContent = lines.join('\n')
document.getElementById('app')!.append(pre)
