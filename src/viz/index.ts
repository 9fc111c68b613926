// The encoding views, for the app shell: import from here (it also loads viz.css).
import './viz.css'

export { Inspector, type InspectorProps } from './Inspector.tsx'
export { StringView, type StringViewProps } from './string/StringView.tsx'
export { ListpackView, type ListpackViewProps } from './listpack/ListpackView.tsx'
export { IntsetView, type IntsetViewProps } from './intset/IntsetView.tsx'
export { QuicklistView, type QuicklistViewProps } from './quicklist/QuicklistView.tsx'
export { HashtableView, type HashtableViewProps } from './hashtable/HashtableView.tsx'
export { SkiplistView, type SkiplistViewProps } from './skiplist/SkiplistView.tsx'
export { DEFAULT_VIZ_CONFIG, keyEvents, thresholdsFor, viewFor, type KeyEvents, type VizConfig } from './inspector-model.ts'
