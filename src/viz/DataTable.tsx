// The text alternative every view carries: the same data as a <table>. It is
// visually hidden (still read by screen readers) until the toggle shows it.
import { useId, useState } from 'react'

export interface DataTableProps {
  caption: string
  columns: readonly string[]
  rows: readonly (readonly (string | number)[])[]
  /** Start with the table shown. */
  initiallyVisible?: boolean
}

export function DataTable({ caption, columns, rows, initiallyVisible = false }: DataTableProps) {
  const [visible, setVisible] = useState(initiallyVisible)
  const id = useId()
  return (
    <div className="viz-table-wrap">
      <button type="button" className="viz-table-toggle" aria-expanded={visible} aria-controls={id} onClick={() => setVisible((v) => !v)}>
        {visible ? 'Hide table' : 'Show as table'}
      </button>
      <table id={id} className={visible ? 'viz-table' : 'viz-table viz-sr-only'}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // Rows are rebuilt from the snapshot each time; nothing animates here.
            <tr key={i}>
              {r.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
