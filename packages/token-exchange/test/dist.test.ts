import { checkDist } from '@sfauth/test-kit/dist'

checkDist({ allow: ['@sfauth/core/flow'] })
