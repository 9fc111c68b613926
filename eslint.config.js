// House rules (../shared/design.md): the engine is pure TypeScript. No DOM or UI
// libraries in engine/, Node built-ins only in engine/node/, and no wall clock or
// Math.random in the engine (inject Clock and Random).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const nodeBuiltins = [
  'node:*', 'fs', 'fs/*', 'net', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https',
  'crypto', 'stream', 'util', 'events', 'url', 'zlib', 'dgram', 'tls', 'readline', 'process', 'buffer',
]
const uiLibs = ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', 'd3', 'd3-*', '@xterm/*', 'comlink', 'idb']

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/node/**'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'Node built-ins are allowed only in engine/node/ (design.md).' },
          { group: uiLibs, message: 'The engine is pure: no DOM or UI libraries (design.md).' },
          { group: ['**/src/**', '../../src/*'], message: 'engine/ never imports src/.' },
        ],
      }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
        { object: 'performance', property: 'now', message: 'Use the injected Clock.' },
        { object: 'Math', property: 'random', message: 'Use the injected Random.' },
      ],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'No DOM in the engine.' },
        { name: 'document', message: 'No DOM in the engine.' },
        { name: 'process', message: 'No Node globals outside engine/node/.' },
        { name: 'Buffer', message: 'No Node globals outside engine/node/.' },
        { name: 'setTimeout', message: 'Use the injected Clock timers.' },
        { name: 'setInterval', message: 'Use the injected Clock timers.' },
      ],
    },
  },
  {
    files: ['engine/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-globals': 'off' },
  },
  {
    // The page reaches the engine only through the worker (design.md "Worker boundary"):
    // outside src/worker, src/ may import engine types but never engine code.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/worker/**', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/engine/**'], allowTypeImports: true, message: 'Only src/worker runs the engine; the page imports engine types only.' }],
      }],
    },
  },
  {
    files: ['engine/structures/**/*.ts'],
    ignores: ['engine/structures/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../keyspace/*', '../commands/*', '../server/*', '../persistence/*', '../cluster/*'], message: 'structures stand alone (design.md).' },
          { group: nodeBuiltins, message: 'Node built-ins are allowed only in engine/node/.' },
        ],
      }],
    },
  },
)
