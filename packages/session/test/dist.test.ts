import { checkDist } from '@sfauth/test-kit/dist'

// No unstorage, no flow package: a store is anything with getItem/setItem/removeItem.
checkDist({ allow: ['@sfauth/core/flow'] })
