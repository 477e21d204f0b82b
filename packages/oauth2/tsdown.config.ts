import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  packageBuild({
    // The OpenID entry is separate so that jose reaches only the bundles that import it.
    entry: { index: 'src/index.ts', openid: 'src/openid/index.ts' },
  }),
)
