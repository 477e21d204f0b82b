import { escapeMarkup as e } from './xml-escape.js'

/** Form fields the pages add themselves; everything else is an authorize parameter to carry. */
const PAGE_FIELDS = new Set(['action', 'username', 'password', 'ticket'])

function hiddenInputs(params: URLSearchParams): string {
  let inputs = ''
  for (const [name, value] of params) {
    if (!PAGE_FIELDS.has(name)) {
      inputs += `<input type="hidden" name="${e(name)}" value="${e(value)}">`
    }
  }
  return inputs
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input,button{padding:.5rem;box-sizing:border-box}.error{color:#b00}.buttons{display:flex;gap:.5rem}</style></head><body>${body}</body></html>`
}

/**
 * The login form of the authorize flow: username (prefilled from login_hint) and password, every
 * authorize parameter carried in hidden inputs, posted back to the authorize URL.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm
 */
export function loginPage(action: string, params: URLSearchParams, error?: string): string {
  const username = params.get('username') ?? params.get('login_hint') ?? ''
  return page(
    'Login | Salesforce',
    `<h1>Log in to Salesforce</h1>${error ? `<p class="error" role="alert">${e(error)}</p>` : ''}<form method="post" action="${e(action)}">${hiddenInputs(params)}<input type="hidden" name="action" value="login"><label for="username">Username</label><input id="username" name="username" type="email" autocomplete="username" value="${e(username)}" required><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required><button type="submit" id="Login">Log In</button></form>`,
  )
}

/**
 * The consent page: Allow and Deny post back with an opaque, single-use login ticket that proves
 * the login form succeeded.
 */
export function consentPage(
  action: string,
  params: URLSearchParams,
  ticket: string,
  appName: string,
  username: string,
): string {
  const scope = params.get('scope')
  return page(
    'Allow Access? | Salesforce',
    `<h1>Allow Access?</h1><p><strong>${e(appName)}</strong> is asking to access your Salesforce data as <strong>${e(username)}</strong>.</p>${scope ? `<p>Scopes: ${e(scope)}</p>` : ''}<form method="post" action="${e(action)}">${hiddenInputs(params)}<input type="hidden" name="ticket" value="${e(ticket)}"><div class="buttons"><button type="submit" name="action" value="allow" id="oaapprove">Allow</button><button type="submit" name="action" value="deny" id="oadeny">Deny</button></div></form>`,
  )
}

/** The page shown instead of a redirect when the client or its redirect URI cannot be trusted. */
export function errorPage(error: string, description: string): string {
  return page(
    'OAuth Error | Salesforce',
    `<h1>OAuth Error</h1><p class="error">error=${e(error)}&amp;error_description=${e(description)}</p>`,
  )
}
