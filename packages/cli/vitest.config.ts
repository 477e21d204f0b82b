import { vitestPreset } from '@sfauth/test-kit/vitest'

// The commands run as subprocesses of the built CLI (run after `pnpm build`); a login through
// headless Chromium takes a few seconds on a busy machine.
export default vitestPreset({ test: { testTimeout: 60_000 } })
