import type { CommandImpl } from '../../server/command-table.ts'
import { publish, spublish } from './publish.ts'
import { pubsubIntrospection } from './pubsub-introspect.ts'
import { psubscribe, punsubscribe, ssubscribe, subscribe, sunsubscribe, unsubscribe } from './subscribe.ts'

export const pubsubCommands: CommandImpl[] = [
  subscribe,
  unsubscribe,
  psubscribe,
  punsubscribe,
  ssubscribe,
  sunsubscribe,
  publish,
  spublish,
  ...pubsubIntrospection,
]
