import { vitestPreset } from '@sfauth/test-kit/vitest'

export default vitestPreset()
