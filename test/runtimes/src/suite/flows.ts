/** The flows the smoke suite covers, in the order it runs them. The harness expects each one. */
export const FLOWS = [
  'oauth2',
  'soap-login',
  'jwt',
  'client-credentials',
  'token-exchange',
  'session',
  'cloudflare',
] as const

export type FlowName = (typeof FLOWS)[number]

/** Flows that run only in some runtimes (by runtime name): `@sfauth/cloudflare` is workerd's. */
export const ONLY_IN: Partial<Record<FlowName, readonly string[]>> = { cloudflare: ['workerd'] }
