// Plain data that crosses the worker boundary (design.md "Worker boundary").
// No engine objects: RESP bytes, byte strings, numbers.

import type { TraceEvent } from '../../engine/introspect/events.ts'

/**
 * One thing a client receives, numbered per client. Replies and pushes travel on
 * two message channels (send()'s result and the client's callback), which do not
 * promise an order between them; the page puts frames back in `seq` order.
 */
export type Frame =
  /** The reply to a command (also the late reply of a blocked one), RESP-encoded in the client's protocol. */
  | { seq: number; kind: 'reply'; bytes: Uint8Array }
  /** Anything else: pub/sub messages and confirmations, MONITOR lines, RESP3 pushes. */
  | { seq: number; kind: 'push'; bytes: Uint8Array }
  /** The server closed the client (QUIT, CLIENT KILL, RESET does not). */
  | { seq: number; kind: 'closed' }
  /** A blocked command has ended (after its late reply, if it has one): the client takes commands again. */
  | { seq: number; kind: 'unblocked' }

export interface SendResult {
  /** Frames produced while the command ran, reply last. */
  frames: Frame[]
  /** The command returned no reply and left the client blocked: its reply comes later as a frame. */
  blocked: boolean
}

export interface OpenedClient {
  id: number
  /** The number of the first frame this client will receive. */
  firstSeq: number
}

export interface EngineInfo {
  version: string
  /** Seed of the engine's Random (for reproducible lessons). */
  seed: number
}

export type FrameSink = (frames: Frame[]) => void
export type TraceSink = (events: TraceEvent[]) => void

export interface EngineOptions {
  seed?: number
}

/** The API the worker exposes with comlink (every method is async on the page side). */
import type { InspectWindow, KeySnapshot } from '../../engine/introspect/inspect.ts'

export interface EngineApi {
  /** A snapshot of one key's structure (engine/introspect/inspect.ts), or null when it does not exist. */
  inspect(db: number, key: string, window?: InspectWindow): KeySnapshot | null
  /** The keys a command line names (COMMAND GETKEYS), [] when none or not a command. */
  commandKeys(argv: string[]): string[]
  /** CONFIG GET of the encoding thresholds the views draw against. */
  thresholds(): Record<string, number>
  info(): EngineInfo
  openClient(sink: FrameSink): OpenedClient
  closeClient(id: number): void
  send(id: number, argv: string[]): SendResult
  /** COMMAND DOCS for every implemented command, RESP2-encoded (the REPL's help table). */
  commandDocs(): Uint8Array
  subscribeTrace(sink: TraceSink): number
  unsubscribeTrace(token: number): void
}
