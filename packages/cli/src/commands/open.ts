import { frontdoorUrl } from '@sfauth/core/frontdoor'
import { flags, optional } from '../args.js'
import { connectionFor } from '../connection.js'
import { CliError, createIo, EXIT, showHelp, UsageError } from '../io.js'
import { openStore } from '../store.js'
import { openBrowser } from './browser.js'

const HELP = `Usage: sfauth open [--path /lightning/...] [--alias NAME] [--url-only] [--no-browser] [--json]

Opens the org in the system browser ($BROWSER, open, start or xdg-open), logged in as the stored
session's user, through a single-use frontdoor URL (no session id in any URL). An expired session
is renewed first.

The URL logs in whoever opens it first, so it is a credential: sfauth prints it only when asked
with --url-only (then it opens no browser); otherwise it shows it masked.

  --path P       where the browser lands, a path on the instance (default: the home page)
  --url-only     print the single-use URL instead of opening it
  --no-browser   get the URL but open nothing (a check that the org can be opened)

Examples:
  sfauth open --alias dev
  sfauth open --path /lightning/setup/SetupOneHome/home
  sfauth open --url-only --alias dev | xargs chromium
`

/** A path on the instance, as the frontdoor API takes it: one leading slash, no host, no backslash. */
function isInstancePath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\')
}

export async function open(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, {
    alias: { type: 'string', short: 'a' },
    path: { type: 'string', short: 'p' },
    'url-only': { type: 'boolean', short: 'r' },
    'no-browser': { type: 'boolean' },
  })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const path = values.path === undefined ? undefined : String(values.path)
  if (path !== undefined && !isInstancePath(path)) {
    throw new UsageError('--path must be a path on the instance, such as /lightning/page/home')
  }
  const urlOnly = values['url-only'] === true
  const store = await openStore()
  const login = await store.resolveAlias(optional(values, 'alias'))
  // The stored session and its flow, under the store's file lock: a renewal here is saved for
  // every later command, as for `sfauth request`.
  const conn = connectionFor(store, login)
  const door = await frontdoorUrl(conn, path === undefined ? {} : { path })
  const instanceUrl = conn.instanceUrl ?? login.instanceUrl
  if (urlOnly) {
    io.result({ alias: login.alias, instanceUrl, url: door.url, opened: false }, door.url)
    return EXIT.ok
  }
  const masked = String(door)
  if (values['no-browser'] !== true) {
    if (!(await openBrowser(door.url))) {
      // The URL is not printed as a fallback: it is a credential, shown only on request.
      throw new CliError(
        'ERR_NO_BROWSER',
        'No browser could be started: set BROWSER, or print the URL with sfauth open --url-only.',
      )
    }
    io.result(
      { alias: login.alias, instanceUrl, url: masked, opened: true },
      `Opened ${masked} in the browser (a single-use URL, not shown).`,
    )
    return EXIT.ok
  }
  io.result(
    { alias: login.alias, instanceUrl, url: masked, opened: false },
    `The org can be opened: ${masked} (a single-use URL, not shown; --url-only prints it).`,
  )
  return EXIT.ok
}
