// CLIENT TRACKING / CACHING / TRACKINGINFO / GETREDIR (clientCommand, networking.c,
// Redis 7.0.15): the commands of server-assisted client-side caching. The
// machinery (tables, invalidation, BCAST) is engine/server/tracking.ts.

import { array, bulk, error, integer, map, OK, set, type Reply } from '../../protocol/reply.ts'
import type { Client } from '../../server/client.ts'
import type { CommandImpl } from '../../server/command-table.ts'
import { E } from '../../server/errors.ts'
import { tracking, trackingIfInstalled, type TrackingOptions } from '../../server/tracking.ts'
import { isReply, parseLongLong } from '../args.ts'

const ERR_REDIRECT_TWICE = error('ERR A client can only redirect to a single other client')
const ERR_NO_REDIRECT_CLIENT = error('ERR The client ID you want redirect to does not exist')
const ERR_PREFIX_NEEDS_BCAST = error('ERR PREFIX option requires BCAST mode to be enabled')
const ERR_SWITCH_BCAST = error(
  "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
)
const ERR_OPTIN_OPTOUT_BCAST = error('ERR OPTIN and OPTOUT are not compatible with BCAST')
const ERR_OPTIN_AND_OPTOUT = error("ERR You can't specify both OPTIN mode and OPTOUT mode")
const ERR_SWITCH_OPTIN_OPTOUT = error(
  "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
)
const ERR_CACHING_NOT_TRACKING = error(
  'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
)
const ERR_CACHING_YES = error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.')
const ERR_CACHING_NO = error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.')

// The error texts print prefixes with %s: a NUL byte ends them.
const cText = (s: string): string => {
  const i = s.indexOf('\0')
  return i < 0 ? s : s.slice(0, i)
}

// stringCheckPrefix: two prefixes overlap when the shorter one starts the longer one.
const overlaps = (a: string, b: string): boolean => (a.length <= b.length ? b.startsWith(a) : a.startsWith(b))

/**
 * checkPrefixCollisionsOrReply: an error that ends the command, or 'go'. Redis
 * 7.0.15 returns the index of the first prefix of an overlapping pair given in
 * the same command, so when that index is not 0 it sends the error and still
 * enables tracking (replying +OK as well): 'both', with the error already sent.
 */
function checkPrefixCollisions(c: Client, existing: ReadonlySet<string>, prefixes: readonly string[]): Reply | 'go' | 'both' {
  for (let i = 0; i < prefixes.length; i++) {
    for (const p of [...existing].sort()) {
      if (overlaps(p, prefixes[i])) {
        return error(
          `ERR Prefix '${cText(prefixes[i])}' overlaps with an existing prefix '${cText(p)}'. Prefixes for a single client must not overlap.`,
        )
      }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (!overlaps(prefixes[i], prefixes[j])) continue
      const r = error(
        `ERR Prefix '${cText(prefixes[i])}' overlaps with another provided prefix '${cText(prefixes[j])}'. Prefixes for a single client must not overlap.`,
      )
      if (i === 0) return r
      c.push(c.server.countError(r))
      return 'both'
    }
  }
  return 'go'
}

// CLIENT TRACKING on|off [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]
const trackingCmd: CommandImpl = {
  name: 'client|tracking',
  run: (c, argv) => {
    let redirect = 0
    const opts: TrackingOptions = { bcast: false, optin: false, optout: false, noloop: false }
    const prefixes: string[] = []
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j].toLowerCase()
      const more = j < argv.length - 1
      if (opt === 'redirect' && more) {
        j++
        if (redirect !== 0) return ERR_REDIRECT_TWICE
        const id = parseLongLong(argv[j])
        if (isReply(id)) return id
        // The client must exist now (it may still go away later).
        const target = id > 0n && id <= BigInt(Number.MAX_SAFE_INTEGER) ? c.server.clients.get(Number(id)) : undefined
        if (target === undefined) return ERR_NO_REDIRECT_CLIENT
        redirect = target.id
      } else if (opt === 'bcast') {
        opts.bcast = true
      } else if (opt === 'optin') {
        opts.optin = true
      } else if (opt === 'optout') {
        opts.optout = true
      } else if (opt === 'noloop') {
        opts.noloop = true
      } else if (opt === 'prefix' && more) {
        j++
        prefixes.push(argv[j])
      } else {
        return E.syntax
      }
    }
    const mode = argv[2].toLowerCase()
    if (mode === 'on') {
      if (!opts.bcast && prefixes.length > 0) return ERR_PREFIX_NEEDS_BCAST
      const t = tracking(c.server)
      const st = t.stateOf(c)
      if (st.on && st.bcast !== opts.bcast) return ERR_SWITCH_BCAST
      if (opts.bcast && (opts.optin || opts.optout)) return ERR_OPTIN_OPTOUT_BCAST
      if (opts.optin && opts.optout) return ERR_OPTIN_AND_OPTOUT
      if ((opts.optin && st.optout) || (opts.optout && st.optin)) return ERR_SWITCH_OPTIN_OPTOUT
      if (opts.bcast) {
        const verdict = checkPrefixCollisions(c, st.prefixes, prefixes)
        if (verdict !== 'go' && verdict !== 'both') return verdict
      }
      t.enable(c, redirect, opts, prefixes)
    } else if (mode === 'off') {
      trackingIfInstalled(c.server)?.disable(c)
    } else {
      return E.syntax
    }
    return OK
  },
}

// CLIENT CACHING yes|no: OPTIN's "track the next command", OPTOUT's "don't".
const caching: CommandImpl = {
  name: 'client|caching',
  run: (c, argv) => {
    const st = trackingIfInstalled(c.server)?.peek(c)
    if (st === undefined || !st.on) return ERR_CACHING_NOT_TRACKING
    const opt = argv[2].toLowerCase()
    if (opt === 'yes') {
      if (!st.optin) return ERR_CACHING_YES
    } else if (opt === 'no') {
      if (!st.optout) return ERR_CACHING_NO
    } else {
      return E.syntax
    }
    st.caching = true
    return OK
  },
}

// CLIENT GETREDIR: the redirection (0 for none) while tracking, else -1.
const getredir: CommandImpl = {
  name: 'client|getredir',
  run: (c) => {
    const st = trackingIfInstalled(c.server)?.peek(c)
    return integer(st?.on ? st.redirect : -1)
  },
}

// CLIENT TRACKINGINFO: flags (a set), redirect, prefixes.
const trackinginfo: CommandImpl = {
  name: 'client|trackinginfo',
  run: (c) => {
    const st = trackingIfInstalled(c.server)?.peek(c)
    const flags: string[] = [st?.on ? 'on' : 'off']
    if (st !== undefined) {
      if (st.bcast) flags.push('bcast')
      if (st.optin) {
        flags.push('optin')
        if (st.caching) flags.push('caching-yes')
      }
      if (st.optout) {
        flags.push('optout')
        if (st.caching) flags.push('caching-no')
      }
      if (st.noloop) flags.push('noloop')
      if (st.brokenRedir) flags.push('broken_redirect')
    }
    // The client's prefixes live in a radix tree: byte order.
    const prefixes = st === undefined ? [] : [...st.prefixes].sort()
    return map([
      bulk('flags'),
      set(flags.map(bulk)),
      bulk('redirect'),
      integer(st?.on ? st.redirect : -1),
      bulk('prefixes'),
      array(prefixes.map(bulk)),
    ])
  },
}

export const clientTrackingCommands: CommandImpl[] = [trackingCmd, caching, getredir, trackinginfo]
