import { SfAuthError } from './errors.js'
import { dropCutSecret, scrub } from './redact.js'
import { refusalHint } from './refusal-hint.js'

/** What {@link errorFromResponse} needs of a response. */
export interface ErrorResponseLike {
  status: number
  statusText?: string
  headers: Headers
  text: string
}

const MAX_TEXT_IN_MESSAGE = 200
/** Salesforce's own messages (error_description, REST messages) are kept up to this length. */
const MAX_SERVER_MESSAGE = 1000
/** Salesforce's codes are short words; anything longer is not one. */
const MAX_ERROR_CODE = 100

type Parsed = { errorCode: string; message: string } | undefined

function fromJson(body: unknown): Parsed {
  // OAuth endpoints: {"error":"invalid_grant","error_description":"authentication failure"}
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>
    if (typeof o.error === 'string') {
      const description = typeof o.error_description === 'string' ? o.error_description : o.error
      return { errorCode: o.error, message: description }
    }
    if (typeof o.errorCode === 'string') {
      return { errorCode: o.errorCode, message: String(o.message ?? o.errorCode) }
    }
  }
  // REST API: [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]
  if (Array.isArray(body) && body.length > 0) {
    const first = body[0] as Record<string, unknown> | null
    if (first && typeof first.errorCode === 'string') {
      const messages = body
        .map((e) =>
          e && typeof e === 'object' ? String((e as { message?: unknown }).message ?? '') : '',
        )
        .filter(Boolean)
      return { errorCode: first.errorCode, message: messages.join('; ') || first.errorCode }
    }
  }
  return undefined
}

function fromForm(text: string): Parsed {
  // jsforce documents revoke errors as form-encoded: error=invalid_token&error_description=...
  if (!/^error=/.test(text)) return undefined
  const params = new URLSearchParams(text)
  const error = params.get('error')
  if (!error) return undefined
  return { errorCode: error, message: params.get('error_description') ?? error }
}

function htmlTitle(text: string): string | undefined {
  const lower = text.toLowerCase()
  const start = lower.indexOf('<title>')
  const end = lower.indexOf('</title>')
  if (start < 0 || end <= start) return undefined
  return text.slice(start + 7, end)
}

/**
 * Server text made fit for a message: secrets scrubbed before and after whitespace is collapsed
 * and control characters removed, then cut to `max` characters. The work is bounded whatever
 * the body: only the first `max * 4` characters are read, and where that cut (or the collapse
 * after it) fell inside a secret, the start of it left at the end is dropped too, since scrub
 * matches whole secrets only. Every whole secret in what is shown was scrubbed, so the final cut
 * at `max` cannot fall inside one.
 */
function clip(text: string, max: number, secrets: Secrets): string {
  const cut = text.length > max * 4
  const head = cut ? dropCutSecret(text.slice(0, max * 4), secrets) : text
  let flat = scrub(
    scrub(head, secrets)
      .replace(/\s+/g, ' ')
      .replace(/\p{Cc}/gu, '')
      .trim(),
    secrets,
  )
  if (cut) flat = dropCutSecret(flat, secrets)
  return flat.length > max ? `${flat.slice(0, max)}\u2026` : flat
}

/** Salesforce's code as it is, unless it carries a secret or is too long to be a code. */
function codeOf(code: string, secrets: Secrets): string {
  return code.length <= MAX_ERROR_CODE && scrub(code, secrets) === code ? code : 'ERR_HTTP'
}

type Secrets = readonly (string | undefined)[] | undefined

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Turns an HTTP error response into an {@link SfAuthError}: OAuth error JSON, REST error arrays,
 * form-encoded errors, one-word plain-text errors (`Bad_OAuth_Token`), HTML pages (their title
 * only, never the page) and empty bodies.
 *
 * @param res the response: status, status text, headers and body text.
 * @param secrets values to scrub from the message (the tokens or passwords the request carried).
 * @returns the error, with Salesforce's code as `errorCode` (else `ERR_HTTP`) and the status.
 * @throws never: it returns the error for the caller to throw.
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * @example
 * ```ts
 * const res = await ctx.http.send(request)
 * if (res.status >= 400) throw errorFromResponse(res, [accessToken])
 * ```
 */
export function errorFromResponse(res: ErrorResponseLike, secrets?: Secrets): SfAuthError {
  const status = res.status
  const text = res.text.trim()
  const parsed = fromJson(tryJson(text)) ?? fromForm(text)
  if (parsed) return serverError({ ...parsed, status }, secrets)
  const statusLine = `HTTP ${status}${res.statusText ? ` ${clip(res.statusText, 100, secrets)}` : ''}`
  if (text === '') {
    return new SfAuthError(`${statusLine} with an empty body`, { errorCode: 'ERR_HTTP', status })
  }
  const contentType = res.headers.get('content-type') ?? ''
  if (contentType.includes('html') || /^<(!doctype|html)/i.test(text)) {
    const title = htmlTitle(text)
    const shown = title && clip(title, MAX_TEXT_IN_MESSAGE, secrets)
    const message = `${statusLine}: the server answered with an HTML page${shown ? ` ("${shown}")` : ''}`
    return new SfAuthError(message, { errorCode: 'ERR_HTTP', status })
  }
  // Salesforce's identity service answers a bad token with one word of plain text.
  if (/^[A-Za-z][A-Za-z0-9_]{2,63}$/.test(text) && codeOf(text, secrets) === text) {
    return new SfAuthError(`${text}: ${statusLine}`, { errorCode: text, status })
  }
  return new SfAuthError(`${statusLine}: ${clip(text, MAX_TEXT_IN_MESSAGE, secrets)}`, {
    errorCode: 'ERR_HTTP',
    status,
  })
}

/**
 * An {@link SfAuthError} from a code and a message a server sent in a shape of its own (a SOAP
 * fault), under the rules of {@link errorFromResponse}: the code is kept only when it is at most
 * 100 characters and carries no secret (else `ERR_HTTP`); the message has control characters
 * removed, whitespace collapsed, secrets scrubbed, and is cut to 1000 characters.
 *
 * @param found the server's `errorCode` and `message`, and the HTTP `status`.
 * @param secrets the values the request carried, to keep out of the code and the message.
 * @returns the error, for the caller to throw.
 * @throws never: it returns the error.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#exception_codes
 * @example
 * ```ts
 * throw serverError({ errorCode: faultcode, message: faultstring, status: res.status }, [password])
 * ```
 */
export function serverError(
  found: { errorCode: string; message: string; status?: number },
  secrets?: Secrets,
): SfAuthError {
  const errorCode = codeOf(found.errorCode, secrets)
  const message = clip(found.message, MAX_SERVER_MESSAGE, secrets)
  return new SfAuthError(message + refusalHint(errorCode, message), {
    errorCode,
    status: found.status,
  })
}
