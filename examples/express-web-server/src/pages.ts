const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}dt{font-weight:600}.error{color:#b00}</style></head><body>${body}</body></html>`
}

export function homePage(loginUrl: string): string {
  return page(
    '@sfauth express example',
    `<h1>@sfauth express example</h1><p>Logs in to <code>${escapeHtml(loginUrl)}</code> with the OAuth 2.0 web server flow (PKCE and state).</p><p><a id="login" href="/oauth2/auth">Log in with Salesforce</a></p>`,
  )
}

export function successPage(user: {
  id: string
  organizationId: string
  instanceUrl: string
}): string {
  return page(
    'Logged in',
    `<h1>Logged in</h1><dl><dt>User ID</dt><dd id="user-id">${escapeHtml(user.id)}</dd><dt>Org ID</dt><dd id="org-id">${escapeHtml(user.organizationId)}</dd><dt>Instance URL</dt><dd id="instance-url">${escapeHtml(user.instanceUrl)}</dd></dl><p><a href="/">Home</a></p>`,
  )
}

export function errorPage(errorCode: string, message: string): string {
  return page(
    'Login failed',
    `<h1>Login failed</h1><p class="error"><code id="error-code">${escapeHtml(errorCode)}</code>: <span id="error-message">${escapeHtml(message)}</span></p><p><a href="/oauth2/auth">Try again</a></p>`,
  )
}
