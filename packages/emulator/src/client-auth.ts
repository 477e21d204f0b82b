import { basicCredentials } from './form.js'
import { oauthError } from './responses.js'
import type { EmulatorState } from './state.js'
import type { ConnectedApp } from './types.js'

/**
 * Finds the calling connected app from the body or HTTP Basic credentials and checks its secret.
 * A secret that was sent must be right. A missing one is fine only when the app has no secret, or
 * its "Require Secret" setting is off and the flow allows that (client credentials never does).
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.connected_app_create_api_integration.htm
 */
export function authenticateClient(
  state: EmulatorState,
  request: Request,
  params: URLSearchParams,
  options: { alwaysRequireSecret?: boolean } = {},
): ConnectedApp | Response {
  const basic = basicCredentials(request)
  const clientId = params.get('client_id') || basic?.id
  const app = clientId ? state.apps.get(clientId) : undefined
  if (!app) return oauthError('invalid_client_id', 'client identifier invalid')
  const sent = params.get('client_secret') || (basic?.id === clientId ? basic?.secret : undefined)
  if (!sent) {
    const required = options.alwaysRequireSecret || app.requireSecret !== false
    if (required && app.clientSecret)
      return oauthError('invalid_client', 'invalid client credentials')
    return app
  }
  if (sent !== app.clientSecret) return oauthError('invalid_client', 'invalid client credentials')
  return app
}
