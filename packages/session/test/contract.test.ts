import { testFlow } from '@sfauth/test-kit'
import { accessTokenReuse, sessionIdReuse } from './flow.js'

testFlow(accessTokenReuse)
testFlow(sessionIdReuse)
