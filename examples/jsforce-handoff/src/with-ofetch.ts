import type { Connection } from '@sfauth/core'
import { createFetch } from 'ofetch'

/**
 * ofetch with the session: `conn.fetch` adds the token, resolves `'query?q=…'` against the
 * instance and renews once on an expired session (shared with every other caller of `conn`).
 * Any library that takes a `fetch` works the same way (ky, openapi-fetch, a GraphQL client).
 */
export function salesforceFetch(conn: Connection) {
  return createFetch({ fetch: conn.fetch }).create({ retry: 0 })
}
