import { flags, optional } from '../args.js'
import { connectionFor } from '../connection.js'
import { createIo, EXIT, showHelp } from '../io.js'
import { openStore } from '../store.js'

const HELP = `Usage: sfauth logout [--alias NAME] [--json]

Revokes the session at Salesforce (its refresh token too), then deletes it here. If Salesforce
cannot be reached, nothing is deleted: run it again.
`

export async function logout(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, { alias: { type: 'string', short: 'a' } })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const store = await openStore()
  const login = await store.resolveAlias(optional(values, 'alias'))
  await connectionFor(store, login).logout()
  await store.removeLogin(login.alias)
  io.result({ alias: login.alias, loggedOut: true }, `Logged out of ${login.alias}.`)
  return EXIT.ok
}
