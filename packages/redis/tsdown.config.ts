import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  // Node (and Bun, Deno): ioredis and redis-semaphore speak TCP.
  platform: 'node',
  fixedExtension: false,
  dts: true,
  sourcemap: false,
  clean: true,
})
