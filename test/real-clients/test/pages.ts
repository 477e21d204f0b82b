/** Reads a page's form as a browser submits it: action plus every input's name and value. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const decode = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  const action = decode(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '')
  const fields: Record<string, string> = {}
  for (const [input] of html.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input)?.[1]
    if (name) fields[decode(name)] = decode(/value="([^"]*)"/.exec(input)?.[1] ?? '')
  }
  return { action, fields }
}

/** Submits a page's form with extra fields, without following the answer's redirect. */
export function submit(
  page: string,
  base: string,
  extra: Record<string, string>,
): Promise<Response> {
  const { action, fields } = readForm(page)
  return fetch(new URL(action, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, ...extra }),
    redirect: 'manual',
  })
}

/**
 * What a person does on the emulator's pages: open the authorize URL, log in, click Allow.
 * Resolves to the callback URL the browser would be sent to.
 */
export async function approveInPages(
  authorizeUrl: string,
  username: string,
  password: string,
): Promise<URL> {
  const loginPage = await (await fetch(authorizeUrl)).text()
  const consent = await submit(loginPage, authorizeUrl, { username, password })
  if (consent.status !== 200) throw new Error(`login page answered ${consent.status}`)
  const callback = await submit(await consent.text(), authorizeUrl, { action: 'allow' })
  const location = callback.headers.get('location')
  if (callback.status !== 302 || !location) throw new Error(`consent answered ${callback.status}`)
  return new URL(location)
}
