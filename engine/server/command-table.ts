// The dispatch table: the implemented commands, each joined with its Redis 7.0.15
// metadata (arity, flags, keys) from the generated command table. A command that
// has no implementation is not here, so it gets Redis's unknown-command error.

import type { Reply } from '../protocol/reply.ts'
import type { Client } from './client.ts'
import { getCommandMeta, type CommandMeta } from './command-metadata.ts'

export type Handler = (c: Client, argv: string[]) => Reply | undefined

/** What a command module exports: one entry per command or subcommand ('config|get'). */
export interface CommandImpl {
  name: string
  run: Handler
}

/** Command flags as a bitmask, named like COMMAND INFO's flags. */
export const CMD = {
  write: 1 << 0,
  readonly: 1 << 1,
  denyoom: 1 << 2,
  module: 1 << 3,
  admin: 1 << 4,
  pubsub: 1 << 5,
  noscript: 1 << 6,
  blocking: 1 << 7,
  loading: 1 << 8,
  stale: 1 << 9,
  skip_monitor: 1 << 10,
  skip_slowlog: 1 << 11,
  asking: 1 << 12,
  fast: 1 << 13,
  no_auth: 1 << 14,
  may_replicate: 1 << 15,
  sentinel: 1 << 16,
  only_sentinel: 1 << 17,
  no_mandatory_keys: 1 << 18,
  protected: 1 << 19,
  no_async_loading: 1 << 20,
  no_multi: 1 << 21,
  movablekeys: 1 << 22,
  allow_busy: 1 << 23,
} as const

// CMD_PROTECTED is not shown by COMMAND INFO, so the generated metadata cannot
// carry it: these are the commands Redis 7.0 marks with it (gated by
// enable-debug-command / enable-module-command).
const PROTECTED_COMMANDS = new Set(['debug', 'module'])

// Likewise CMD_MAY_REPLICATE, which CLIENT PAUSE WRITE holds back: observed on a
// real server, each of these waits for the pause to end.
const HIDDEN_MAY_REPLICATE = new Set(['publish', 'spublish', 'pfcount', 'eval', 'evalsha', 'fcall'])

export interface CommandStats {
  calls: number
  usec: number
  rejectedCalls: number
  failedCalls: number
}

export interface CommandDef {
  /** Full lowercase name: 'get', 'config|get'. */
  readonly fullName: string
  /** The name the user types for this level: 'get', 'get' (for config|get). */
  readonly name: string
  readonly arity: number
  readonly flags: number
  readonly meta: CommandMeta
  readonly run: Handler | undefined
  readonly parent: CommandDef | undefined
  /** Implemented subcommands of a container command, keyed by lowercase name. */
  readonly subcommands: Map<string, CommandDef> | undefined
  readonly stats: CommandStats
}

export function flagsOf(names: readonly string[]): number {
  let f = 0
  for (const n of names) f |= (CMD as Record<string, number>)[n] ?? 0
  return f
}

export class CommandTable {
  private readonly top = new Map<string, CommandDef>()
  private readonly byFullName = new Map<string, CommandDef>()

  constructor(impls: readonly CommandImpl[]) {
    // Parents first, so 'config|get' finds 'config'.
    const sorted = [...impls].sort((a, b) => a.name.split('|').length - b.name.split('|').length)
    for (const impl of sorted) {
      const [parentName, subName] = impl.name.split('|')
      if (subName === undefined) {
        this.add(this.makeDef(impl.name, impl.name, impl.run, undefined))
      } else {
        let parent = this.top.get(parentName)
        if (!parent) {
          parent = this.makeDef(parentName, parentName, undefined, undefined)
          this.add(parent)
        }
        const def = this.makeDef(impl.name, subName, impl.run, parent)
        parent.subcommands!.set(subName, def)
        this.byFullName.set(def.fullName, def)
      }
    }
  }

  private makeDef(fullName: string, name: string, run: Handler | undefined, parent: CommandDef | undefined): CommandDef {
    const meta = getCommandMeta(fullName)
    if (!meta) throw new Error(`no Redis 7.0.15 metadata for command '${fullName}'`)
    return {
      fullName,
      name,
      arity: meta.arity,
      flags:
        flagsOf(meta.flags) | (PROTECTED_COMMANDS.has(fullName) ? CMD.protected : 0) | (HIDDEN_MAY_REPLICATE.has(fullName) ? CMD.may_replicate : 0),
      meta,
      run,
      parent,
      subcommands: meta.subcommands && meta.subcommands.length > 0 ? new Map() : undefined,
      stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
    }
  }

  private add(def: CommandDef): void {
    this.top.set(def.fullName, def)
    this.byFullName.set(def.fullName, def)
  }

  /**
   * lookupCommand: the top-level command, or its subcommand when the command is a
   * container and an argument follows. Undefined when not implemented.
   */
  lookup(argv: readonly string[]): CommandDef | undefined {
    const base = this.top.get(lower(argv[0]))
    if (!base || !base.subcommands || argv.length === 1) return base
    return base.subcommands.get(lower(argv[1]))
  }

  /** A top-level command by name (case-insensitive), implemented or container. */
  lookupTop(name: string): CommandDef | undefined {
    return this.top.get(lower(name))
  }

  /** Any implemented command by full name ('config|get'), case-insensitive. */
  byName(fullName: string): CommandDef | undefined {
    return this.byFullName.get(fullName.toLowerCase())
  }

  isImplemented = (fullName: string): boolean => this.byFullName.has(fullName.toLowerCase())

  /** Top-level commands. */
  topLevel(): IterableIterator<CommandDef> {
    return this.top.values()
  }

  /** Every command and subcommand. */
  all(): IterableIterator<CommandDef> {
    return this.byFullName.values()
  }
}

// Command names are short: a cached lowercase avoids allocating on the hot path.
const lowerCache = new Map<string, string>()
function lower(s: string): string {
  let l = lowerCache.get(s)
  if (l === undefined) {
    l = s.toLowerCase()
    if (lowerCache.size < 10_000) lowerCache.set(s, l)
  }
  return l
}
