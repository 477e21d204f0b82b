import type { FlowContext } from '@sfauth/core/flow'

/** A connected app's consumer key and secret. */
export interface Credentials {
  clientId: string
  clientSecret: string
}

/** Credential sources, highest priority first; each field falls back on its own. */
type Source = { clientId?: string | undefined; clientSecret?: string | undefined } | undefined

/** The first non-empty value of each field across `sources`, or what is missing. */
export function findCredentials(...sources: Source[]): Credentials | string[] {
  const pick = (field: 'clientId' | 'clientSecret') =>
    sources.map((source) => source?.[field]).find((value) => value !== undefined && value !== '')
  const clientId = pick('clientId')
  const clientSecret = pick('clientSecret')
  if (clientId !== undefined && clientSecret !== undefined) return { clientId, clientSecret }
  return [
    ...(clientId === undefined ? ['clientId'] : []),
    ...(clientSecret === undefined ? ['clientSecret'] : []),
  ]
}

/**
 * The credentials for one token request.
 *
 * @throws {TypeError} naming what is missing and where it can be given.
 */
export function requireCredentials(ctx: FlowContext, ...sources: Source[]): Credentials {
  const found = findCredentials(...sources, ctx.client)
  if (!Array.isArray(found)) return found
  throw new TypeError(
    `The client credentials flow needs ${found.join(' and ')}: pass clientCredentials({ clientId, clientSecret }) or new Connection({ oauth2: { clientId, clientSecret, loginUrl } })`,
  )
}
