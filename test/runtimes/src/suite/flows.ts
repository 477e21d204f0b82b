/** The flows the smoke suite covers, in the order it runs them. The harness expects each one. */
export const FLOWS = [
  'oauth2',
  'soap-login',
  'jwt',
  'client-credentials',
  'token-exchange',
  'session',
] as const

export type FlowName = (typeof FLOWS)[number]
