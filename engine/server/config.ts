// The server's configuration (Redis's config.c): a table of typed directives with
// their defaults, bounds and spellings, so CONFIG GET prints exactly what
// redis-server prints and CONFIG SET accepts exactly what it accepts.
//
// Every value is kept in its canonical CONFIG GET text. Hot paths read parsed
// values through `num()`/`bool()`/`str()`, which are kept in a plain object
// updated on every successful set.
//
// Numeric directives follow config.c's numericConfigSet: the input is parsed
// as a memory value (memtoull), a percentage or an octal number when the
// directive allows it, else as a strict integer (string2ll); the bounds are
// compared as unsigned for the C types Redis compares that way (unsigned long
// long, unsigned int, size_t) and as signed for the others, which decides the
// exact error text of out-of-range and negative input.

import { string2ll } from '../structures/numbers.ts'

export type ConfigType = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special'

export type ParseResult = { ok: true; value: string } | { ok: false; error: string }

export interface ConfigDef {
  name: string
  /** Second name registered for the same directive (Redis registers it as its own entry). */
  alias?: string
  type: ConfigType
  /** Default value in the text form CONFIG GET prints. */
  default: string
  /** Numeric bounds (inclusive), as config.c's lower_bound / upper_bound. */
  min?: number | bigint
  max?: number | bigint
  /** The C type is unsigned (unsigned long long, unsigned int, size_t): bounds compare unsigned. */
  unsigned?: boolean
  /** Numeric: also accepts "N%" (stored negative, printed back with '%'). */
  percent?: boolean
  /** Numeric: parsed and printed in octal (unixsocketperm). */
  octal?: boolean
  /** enum: allowed values, in config.c's order (the order error messages list them in). */
  values?: readonly string[]
  /** enum: the numeric value of each name (defaults to its index); equal numbers are synonyms. */
  enumNums?: readonly number[]
  /** The value is several space-separated arguments (MULTI_ARG_CONFIG); enums become bit flags. */
  multiArg?: boolean
  /** Only settable at start-up (IMMUTABLE_CONFIG). */
  immutable?: boolean
  /** Settable with CONFIG SET only when enable-protected-configs allows it (PROTECTED_CONFIG). */
  protected?: boolean
  /** Not listed by CONFIG GET patterns, only by its exact name (HIDDEN_CONFIG). */
  hidden?: boolean
  /** CONFIG SET refuses it while loading (DENY_LOADING_CONFIG). */
  denyLoading?: boolean
  /** An engine-internal switch, not a Redis directive: invisible to CONFIG GET/SET. */
  internal?: boolean

  /** is_valid_fn: an error message when the (already parsed) value is refused. */
  validate?: (value: string, config: Config) => string | undefined
  /** Numeric post-processing applied after a successful set (e.g. hz is clamped to 1..500). */
  normalise?: (n: bigint) => bigint
  /**
   * For 'special' (and strings needing it): turn the arguments into the canonical
   * stored text, or return an error message (the part after " - "). `current` is
   * the value before the change (some directives update only part of it).
   */
  parse?: (args: string[], current: string) => ParseResult
}

/** Told a directive's new value; a string returned is why it cannot be applied (anything else: applied). */
export type ConfigListener = (value: string) => unknown

export interface ConfigSetError {
  /** The argument name to report. */
  name: string
  error: string
}

const LLONG_MAX = 2n ** 63n - 1n
const ULLONG_MAX = 2n ** 64n - 1n

export class Config {
  private readonly defs = new Map<string, ConfigDef>()
  private readonly text = new Map<string, string>()
  /** Parsed numeric/boolean values for hot-path reads, keyed by canonical name. */
  private readonly parsed: Record<string, number> = Object.create(null)
  private readonly listeners = new Map<string, Array<ConfigListener>>()
  /** Every name Redis's configs dict holds (canonical and alias), lowercase. */
  private readonly entryNames: string[] = []

  constructor(defs: readonly ConfigDef[]) {
    for (const d of defs) {
      this.defs.set(d.name, d)
      if (!d.internal) this.entryNames.push(d.name)
      if (d.alias) {
        this.defs.set(d.alias, d)
        if (!d.internal) this.entryNames.push(d.alias)
      }
      this.store(d, d.default)
    }
  }

  /** The definition for a name or alias (case-insensitive). */
  def(name: string): ConfigDef | undefined {
    return this.defs.get(name.toLowerCase())
  }

  /** The definition CONFIG GET/SET see for a name: internal switches are not directives. */
  lookup(name: string): ConfigDef | undefined {
    const d = this.def(name)
    return d && !d.internal ? d : undefined
  }

  /** All canonical definitions, each once, in table order. */
  allDefs(): ConfigDef[] {
    return [...new Set(this.defs.values())]
  }

  /** Every directive name CONFIG GET can list: canonical names and aliases. */
  names(): readonly string[] {
    return this.entryNames
  }

  /** Canonical text value (CONFIG GET form). */
  str(name: string): string {
    const v = this.text.get(name)
    if (v === undefined) throw new Error(`unknown config ${name}`)
    return v
  }

  /** Canonical text value by canonical name or alias (case-insensitive). */
  get(name: string): string {
    const d = this.def(name)
    if (!d) throw new Error(`unknown config ${name}`)
    return this.text.get(d.name)!
  }

  num(name: string): number {
    const v = this.parsed[name]
    if (v === undefined) throw new Error(`config ${name} is not numeric`)
    return v
  }

  bool(name: string): boolean {
    return this.parsed[name] === 1
  }

  /**
   * Called after the value changes (also for start-up values). A listener
   * that cannot apply the value returns the reason (Redis's apply function
   * failing): CONFIG SET then restores the previous values and fails.
   */
  onChange(name: string, fn: ConfigListener): void {
    const list = this.listeners.get(name) ?? []
    list.push(fn)
    this.listeners.set(name, list)
  }

  /**
   * Validate and parse one value without storing it. Returns the canonical text,
   * or an error message in Redis's words (the part after "... - ").
   */
  check(d: ConfigDef, input: string): ParseResult {
    const args = d.multiArg ? splitSpaces(input) : [input]
    const r = this.parseArgs(d, args)
    if (r.ok && d.validate) {
      const err = d.validate(r.value, this)
      if (err !== undefined) return { ok: false, error: err }
    }
    return r
  }

  private parseArgs(d: ConfigDef, args: string[]): ParseResult {
    switch (d.type) {
      case 'bool': {
        const v = args[0].toLowerCase()
        if (v === 'yes' || v === 'no') return { ok: true, value: v }
        return { ok: false, error: "argument must be 'yes' or 'no'" }
      }
      case 'enum':
        return parseEnum(d, args)
      case 'int':
      case 'memory':
        return parseNumeric(d, args[0])
      case 'string':
      case 'special':
        return d.parse ? d.parse(args, this.text.get(d.name) ?? d.default) : { ok: true, value: args[0] }
    }
  }

  /**
   * Store an already-checked canonical value and notify listeners. (Several
   * `save` lines in a config file add up: the config file reader combines them
   * before applying.)
   */
  apply(name: string, value: string): void {
    const d = this.def(name)
    if (!d) throw new Error(`unknown config ${name}`)
    this.store(d, value)
    for (const fn of this.listeners.get(d.name) ?? []) fn(value)
  }

  /**
   * CONFIG SET's second half: set each [name, value] in order (so each sees the
   * ones before it), restoring every earlier value if one fails; listeners run
   * once all succeeded, for the directives whose value changed. Returns the
   * failing name (lowercase, as Redis reports it) and message, or undefined.
   */
  setAll(items: ReadonlyArray<readonly [string, string]>): ConfigSetError | undefined {
    const backup = new Map<ConfigDef, string>()
    for (const [name, value] of items) {
      const d = this.def(name)
      if (!d) throw new Error(`unknown config ${name}`)
      const r = this.check(d, value)
      if (!r.ok) {
        for (const [bd, v] of backup) this.store(bd, v)
        return { name: name.toLowerCase(), error: r.error }
      }
      if (!backup.has(d)) backup.set(d, this.text.get(d.name)!)
      this.store(d, r.value)
    }
    const applied: ConfigDef[] = []
    for (const [d, old] of backup) {
      const now = this.text.get(d.name)!
      if (now === old) continue
      applied.push(d)
      for (const fn of this.listeners.get(d.name) ?? []) {
        const failure = fn(now)
        if (typeof failure === 'string') {
          // restoreBackupConfig: every value back, and what was applied applied again.
          for (const [bd, v] of backup) this.store(bd, v)
          for (const ad of applied) for (const f of this.listeners.get(ad.name) ?? []) f(backup.get(ad)!)
          return { name: d.name, error: failure }
        }
      }
    }
    return undefined
  }

  private store(d: ConfigDef, value: string): void {
    this.text.set(d.name, value)
    if (d.type === 'bool') this.parsed[d.name] = value === 'yes' ? 1 : 0
    else if (d.type === 'int' || d.type === 'memory') this.parsed[d.name] = numericValue(d, value)
  }
}

// ---------------------------------------------------------------- numbers

/** The stored number behind a numeric directive's canonical text (percentages negative, as Redis keeps them). */
function numericValue(d: ConfigDef, text: string): number {
  if (d.percent && text.endsWith('%')) return -Number(text.slice(0, -1))
  if (d.octal) return parseInt(text, 8)
  return Number(text)
}

const big = (v: number | bigint | undefined, fallback: bigint): bigint =>
  v === undefined ? fallback : typeof v === 'bigint' ? v : BigInt(v)

/** numericParseString + numericBoundaryCheck + numericConfigGet. */
function parseNumeric(d: ConfigDef, input: string): ParseResult {
  const memory = d.type === 'memory'
  let ll: bigint | null = null
  if (memory) {
    const m = memtoull(input)
    // memtoull returns an unsigned long long stored into a long long.
    if (m !== null) ll = BigInt.asIntN(64, m)
  }
  if (ll === null && d.percent && input.length > 1 && input.endsWith('%')) {
    const p = string2ll(input.slice(0, -1))
    if (p !== null && p >= 0n) ll = -p
  }
  if (ll === null && d.octal) ll = strtoll(input, 8, true)
  if (ll === null && !memory && !d.percent && !d.octal) ll = string2ll(input)
  if (ll === null) {
    const error =
      memory && d.percent
        ? 'argument must be a memory or percent value'
        : memory
          ? 'argument must be a memory value'
          : d.octal
            ? "argument couldn't be parsed as an octal number"
            : "argument couldn't be parsed into an integer"
    return { ok: false, error }
  }
  const lower = big(d.min, -(2n ** 63n))
  const upper = big(d.max, LLONG_MAX)
  if (d.unsigned) {
    const ull = BigInt.asUintN(64, ll)
    const ulower = BigInt.asUintN(64, lower)
    const uupper = BigInt.asUintN(64, upper)
    if (ull > uupper || ull < ulower) {
      const f = (v: bigint): string => (d.octal ? v.toString(8) : v.toString())
      return { ok: false, error: `argument must be between ${f(ulower)} and ${f(uupper)} inclusive` }
    }
  } else if (d.percent && ll < 0n) {
    if (ll < lower) return { ok: false, error: `percentage argument must be less or equal to ${-lower}` }
  } else if (ll > upper || ll < lower) {
    return { ok: false, error: `argument must be between ${lower} and ${upper} inclusive` }
  }
  if (d.normalise) ll = d.normalise(ll)
  return { ok: true, value: formatNumeric(d, ll) }
}

function formatNumeric(d: ConfigDef, v: bigint): string {
  if (d.percent && v < 0n) return `${-v}%`
  if (d.type === 'memory') return BigInt.asUintN(64, v).toString()
  if (d.octal) return BigInt.asUintN(64, v).toString(8)
  return v.toString()
}

/**
 * util.c memtoull: digits with an optional unit b, k, kb, m, mb, g, gb
 * (case-insensitive; k = 1000, kb = 1024). No sign, no spaces; "" and "kb" are 0;
 * a number too big for 64 bits saturates (strtoull's ERANGE is not checked), but
 * one that overflows when the unit is applied is refused. Null when invalid.
 */
export function memtoull(p: string): bigint | null {
  if (p.startsWith('-')) return null
  let i = 0
  while (i < p.length && p.charCodeAt(i) >= 48 && p.charCodeAt(i) <= 57) i++
  const unit = cstr(p.slice(i)).toLowerCase()
  const mul = MEMORY_UNITS[unit]
  if (mul === undefined) return null
  if (i >= 128) return null
  let val = i === 0 ? 0n : BigInt(p.slice(0, i))
  if (val > ULLONG_MAX) val = ULLONG_MAX
  if (val > ULLONG_MAX / mul) return null
  return val * mul
}

const MEMORY_UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
}

/**
 * Redis's memtoull as a JS number (e.g. for CONFIG values read elsewhere).
 * Null when invalid or beyond Number's exact range.
 */
export function parseMemory(input: string): number | null {
  const v = memtoull(input)
  if (v === null || v > BigInt(Number.MAX_SAFE_INTEGER)) return null
  return Number(v)
}

// C strings stop at the first NUL byte.
function cstr(s: string): string {
  const z = s.indexOf('\0')
  return z < 0 ? s : s.slice(0, z)
}

/**
 * glibc strtoll(s, &end, base): leading isspace, optional sign, digits, saturating
 * at the int64 bounds. With `whole`, returns null unless the whole string was
 * consumed and no overflow happened (errno == 0 && *end == '\0'); otherwise it
 * returns the value and ignores trailing text like C code that checks neither.
 * Returns `{ value, end, overflow }` through strtollFull.
 */
export function strtoll(s: string, base: number, whole: boolean): bigint | null {
  const r = strtollFull(s, base)
  if (whole && (r.overflow || r.end !== s.length)) return null
  return r.value
}

export function strtollFull(s: string, base: number): { value: bigint; end: number; overflow: boolean } {
  let i = 0
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++
  let neg = false
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-'
    i++
  }
  const start = i
  let v = 0n
  const b = BigInt(base)
  while (i < s.length) {
    const d = digitValue(s.charCodeAt(i))
    if (d < 0 || d >= base) break
    v = v * b + BigInt(d)
    i++
  }
  // No digits: nothing was converted and the end pointer is the start of the string.
  if (i === start) return { value: 0n, end: 0, overflow: false }
  if (neg) v = -v
  let overflow = false
  if (v > LLONG_MAX) {
    v = LLONG_MAX
    overflow = true
  } else if (v < -(2n ** 63n)) {
    v = -(2n ** 63n)
    overflow = true
  }
  return { value: v, end: i, overflow }
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 122) return c - 87
  if (c >= 65 && c <= 90) return c - 55
  return -1
}

/** C isspace in the C locale: space, \t \n \v \f \r. */
export function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

/**
 * sdssplitlen(value, " "): every single space separates, so doubled spaces give
 * empty arguments; the empty string gives no arguments at all.
 */
export function splitSpaces(input: string): string[] {
  return input.length === 0 ? [] : input.split(' ')
}

// ---------------------------------------------------------------- enums

/**
 * enumConfigSet: one known name (case-insensitive), or for multi-argument enums
 * any number of names whose values are OR-ed as bit flags.
 */
function parseEnum(d: ConfigDef, args: string[]): ParseResult {
  const names = d.values!
  const nums = d.enumNums ?? names.map((_, i) => i)
  const fail: ParseResult = { ok: false, error: `argument(s) must be one of the following: ${names.join(', ')}` }
  if (args.length === 0 || (!d.multiArg && args.length !== 1)) return fail
  let value = 0
  for (const a of args) {
    const lower = a.toLowerCase()
    let matched = false
    names.forEach((n, i) => {
      if (n === lower) {
        value |= nums[i]
        matched = true
      }
    })
    if (!matched) return fail
  }
  const name = enumName(names, nums, value, !!d.multiArg)
  if (name === undefined) return fail
  return { ok: true, value: name }
}

/**
 * configEnumGetName: the first name with exactly this value (so synonyms print
 * as the first spelling), else for bit flags the names of the set bits in table
 * order.
 */
function enumName(names: readonly string[], nums: readonly number[], value: number, bitflags: boolean): string | undefined {
  const exact = nums.indexOf(value)
  if (exact >= 0) return names[exact]
  if (!bitflags) return undefined
  let unmatched = value
  const out: string[] = []
  names.forEach((n, i) => {
    const bit = nums[i]
    if (bit !== 0 && (unmatched & bit) === bit) {
      out.push(n)
      unmatched &= ~bit
    }
  })
  return out.length > 0 && unmatched === 0 ? out.join(' ') : undefined
}

/** The numeric value of a (possibly multi-flag) enum's canonical text. */
export function enumValue(d: ConfigDef, text: string): number {
  const nums = d.enumNums ?? d.values!.map((_, i) => i)
  let v = 0
  for (const part of text.split(' ')) {
    const i = d.values!.indexOf(part)
    if (i >= 0) v |= nums[i]
  }
  return v
}
