import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

/**
 * createHttp calls ofetch one way only: an absolute URL with no `baseURL` or `query`, and
 * `responseType: 'stream'`. ofetch's two dependencies serve just what that call never takes:
 * ufo's `withBase`/`withQuery` (`baseURL`, `query`) and destr (parsing a `json` response). Each is
 * replaced by a function that throws, saving ~1.7 KB gzip in every bundle with core; should a
 * future ofetch or createHttp reach one, the call fails loudly instead of changing behaviour.
 */
const STUB = '\0ofetch-unused'
const STUB_CODE = `const unused = () => { throw new Error('@sfauth/core: ofetch called a dependency core leaves out') }
export { unused as default, unused as withBase, unused as withQuery }`

export default defineConfig(
  packageBuild({
    // Two entries: `@sfauth/core/flow` (flow authors) holds all of core; `@sfauth/core` (apps)
    // re-exports its part. 'allow-extension' lets the bundler keep every module in flow.js instead
    // of a third, shared chunk: an app that imports core and a flow then loads three files (index.js
    // is one line), not four; each module file costs cold-start time in Node (ARCHITECTURE.md, "One
    // runtime file").
    // `@sfauth/core/frontdoor` is a third entry of its own that imports the published
    // `@sfauth/core/flow` (left external below), so neither flow.js nor an app's bundle carries it
    // unless the app imports it, and no shared chunk appears.
    entry: { index: 'src/index.ts', flow: 'src/flow.ts', frontdoor: 'src/frontdoor.ts' },
    inputOptions: { preserveEntrySignatures: 'allow-extension' },
    // ofetch's runtime-neutral build is inlined, without ufo and destr (see STUB): its `node`
    // export would bring node-fetch-native into every Node bundle (README, "Why ofetch is
    // inlined"). Anything else from node_modules fails the build.
    deps: { onlyBundle: ['ofetch'], neverBundle: ['@sfauth/core/flow'] },
    plugins: [
      {
        name: 'sfauth-ofetch-unused-deps',
        resolveId: {
          filter: { id: /^(ufo|destr)$/ },
          handler: (_id, importer) => (importer?.includes('/ofetch/') ? STUB : null),
        },
        load: { filter: { id: /^\0ofetch-unused$/ }, handler: () => STUB_CODE },
      },
    ],
  }),
)
