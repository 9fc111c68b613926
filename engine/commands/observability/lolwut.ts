// LOLWUT [VERSION v] [args...] (lolwut.c, lolwut5.c, lolwut6.c in Redis 7.0.15).
// Without VERSION, 7.0 has no art of its own and prints its version; VERSION 5
// draws Georg Nees' "Schotter" in Braille characters (rows below the second are
// placed at random, as in Redis, with the engine's seeded Random); VERSION 6 a
// random skyline in four terminal grays.

import { verbatim, type Reply } from '../../protocol/reply.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import type { Random } from '../../server/random.ts'
import { isReply, parseLongLong } from '../args.ts'

const VERSION = '7.0.15'
const f = Math.fround

/** C's round(): halves away from zero. */
const cRound = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v))

class Canvas {
  readonly pixels: Uint8Array
  constructor(
    readonly width: number,
    readonly height: number,
    bgcolor = 0,
  ) {
    this.pixels = new Uint8Array(width * height).fill(bgcolor)
  }
  set(x: number, y: number, color = 1): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return
    this.pixels[x + y * this.width] = color
  }
  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0
    return this.pixels[x + y * this.width]
  }
  /** lwDrawLine: Bresenham. */
  line(x1: number, y1: number, x2: number, y2: number): void {
    const dx = Math.abs(x2 - x1)
    const dy = Math.abs(y2 - y1)
    const sx = x1 < x2 ? 1 : -1
    const sy = y1 < y2 ? 1 : -1
    let err = dx - dy
    for (;;) {
      this.set(x1, y1)
      if (x1 === x2 && y1 === y2) break
      const e2 = err * 2
      if (e2 > -dy) {
        err -= dy
        x1 += sx
      }
      if (e2 < dx) {
        err += dx
        y1 += sy
      }
    }
  }
  /** lwDrawSquare: the corners on a circle, starting at 45 degrees plus the angle (float math as in C). */
  square(x: number, y: number, size: number, angle: number): void {
    size = f(cRound(f(size / 1.4142135623)))
    let k = f(Math.PI / 4 + angle)
    const px: number[] = []
    const py: number[] = []
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * size + x))
      py.push(cRound(Math.cos(k) * size + y))
      k = f(k + Math.PI / 2)
    }
    for (let j = 0; j < 4; j++) this.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4])
  }
  /** renderCanvas: 2x4 pixel groups as Braille characters (UTF-8 bytes), rows separated by newlines. */
  render(): string {
    let text = ''
    for (let y = 0; y < this.height; y += 4) {
      for (let x = 0; x < this.width; x += 2) {
        let byte = 0
        if (this.get(x, y)) byte |= 1 << 0
        if (this.get(x, y + 1)) byte |= 1 << 1
        if (this.get(x, y + 2)) byte |= 1 << 2
        if (this.get(x + 1, y)) byte |= 1 << 3
        if (this.get(x + 1, y + 1)) byte |= 1 << 4
        if (this.get(x + 1, y + 2)) byte |= 1 << 5
        if (this.get(x, y + 3)) byte |= 1 << 6
        if (this.get(x + 1, y + 3)) byte |= 1 << 7
        const code = 0x2800 | byte
        text += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
      }
      if (y !== this.height - 1) text += '\n'
    }
    return text
  }
}

/** lwDrawSchotter: a grid of squares, increasingly rotated and shifted in lower rows. */
function schotter(random: Random, cols: number, perRow: number, perCol: number): Canvas {
  const width = cols * 2
  const padding = width > 4 ? 2 : 0
  const side = f(f(width - padding * 2) / perRow)
  const height = Math.trunc(f(f(side * perCol) + padding * 2))
  const canvas = new Canvas(width, height)
  // rand() / RAND_MAX in float.
  const rnd = (): number => f(random.next())
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + f(side / 2)) + padding))
      let sy = Math.trunc(f(f(f(y * side) + f(side / 2)) + padding))
      let angle = 0
      if (y > 1) {
        let r1 = f(f(rnd() / perCol) * y)
        let r2 = f(f(rnd() / perCol) * y)
        let r3 = f(f(rnd() / perCol) * y)
        if (random.u32() % 2) r1 = -r1
        if (random.u32() % 2) r2 = -r2
        if (random.u32() % 2) r3 = -r3
        angle = r1
        sx = Math.trunc(sx + f(f(r2 * side) / 3))
        sy = Math.trunc(sy + f(f(r3 * side) / 3))
      }
      canvas.square(sx, sy, side, angle)
    }
  }
  return canvas
}

/** The optional numeric arguments (getLongFromObjectOrReply each), clamped to [1, limit]. */
function numericArgs(args: readonly string[], defaults: number[], limits: readonly number[]): number[] | Reply {
  const params = [...defaults]
  for (let i = 0; i < params.length && i + 1 < args.length; i++) {
    const v = parseLongLong(args[i + 1])
    if (isReply(v)) return v
    params[i] = Number(v < 1n ? 1n : v > BigInt(limits[i]) ? BigInt(limits[i]) : v)
  }
  return params
}

function lolwut5(random: Random, args: readonly string[]): Reply {
  const params = numericArgs(args, [66, 8, 12], [1000, 200, 200])
  if (isReply(params)) return params
  const art = schotter(random, params[0], params[1], params[2]).render()
  return verbatim(`${art}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${VERSION}\n`)
}

// ---------------------------------------------------------------- LOLWUT 6 (lolwut6.c)

/** generateSkyscraper: a block rising from the bottom row, roof two pixels narrower each side, optional windows in the two grays. */
function skyscraper(random: Random, canvas: Canvas, xoff: number, width: number, height: number, windows: boolean, color: number): void {
  const starty = canvas.height - 1
  const endy = starty - height + 1
  for (let y = starty; y >= endy; y--) {
    for (let x = xoff; x < xoff + width; x++) {
      if (y === endy && (x <= xoff + 1 || x >= xoff + width - 2)) continue
      let c = color
      if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (xoff + 1)
        const rely = y - (endy + 1)
        // Windows are two pixels wide and one tall; both halves share a color.
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do c = 1 + (random.u32() % 2)
          while (c === color)
          if (relx % 2) c = canvas.get(x - 1, y)
        }
      }
      canvas.set(x, y, c)
    }
  }
}

/** generateSkyline: two passes of background blocks (light gray behind), then black ones with windows. */
function skyline(random: Random, canvas: Canvas): void {
  const rnd = (): number => random.u32() & 0x7fffffff
  const h = canvas.height
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += rnd() % 8
      const width = 10 + (rnd() % 9)
      // canvas->height/2 + rand()%canvas->height/2 (or /3): the modulo binds first.
      const height = Math.trunc(h / 2) + Math.trunc((rnd() % h) / (color === 2 ? 2 : 3))
      skyscraper(random, canvas, offset, width, height, false, color)
      offset += color === 2 ? Math.trunc(width / 2) : width + 1
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += rnd() % 8
    let width = 5 + (rnd() % 14)
    if (width % 4) width += width % 3
    const height = Math.trunc(h / 3) + Math.trunc((rnd() % h) / 2)
    skyscraper(random, canvas, offset, width, height, true, 0)
    offset += width + 5
  }
}

/** The four terminal grays, each cell printed as a space with foreground and background set. */
const GRAYS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m']

function lolwut6(random: Random, args: readonly string[]): Reply {
  const params = numericArgs(args, [80, 20], [1000, 1000])
  if (isReply(params)) return params
  const canvas = new Canvas(params[0], params[1], 3)
  skyline(random, canvas)
  let text = ''
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GRAYS[canvas.get(x, y)] ?? GRAYS[0]} \x1b[0m`
    if (y !== canvas.height - 1) text += '\n'
  }
  return verbatim(
    `${text}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. ${VERSION}\n`,
  )
}

export const lolwut: CommandImpl = {
  name: 'lolwut',
  run: (c, argv): Reply => {
    let v = VERSION
    let args = argv
    if (argv.length >= 3 && argv[1].toLowerCase() === 'version') {
      const n = parseLongLong(argv[2])
      if (isReply(n)) return n
      // snprintf("%u.0.0", (unsigned int)ver): the version wraps to 32 bits.
      v = `${BigInt.asUintN(32, n)}.0.0`
      // The version implementations see the arguments after VERSION <v>.
      args = [argv[0], ...argv.slice(3)]
    }
    if ((v[0] === '5' && v[1] === '.' && v[2] !== '9') || (v[0] === '4' && v[1] === '.' && v[2] === '9')) {
      return lolwut5(c.server.random, args)
    }
    if ((v[0] === '6' && v[1] === '.' && v[2] !== '9') || (v[0] === '5' && v[1] === '.' && v[2] === '9')) {
      return lolwut6(c.server.random, args)
    }
    return verbatim(`Redis ver. ${VERSION}\n`)
  },
}
