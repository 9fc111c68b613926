// Command propagation to the AOF (and, one day, replicas): Redis 7.0.15's
// alsoPropagate / propagateNow / propagatePendingCommands and the client flags
// set by forceCommandPropagation / preventCommandPropagation (server.c).
//
// How it fits together (as in 7.0):
// - While an "execution unit" runs (the outermost call(), one blocked client
//   being served, one active-expire cycle), every op to propagate is appended
//   to `pending` (server.also_propagate): lazy-expiry DELs, the ops a command
//   adds itself (SPOP's SREMs), and, when call() ends, the command's own
//   (possibly rewritten) argv if it changed the dataset.
// - When the unit ends the pending ops are emitted, wrapped in MULTI ... EXEC
//   when there is more than one (unless the unit asked not to be: active
//   expiry, or a command touching arbitrary keys such as RANDOMKEY/SCAN).
// - Nothing is recorded when no sink would receive it (shouldPropagate): with
//   no hook installed the whole machinery costs a couple of comparisons.

import type { Client } from './client.ts'

/** Targets of an op (PROPAGATE_AOF / PROPAGATE_REPL in server.h). */
export const PROPAGATE_NONE = 0
export const PROPAGATE_AOF = 1
export const PROPAGATE_REPL = 2
export const PROPAGATE_BOTH = PROPAGATE_AOF | PROPAGATE_REPL

/** The sink for propagated ops: called once per op, in order, MULTI/EXEC included. */
export type PropagateHook = (dbid: number, argv: string[], target: number) => void

/** One op waiting in server.also_propagate (redisOp). */
export interface PendingOp {
  readonly dbid: number
  readonly argv: string[]
  readonly target: number
}

/** What the propagation state needs from the server. */
export interface PropagationHost {
  readonly hooks: { readonly propagate?: PropagateHook }
  isLoading(): boolean
  readonly currentClient: Client | undefined
}

// CMD_TOUCHES_ARBITRARY_KEYS is hidden from COMMAND INFO, so the generated
// metadata lacks it: in 7.0.15 only these two carry it. Their lazy-expiry
// DELs are not wrapped in MULTI/EXEC.
const TOUCHES_ARBITRARY_KEYS = new Set(['randomkey', 'scan'])

const MULTI_ARGV = ['MULTI']
const EXEC_ARGV = ['EXEC']

export class Propagation {
  /** server.also_propagate. */
  readonly pending: PendingOp[] = []
  /** server.core_propagates: an execution unit is running and will emit `pending` when it ends. */
  core = false
  /** server.propagate_no_multi: the running unit's ops are not wrapped in MULTI/EXEC (active expiry). */
  noMulti = false
  /**
   * Replicas (or a replication backlog) exist, so REPL-only ops are recorded
   * too. The engine has no replication yet; such ops never reach the AOF hook
   * but do count when deciding on MULTI/EXEC, as in Redis.
   */
  replicas = false
  /** server.in_nested_call: how many command procs are running (EXEC's queue runs at 1). */
  nested = 0
  /** CLIENT_FORCE_AOF / CLIENT_FORCE_REPL of the running call(), as PROPAGATE_* bits. */
  force = 0
  /** CLIENT_PREVENT_AOF_PROP / CLIENT_PREVENT_REPL_PROP of the running call(). */
  prevent = 0

  constructor(private readonly host: PropagationHost) {}

  /** shouldPropagate: some sink for `target` is live and the server is not loading. */
  shouldPropagate(target: number): boolean {
    if (target === PROPAGATE_NONE) return false
    const aof = (target & PROPAGATE_AOF) !== 0 && this.host.hooks.propagate !== undefined
    const repl = (target & PROPAGATE_REPL) !== 0 && this.replicas
    return (aof || repl) && !this.host.isLoading()
  }

  /** Any sink at all: call() skips its propagation work when there is none. */
  get active(): boolean {
    return this.host.hooks.propagate !== undefined || this.replicas
  }

  /**
   * alsoPropagate: queue an op for the end of the running unit. Outside any
   * unit (Redis never does this; here a lookup from an introspection path
   * could) the op goes out at once rather than waiting for an unrelated
   * command.
   */
  alsoPropagate(dbid: number, argv: string[], target: number = PROPAGATE_BOTH): void {
    if (!this.shouldPropagate(target)) return
    if (!this.core) {
      this.propagateNow(dbid, argv, target)
      return
    }
    this.pending.push({ dbid, argv, target })
  }

  /** propagateNow: hand one op to the sinks. Only ops meant for the AOF reach the hook. */
  propagateNow(dbid: number, argv: string[], target: number): void {
    if (!this.shouldPropagate(target)) return
    if (target & PROPAGATE_AOF) this.host.hooks.propagate?.(dbid, argv, target)
  }

  /**
   * propagatePendingCommands: emit what the unit accumulated; more than one op
   * is wrapped in MULTI/EXEC, MULTI in the first op's db and EXEC in the last
   * one's (so no extra SELECT comes before EXEC).
   */
  propagatePending(): void {
    const ops = this.pending
    const n = ops.length
    if (n === 0) return
    let transaction = n > 1 && !this.noMulti
    const cmd = this.host.currentClient?.cmd
    if (cmd !== undefined && TOUCHES_ARBITRARY_KEYS.has(cmd.fullName)) transaction = false
    // Taken first: a hook that runs commands of its own must not see these ops again.
    const batch = ops.splice(0, n)
    if (transaction) this.propagateNow(batch[0].dbid, MULTI_ARGV, PROPAGATE_BOTH)
    for (const op of batch) this.propagateNow(op.dbid, op.argv, op.target)
    if (transaction) this.propagateNow(batch[n - 1].dbid, EXEC_ARGV, PROPAGATE_BOTH)
  }

  /** Back to the idle state, dropping what was gathered (after a command threw half way). */
  reset(): void {
    this.pending.length = 0
    this.core = false
    this.noMulti = false
    this.nested = 0
    this.force = 0
    this.prevent = 0
  }

  /**
   * Run `fn` as one execution unit outside call(): a blocked client being
   * served (handleClientsBlockedOnKeys + afterCommand), an active-expire cycle
   * (noMulti). Nested inside a running unit it just runs: the outer unit emits.
   */
  unit<T>(fn: () => T, noMulti = false): T {
    if (this.core) return fn()
    this.core = true
    const prevNoMulti = this.noMulti
    this.noMulti = noMulti
    try {
      return fn()
    } finally {
      try {
        this.propagatePending()
      } finally {
        this.core = false
        this.noMulti = prevNoMulti
      }
    }
  }
}

/**
 * forceCommandPropagation: propagate the running command even if it changed
 * nothing (FLUSHALL/FLUSHDB on empty dbs, PUBLISH to replicas).
 */
export function forceCommandPropagation(c: Client, target: number): void {
  c.server.propagation.force |= target
}

/**
 * preventCommandPropagation (and preventCommandAOF / preventCommandReplication
 * with one target): the running command's argv is not propagated, whatever it
 * changed; what it queued with alsoPropagate still is.
 */
export function preventCommandPropagation(c: Client, target: number = PROPAGATE_BOTH): void {
  c.server.propagation.prevent |= target
}
