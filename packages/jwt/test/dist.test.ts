import { checkDist } from '@sfauth/test-kit/dist'
import { expect, it } from 'vitest'

checkDist({ allow: ['@sfauth/core/flow', 'jose'] })

it('exports the public API', async () => {
  const mod = await import('../dist/index.js')
  expect(Object.keys(mod).sort()).toEqual(['JWT_BEARER_GRANT_TYPE', 'jwtBearer'])
  expect(mod.JWT_BEARER_GRANT_TYPE).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
})
