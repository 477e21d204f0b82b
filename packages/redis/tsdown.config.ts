import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  // Node (and Bun, Deno): ioredis and redis-semaphore speak TCP.
  packageBuild({ platform: 'node', fixedExtension: false }),
)
