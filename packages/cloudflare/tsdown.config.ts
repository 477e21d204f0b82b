import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  // workerd only: `cloudflare:workers` is the runtime's own module, never bundled.
  packageBuild({ deps: { neverBundle: [/^cloudflare:/] } }),
)
