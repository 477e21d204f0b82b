import { testFlow } from '@sfauth/test-kit'
import { clientCredentialsFlow } from './flow.js'

testFlow(clientCredentialsFlow)
