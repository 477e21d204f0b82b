import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { flags, optional } from '../args.js'
import { createIo, EXIT, showHelp } from '../io.js'
import { type CliStore, type LoginRecord, openStore, sessionKey } from '../store.js'

const HELP = `Usage: sfauth token [--alias NAME] [--json]

Prints a live access token for a stored session: it asks the org whether the session still
works and renews it when it has expired (one renewal however many sfauth processes run at once).

Example:
  curl -H "Authorization: Bearer $(sfauth token --alias dev)" "$(sfauth list --json | ...)"
`

export async function token(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, { alias: { type: 'string', short: 'a' } })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const store = await openStore()
  const login = await store.resolveAlias(optional(values, 'alias'))
  const live = await liveToken(store, login)
  if (live) {
    io.result({ alias: login.alias, accessToken: live, instanceUrl: login.instanceUrl }, live)
    return EXIT.ok
  }
  const { connectionFor } = await import('../connection.js')
  const conn = connectionFor(store, login)
  // The REST resource map: the cheapest call that answers 401 on a dead session.
  await conn.request('')
  io.result(
    { alias: login.alias, accessToken: conn.accessToken, instanceUrl: conn.instanceUrl },
    conn.accessToken ?? '',
  )
  return EXIT.ok
}

/** A REST resource that needs a live session: 200 with one, 401 without. */
const CHECK_PATH = '/services/data/v64.0/'

/**
 * The fast path: the stored access token, when one REST call says it still works. It loads no
 * library, only `node:http`; anything else (no token, a 401, an error) takes the full path, which
 * renews under the lock. The token goes only to the instance URL the login stored, over https
 * (plain http only to a loopback host), as the connection itself would send it.
 */
async function liveToken(store: CliStore, login: LoginRecord): Promise<string | undefined> {
  const saved = (await store.storage.getItem(sessionKey(login.alias))) as {
    accessToken?: unknown
    instanceUrl?: unknown
  } | null
  const token = saved?.accessToken
  if (typeof token !== 'string' || !token || saved?.instanceUrl !== login.instanceUrl) return
  let url: URL
  try {
    url = new URL(CHECK_PATH, login.instanceUrl)
  } catch {
    return
  }
  const loopback = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/.test(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  const status = await new Promise<number>((resolve) => {
    const req = send(
      url,
      { headers: { Authorization: `Bearer ${token}` }, timeout: 30_000 },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
    req.end()
  })
  return status === 200 ? token : undefined
}
