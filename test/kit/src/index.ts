// The parts of the kit that run anywhere (Node and vitest's edge runtime). Node-only helpers
// have their own entries: @sfauth/test-kit/msw, /loopback, /x509, /dist, /env, /vitest.
export {
  CONCURRENT_CALLERS,
  type FlowUnderTest,
  type NodeCallback,
  type Renewal,
  testFlow,
} from './contract.js'
export { recordingFetch, type SentRequest } from './recording-fetch.js'
export { type ExpectedError, rejection } from './rejection.js'
export { WEB_SERVER_APP, webServerContract } from './web-server-flow.js'
