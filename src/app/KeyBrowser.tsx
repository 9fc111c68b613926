// The key browser (issue 6): the keys of one database beside the REPL, live
// from trace events, filtered by pattern and type, virtualised so 100,000 keys
// render only the rows on screen. Choosing a key shows it in the inspector.
// The list model is src/keys/model.ts; this is its thin React face.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react'
import { useApp } from '../state/app-store.ts'
import { dbSize, keysInfo, scanKeys, subscribeTrace } from '../engine-client.ts'
import { KEY_TYPES, KeyListModel, scrollToRow, windowRange, type KeySource } from '../keys/model.ts'
import { displayKey, groupThousands, shortTtl, utf8Bytes, utf8Name } from '../keys/format.ts'
import './keys.css'

/** Row height in px; keys.css draws rows this tall (--kb-row). */
const ROW = 26
const DATABASES = 16

const engineSource: KeySource = { scanKeys, keysInfo, dbSize }

/** Redraw at most once per animation frame however often the model changes (a SCAN walk, a burst of writes). */
function useModelVersion(model: KeyListModel): number {
  const [v, setV] = useState(model.version)
  useEffect(() => {
    let raf = 0
    const off = model.subscribe(() => {
      if (raf === 0) {
        raf = requestAnimationFrame(() => {
          raf = 0
          setV(model.version)
        })
      }
    })
    return () => {
      off()
      cancelAnimationFrame(raf)
    }
  }, [model])
  return v
}

/** The list viewport's height, followed with a ResizeObserver. */
function useHeight(ref: RefObject<HTMLElement | null>): number {
  const [h, setH] = useState(240)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    setH(el.clientHeight)
    const ro = new ResizeObserver(() => setH(el.clientHeight))
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])
  return h
}

export function KeyBrowser() {
  const model = useMemo(() => new KeyListModel(engineSource), [])
  const version = useModelVersion(model)
  const clientDb = useApp((s) => s.clientDb)
  const inspected = useApp((s) => s.inspected)
  const [db, setDb] = useState(clientDb)
  const [patternText, setPatternText] = useState('')
  const [type, setType] = useState('')
  const [active, setActive] = useState(0)
  const [scrollTop, setScrollTop] = useState(0)
  const [now, setNow] = useState(() => Date.now())
  const listRef = useRef<HTMLDivElement>(null)
  const height = useHeight(listRef)

  // The REPL's SELECT moves the browser along.
  useEffect(() => setDb(clientDb), [clientDb])

  useEffect(() => {
    model.setDb(db).catch(() => {})
    setActive(0)
    setScrollTop(0)
    if (listRef.current) listRef.current.scrollTop = 0
  }, [model, db])

  // After each command, a cheap DBSIZE check catches keys that came without events (a start-up load).
  const commandCount = useApp((s) => s.commandCount)
  useEffect(() => {
    model.checkSize().catch(() => {})
  }, [model, commandCount])

  useEffect(() => {
    let unsubscribe: (() => void) | undefined
    let gone = false
    void subscribeTrace((batch) => model.applyEvents(batch)).then((u) => {
      if (gone) u()
      else unsubscribe = u
    })
    return () => {
      gone = true
      unsubscribe?.()
    }
  }, [model])

  useEffect(() => {
    model.setFilter({ pattern: utf8Bytes(patternText), type })
    setActive(0)
  }, [model, patternText, type])

  const names = model.view()
  const total = names.length
  const { first, last } = windowRange(total, ROW, scrollTop, height)
  const selected = inspected !== null && inspected.db === db ? inspected.key : null
  const activeIndex = Math.min(active, Math.max(0, total - 1))

  // A key named by a command (or chosen here) is brought into view, once per
  // selection: a key the list does not have yet (just written) when it arrives.
  const scrollWanted = useRef<string | null>(null)
  useEffect(() => {
    scrollWanted.current = selected
  }, [selected])
  useEffect(() => {
    const want = scrollWanted.current
    const el = listRef.current
    if (want === null || !el) return
    const i = model.indexOf(want)
    if (i < 0) return
    scrollWanted.current = null
    setActive(i)
    // From the tracked scroll position and height: reading the element's would force a
    // layout after every command that names a key.
    const target = scrollToRow(i, ROW, scrollTop, height)
    if (target !== scrollTop) el.scrollTop = target
    // scrollTop and height are read, not followed: this runs once per selection.
  }, [model, selected, version])

  // A smaller viewport (window resized) keeps the active row in view.
  useEffect(() => {
    const el = listRef.current
    if (el) el.scrollTop = scrollToRow(activeIndex, ROW, el.scrollTop, el.clientHeight)
    // Only on resize: scrolling by hand may leave the active row behind.
  }, [height])

  // TTLs count down from their absolute expire time: a tick only while a visible row has one.
  let soonest = Infinity
  for (let i = first; i < last; i++) {
    const at = model.row(names[i])?.expiresAt ?? -1
    if (at >= 0) soonest = Math.min(soonest, at - now)
  }
  const tick = soonest === Infinity || soonest < -1000 ? 0 : soonest < 10_000 ? 100 : 1000
  useEffect(() => {
    if (tick === 0) return
    setNow(Date.now())
    const id = setInterval(() => setNow(Date.now()), tick)
    return () => clearInterval(id)
  }, [tick])

  const choose = (i: number): void => {
    const name = names[i]
    if (name === undefined) return
    setActive(i)
    useApp.getState().inspect(db, name)
  }

  const moveTo = (i: number): void => {
    const el = listRef.current
    const next = Math.max(0, Math.min(total - 1, i))
    setActive(next)
    if (el) el.scrollTop = scrollToRow(next, ROW, el.scrollTop, el.clientHeight)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor(height / ROW) - 1)
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: total - 1,
    }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key])
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      choose(activeIndex)
    }
  }

  const filtered = patternText !== '' || type !== ''
  const count = filtered
    ? `${groupThousands(total)} of ${groupThousands(model.dbSize)} keys`
    : `${groupThousands(model.dbSize)} ${model.dbSize === 1 ? 'key' : 'keys'}`
  const rows = []
  for (let i = first; i < last; i++) {
    const name = names[i]
    const r = model.row(name)
    if (!r) continue
    const ttl = shortTtl(r.expiresAt, now)
    const tooltip = utf8Name(name)
    rows.push(
      <div
        key={name}
        id={`kb-row-${i}`}
        role="option"
        aria-selected={name === selected}
        aria-setsize={total}
        aria-posinset={i + 1}
        className={`kb-row${i === activeIndex ? ' kb-active' : ''}${ttl === 'expired' ? ' kb-expired' : ''}`}
        style={{ transform: `translateY(${i * ROW}px)` }}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => {
          listRef.current?.focus()
          choose(i)
        }}
        title={tooltip ?? undefined}
      >
        <span className="kb-name">{displayKey(name)}</span>
        <span className={`kb-type kb-type-${r.type}`}>{r.type}</span>
        <span className="kb-enc">{r.encoding}</span>
        <span className="kb-ttl" aria-label={ttl === '' ? 'no TTL' : `TTL ${ttl}`}>
          {ttl}
        </span>
      </div>,
    )
  }

  return (
    <section className="key-browser" aria-labelledby="kb-title" data-testid="key-browser">
      <div className="kb-head">
        <h2 id="kb-title">Keys</h2>
        <span className="kb-count" data-testid="key-count" aria-live="polite">
          {count}
          {model.loading ? ` (loading ${groupThousands(model.size)})` : ''}
        </span>
      </div>
      <div className="kb-controls">
        <select aria-label="Database" value={db} onChange={(e) => setDb(Number(e.target.value))}>
          {Array.from({ length: DATABASES }, (_, i) => (
            <option key={i} value={i}>{`db ${i}`}</option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Filter keys by pattern"
          placeholder="match: user:*"
          spellCheck={false}
          value={patternText}
          onChange={(e) => setPatternText(e.target.value)}
        />
        <select aria-label="Filter by type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">all types</option>
          {KEY_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div
        ref={listRef}
        className="kb-list"
        role="listbox"
        tabIndex={0}
        aria-label={`Keys in db ${db}`}
        aria-activedescendant={total > 0 ? `kb-row-${activeIndex}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="kb-spacer" style={{ height: total * ROW }}>
          {rows}
        </div>
        {total === 0 && !model.loading && (
          <p className="kb-empty">{filtered ? 'No key matches.' : `No keys in db ${db}. Try SET greeting hello.`}</p>
        )}
      </div>
    </section>
  )
}
