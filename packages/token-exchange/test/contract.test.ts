import { testFlow } from '@sfauth/test-kit'
import { tokenExchangeFlow } from './flow.js'

testFlow(tokenExchangeFlow)
