/**
 * Reads the parameters of a token or revoke request: the form body (urlencoded or multipart),
 * then the query string for anything the body lacks.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export async function readParams(request: Request, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams()
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const type = request.headers.get('content-type') ?? ''
    if (type.includes('multipart/form-data')) {
      const form = await request.formData().catch(() => undefined)
      form?.forEach((value, key) => {
        if (typeof value === 'string') params.append(key, value)
      })
    } else {
      for (const [key, value] of new URLSearchParams(await request.text()))
        params.append(key, value)
    }
  }
  for (const [key, value] of url.searchParams) if (!params.has(key)) params.append(key, value)
  return params
}

/** Client id and secret from `Authorization: Basic`, which Salesforce accepts instead of the body. */
export function basicCredentials(request: Request): { id: string; secret: string } | undefined {
  const header = request.headers.get('authorization')
  if (!header?.toLowerCase().startsWith('basic ')) return undefined
  let decoded: string
  try {
    decoded = atob(header.slice(6).trim())
  } catch {
    return undefined
  }
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

/**
 * The session token in `Authorization: Bearer` (or the older `OAuth` scheme), the only place the
 * REST API looks.
 *
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/quickstart_oauth.htm
 */
export function authorizationToken(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  return (header ? /^(?:Bearer|OAuth)\s+(\S+)/i.exec(header) : null)?.[1]
}

/**
 * The session token of an identity request: the `Authorization` header, else the `oauth_token`
 * parameter (query string, or form body of a POST) that userinfo and identity URLs accept.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
 */
export async function identityToken(request: Request, url: URL): Promise<string | undefined> {
  const fromHeader = authorizationToken(request)
  if (fromHeader) return fromHeader
  const query = url.searchParams.get('oauth_token')
  if (query) return query
  if (request.method === 'POST') {
    const type = request.headers.get('content-type') ?? ''
    if (type.includes('application/x-www-form-urlencoded')) {
      return new URLSearchParams(await request.text()).get('oauth_token') ?? undefined
    }
  }
  return undefined
}
