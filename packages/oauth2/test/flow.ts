import { Connection } from '@sfauth/core'
import { type FlowUnderTest, WEB_SERVER_APP, webServerContract } from '@sfauth/test-kit'
import { OAuth2 } from '../src/index.js'

/** The web server flow (`new Connection({ oauth2 })` + `authorize(code)`) as the contract suite drives it. */
export const webServerFlow: FlowUnderTest = webServerContract(
  'OAuth2 web server flow with a rotating refresh token',
  (fetch) => new Connection({ fetch, oauth2: new OAuth2(WEB_SERVER_APP) }),
)
