/** What every endpoint needs to know about where a request arrived. */
export interface RequestContext {
  request: Request
  url: URL
  /** Path below any Experience Cloud site prefix, e.g. `/services/oauth2/token`. */
  path: string
  /** Site path prefix before `/services/…` or `/id/…`, e.g. `/partners`; empty on a plain host. */
  prefix: string
  /** Instance URL to hand out as `instance_url` / `serverUrl`. */
  instanceUrl: string
}

/** Salesforce endpoints all sit under one of these roots, after any site prefix. */
const ROOTS = /\/(services|id|\.well-known)(\/|$)/

export function createContext(request: Request, instanceUrl: string): RequestContext {
  const url = new URL(request.url)
  const match = ROOTS.exec(url.pathname)
  const prefix = match ? url.pathname.slice(0, match.index) : ''
  return { request, url, path: url.pathname.slice(prefix.length), prefix, instanceUrl }
}

/** The login host (plus any site prefix) this request came to, as used in `id` and `aud`. */
export function siteUrl(ctx: RequestContext): string {
  return `${ctx.url.origin}${ctx.prefix}`
}
