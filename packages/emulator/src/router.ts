import { authorizeEndpoint } from './authorize-endpoint.js'
import { dataEndpoint } from './data-endpoint.js'
import { readParams } from './form.js'
import { frontdoorEndpoint, uiEndpoint } from './frontdoor-endpoint.js'
import { guardRefresh } from './grant-refresh-token.js'
import { identityEndpoint, userinfoEndpoint } from './identity-endpoints.js'
import { introspectEndpoint } from './introspect-endpoint.js'
import { openidConfiguration } from './openid-configuration.js'
import type { RequestContext } from './request-context.js'
import { html, json } from './responses.js'
import { revokeEndpoint } from './revoke-endpoint.js'
import { singleAccessEndpoint } from './single-access-endpoint.js'
import { parseSoapCall, soapEndpoint } from './soap-endpoint.js'
import type { EmulatorState } from './state.js'
import { tokenEndpoint } from './token-endpoint.js'
import type { EmulatorEndpoint } from './types.js'

/** Which endpoint a request is for, and how to answer it once it has been counted. */
export interface Route {
  endpoint: EmulatorEndpoint
  grantType?: string
  respond: () => Response | Promise<Response>
}

const SOAP_PATH = /^\/services\/Soap\/([uc])\/(\d+\.\d+)(?:\/[^/]*)?$/
const IDENTITY_PATH = /^\/id\/(00D\w{12,15})\/(005\w{12,15})\/?$/

/** Reads just enough of a request to name its endpoint (the grant type, the SOAP operation). */
export async function route(ctx: RequestContext, state: EmulatorState): Promise<Route> {
  const { path, request } = ctx
  switch (path) {
    case '/services/oauth2/token': {
      const params = await readParams(request, ctx.url)
      const grantType = params.get('grant_type') ?? undefined
      const respond = () => tokenEndpoint(ctx, state, params)
      return {
        endpoint: 'token',
        ...(grantType ? { grantType } : {}),
        respond:
          grantType === 'refresh_token' && request.method === 'POST'
            ? guardRefresh(state, params, respond)
            : respond,
      }
    }
    case '/services/oauth2/authorize': {
      const params = await readParams(request, ctx.url)
      return { endpoint: 'authorize', respond: () => authorizeEndpoint(ctx, state, params) }
    }
    case '/services/oauth2/revoke': {
      const params = await readParams(request, ctx.url)
      return { endpoint: 'revoke', respond: () => revokeEndpoint(state, params) }
    }
    case '/services/oauth2/introspect': {
      const params = await readParams(request, ctx.url)
      return { endpoint: 'introspect', respond: () => introspectEndpoint(ctx, state, params) }
    }
    case '/services/oauth2/singleaccess': {
      const params = await readParams(request, ctx.url)
      return { endpoint: 'singleaccess', respond: () => singleAccessEndpoint(ctx, state, params) }
    }
    case '/secur/frontdoor.jsp':
      return { endpoint: 'frontdoor', respond: () => frontdoorEndpoint(ctx, state) }
    case '/services/oauth2/userinfo':
      return { endpoint: 'userinfo', respond: () => userinfoEndpoint(ctx, state) }
    case '/.well-known/openid-configuration':
      return { endpoint: 'openid-configuration', respond: () => openidConfiguration(ctx) }
    case '/id/keys':
      return {
        endpoint: 'keys',
        respond: async () => json({ keys: [await state.signingKey.jwk()] }),
      }
  }
  const identity = IDENTITY_PATH.exec(path)
  if (identity?.[1] && identity[2]) {
    const [, orgId, userId] = identity
    return { endpoint: 'identity', respond: () => identityEndpoint(ctx, state, orgId, userId) }
  }
  const soap = SOAP_PATH.exec(path)
  if (soap?.[2] && request.method === 'POST') {
    const wsdl = soap[1] === 'c' ? 'enterprise' : 'partner'
    const version = soap[2]
    const call = parseSoapCall(await request.text(), wsdl)
    return {
      endpoint: call.operation === 'logout' ? 'soap-logout' : 'soap-login',
      respond: () => soapEndpoint(ctx, state, call, wsdl, version),
    }
  }
  if (path === '/services/data' || path.startsWith('/services/data/')) {
    return { endpoint: 'data', respond: () => dataEndpoint(ctx, state) }
  }
  if (path.startsWith('/lightning/') && request.method === 'GET') {
    return { endpoint: 'ui', respond: () => uiEndpoint(ctx, state) }
  }
  return {
    endpoint: 'not-found',
    respond: () =>
      html(
        '<!DOCTYPE html><html lang="en"><head><title>URL No Longer Exists</title></head><body><p>The page you have attempted to access is not available.</p></body></html>',
        404,
      ),
  }
}
