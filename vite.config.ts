import { defineConfig } from 'vite'

// Relative base so dist/ works from any sub-path of a static host.
export default defineConfig({
  base: './',
  build: { target: 'es2022' },
})
