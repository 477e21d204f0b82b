import { defineConfig } from 'tsdown'

export default defineConfig({
  // The OpenID entry is separate so that jose reaches only the bundles that import it.
  entry: { index: 'src/index.ts', openid: 'src/openid/index.ts' },
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: false,
  clean: true,
})
