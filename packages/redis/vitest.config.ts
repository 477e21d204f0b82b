import { vitestPreset } from '@sfauth/test-kit/vitest'

export default vitestPreset({
  test: {
    // A margin for a saturated 2-core CI machine (child processes, a real redis-server); no test asserts time.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // The multi-process tests fork many Node processes: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
})
