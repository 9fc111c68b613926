#!/usr/bin/env node
// Runs the TypeScript server through tsx's loader so no build step is needed.
import { register } from 'tsx/esm/api'

register()
await import('../engine/node/main.ts')
