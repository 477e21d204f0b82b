import { testFlow } from '@sfauth/test-kit'
import { soapLoginFlow } from './flow.js'

testFlow(soapLoginFlow)
