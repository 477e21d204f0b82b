import { flags, optional } from '../args.js'
import { connectionFor } from '../connection.js'
import { createIo, EXIT, showHelp } from '../io.js'
import { openStore } from '../store.js'

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
  const conn = connectionFor(store, login)
  // The REST resource map: the cheapest call that answers 401 on a dead session.
  await conn.request('')
  io.result(
    { alias: login.alias, accessToken: conn.accessToken, instanceUrl: conn.instanceUrl },
    conn.accessToken ?? '',
  )
  return EXIT.ok
}
