/**
 * Plays the user in front of the emulator's login and consent pages, the way a browser would:
 * GET the authorization URL, submit the login form, press Allow, and read the authorization
 * code from the redirect. Only ever talks to the local emulator.
 */
export async function approveInEmulator(
  authorizationUrl: string,
  username: string,
  password: string,
): Promise<string> {
  const loginPage = await fetch(authorizationUrl, { redirect: 'manual' })
  const loginForm = readForm(await pageOf(loginPage, 'the authorization URL'), loginPage.url)
  const consentPage = await submit(loginForm, { username, password })
  const consentHtml = await pageOf(consentPage, 'the login form')
  const loginError = /class="error"[^>]*>([^<]*)</.exec(consentHtml)?.[1]
  if (loginError) throw new Error(`the login page said: ${decode(loginError)}`)
  const allowed = await submit(readForm(consentHtml, consentPage.url), { action: 'allow' })
  const location = allowed.headers.get('location')
  if (allowed.status !== 302 || !location) {
    throw new Error(`pressing Allow answered ${allowed.status} without a redirect`)
  }
  return location
}

interface HtmlForm {
  action: string
  fields: Record<string, string>
}

async function pageOf(res: Response, what: string): Promise<string> {
  const body = await res.text()
  if (res.status !== 200) throw new Error(`${what} answered ${res.status}: ${body.slice(0, 200)}`)
  return body
}

function submit(form: HtmlForm, values: Record<string, string>): Promise<Response> {
  return fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...values }),
  })
}

/** The first form of a page and the values of its hidden inputs: what a browser would post. */
function readForm(html: string, pageUrl: string): HtmlForm {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) throw new Error('the page has no form')
  const action = attributesOf(form[1] ?? '').action ?? pageUrl
  const fields: Record<string, string> = {}
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = attributesOf(input[1] ?? '')
    if (attrs.type === 'hidden' && attrs.name) fields[attrs.name] = attrs.value ?? ''
  }
  return { action: new URL(action, pageUrl).href, fields }
}

function attributesOf(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"/g)) {
    if (match[1]) attrs[match[1].toLowerCase()] = decode(match[2] ?? '')
  }
  return attrs
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)))
    return ENTITIES[entity.toLowerCase()] ?? whole
  })
}
