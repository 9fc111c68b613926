// Reads a V8 .cpuprofile (node --cpu-prof) of glassbox-server and sums self
// time by function and by source file. The server runs as an esbuild bundle
// (bin/glassbox-server.mjs), whose `// engine/....ts` section comments map
// bundle lines back to the engine's files.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface HotSpot {
  /** 'engine/protocol/decoder.ts:multibulk' or a Node/V8 name like '(garbage collector)'. */
  name: string
  selfMs: number
  percent: number
}

export interface ProfileSummary {
  totalMs: number
  /** Time the event loop waited for I/O. */
  idlePercent: number
  byFunction: HotSpot[]
  byFile: HotSpot[]
}

/** Section starts of an esbuild bundle: [first line (0-based), source path]. */
function bundleSections(url: string): Array<[number, string]> {
  const text = readFileSync(fileURLToPath(url), 'utf8')
  const out: Array<[number, string]> = []
  text.split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:engine|src|node_modules)\/\S+\.[cm]?[jt]s)$/.exec(line)
    if (m) out.push([i, m[1]])
  })
  return out
}

export function summariseProfile(path: string, top = 25): ProfileSummary {
  const prof = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile
  const sections = new Map<string, Array<[number, string]>>()
  const sourceOf = (cf: CallFrame): string => {
    if (!cf.url) return ''
    if (cf.url.startsWith('file://') && cf.url.endsWith('.mjs') && cf.url.includes('.cache/glassbox-server')) {
      if (!sections.has(cf.url)) sections.set(cf.url, bundleSections(cf.url))
      let file = 'bundle'
      for (const [line, name] of sections.get(cf.url)!) {
        if (line > cf.lineNumber) break
        file = name
      }
      return file
    }
    return cf.url.replace(/^file:\/\/.*?\/node_modules\//, 'node_modules/').replace(/^file:\/\//, '')
  }
  const self = new Map<number, number>()
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)))
  let total = 0
  for (const t of self.values()) total += t
  const byFunction = new Map<string, number>()
  const byFile = new Map<string, number>()
  for (const n of prof.nodes) {
    const t = self.get(n.id) ?? 0
    if (t === 0) continue
    const src = sourceOf(n.callFrame)
    const fn = n.callFrame.functionName || '(anonymous)'
    const name = src ? `${src}:${fn}` : fn
    byFunction.set(name, (byFunction.get(name) ?? 0) + t)
    const file = src || fn
    byFile.set(file, (byFile.get(file) ?? 0) + t)
  }
  const rank = (m: Map<string, number>): HotSpot[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: (100 * us) / total }))
  return {
    totalMs: total / 1000,
    idlePercent: (100 * (byFunction.get('(idle)') ?? 0)) / total,
    byFunction: rank(byFunction),
    byFile: rank(byFile),
  }
}
