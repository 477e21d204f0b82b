import { testFlow } from '@sfauth/test-kit'
import { testPasswordFlow } from './flow.js'

testFlow(testPasswordFlow)
