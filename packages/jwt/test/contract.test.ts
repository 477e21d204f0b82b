import { testFlow } from '@sfauth/test-kit'
import { jwtBearerFlow } from './flow.js'

testFlow(jwtBearerFlow)
