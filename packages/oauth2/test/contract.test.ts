import { testFlow } from '@sfauth/test-kit'
import { webServerFlow } from './flow.js'

testFlow(webServerFlow)
