import { inspect } from 'node:util'
import type { SfAuthError } from '@sfauth/core'
import fc from 'fast-check'
import { expect } from 'vitest'

export { rejection } from '@sfauth/test-kit'

export const LOGIN_URL = 'https://login.salesforce.com'
export const INSTANCE_URL = 'https://acme.my.salesforce.com'
export const USERNAME = 'user@example.com'
export const CLIENT_ID = '3MVG9-client-id'
export const CLIENT_SECRET = 'client-secret-0123456789ABCDEF'

/** Every form a secret can take once a server or a library has escaped it. */
export function encodings(secret: string): Record<string, string> {
  return {
    raw: secret,
    url: encodeURIComponent(secret),
    form: new URLSearchParams({ s: secret }).toString().slice(2),
    json: JSON.stringify(secret).slice(1, -1),
    xml: secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;'),
    // What whitespace normalisation of a message (clip, an HTML title) leaves of it.
    collapsed: secret.replace(/\s+/g, ' ').trim(),
  }
}

/** Everything a caller, a logger or a crash report can show of an error. */
export function views(err: unknown): Record<string, string> {
  const e = err as SfAuthError
  return {
    message: String(e?.message),
    errorCode: String(e?.errorCode),
    string: String(err),
    json: JSON.stringify(err) ?? '',
    inspect: inspect(err, { depth: 10 }),
    cause: inspect(e?.cause, { depth: 10 }),
  }
}

/** Asserts that no form of `secret` shows in any view of `err`. */
export function expectNoSecret(err: unknown, secret: string): void {
  const seen = views(err)
  for (const [form, value] of Object.entries(encodings(secret))) {
    if (value.length < 4) continue
    for (const [where, text] of Object.entries(seen)) {
      expect(text.includes(value), `${form} form of the secret in ${where}`).toBe(false)
    }
  }
}

/** A `fetch` that answers every request with `answer(request)`, recording the requests. */
export function stubFetch(
  answer: (request: Request, body: string) => Response | Promise<Response>,
): {
  fetch: typeof fetch
  requests: { url: string; body: string }[]
} {
  const requests: { url: string; body: string }[] = []
  return {
    requests,
    fetch: async (input, init) => {
      const request = new Request(input, init)
      const body = await request.clone().text()
      requests.push({ url: request.url, body })
      return answer(request, body)
    },
  }
}

/** A printable secret of at least 12 characters that contains `special`, somewhere in it. */
export function secretWith(special: string): fc.Arbitrary<string> {
  const word = fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    minLength: 6,
    maxLength: 20,
  })
  return fc.tuple(word, fc.constantFrom(...special), word).map(([a, ch, b]) => `${a}${ch}${b}`)
}

/** Any secret: arbitrary Unicode of a realistic length, including what escaping changes. */
export const anySecret: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 }),
    secretWith('&<>"\'%+ \\é/=?#'),
  )
  .map(([a, b]) => `${b}${a}`)
