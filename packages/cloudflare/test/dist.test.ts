import { checkDist } from '@sfauth/test-kit/dist'

// workerd's own module and @sfauth/session, nothing else: no Node built-in, no flow package.
checkDist({ allow: ['@sfauth/session', 'cloudflare:workers'] })
