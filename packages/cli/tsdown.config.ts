import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(
  packageBuild({
    // A Node command: each subcommand is its own chunk, loaded when run, so `sfauth token` reads
    // only what it needs. The @sfauth packages and unstorage stay imports from node_modules.
    entry: ['src/cli.ts'],
    platform: 'node',
    dts: false,
    fixedExtension: false,
    deps: {
      neverBundle: [
        /^node:/,
        '@sfauth/jwt',
        '@sfauth/client-credentials',
        '@sfauth/emulator/run',
        '@sfauth/session/file-lock',
      ],
      alwaysBundle: [/^@sfauth\/core/, '@sfauth/oauth2', '@sfauth/session', /^unstorage/, 'destr'],
    },
  }),
)
