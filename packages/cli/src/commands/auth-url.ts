import { toSfdxAuthUrl } from '@sfauth/oauth2'
import { flags, optional } from '../args.js'
import { connectionFor } from '../connection.js'
import { CliError, createIo, EXIT, showHelp } from '../io.js'
import { openStore } from '../store.js'

const HELP = `Usage: sfauth auth-url [--alias NAME] [--json]

Prints the SFDX auth URL of a session that has a refresh token
(force://<clientId>:<clientSecret>:<refreshToken>@<host>), for \`sf org login sfdx-url\` or
\`sfauth login sfdx-url\` elsewhere. It is a credential: whoever has it can log in as you.
`

export async function authUrl(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, { alias: { type: 'string', short: 'a' } })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const store = await openStore()
  const login = await store.resolveAlias(optional(values, 'alias'))
  const saved = (await store.storage.getItem(`sessions:${login.alias}`)) as {
    refreshToken?: string
  } | null
  if (!saved?.refreshToken) {
    throw new CliError(
      'ERR_NO_REFRESH_TOKEN',
      `The session "${login.alias}" has no refresh token (a ${login.flow} login), so it has no auth URL.`,
    )
  }
  const conn = connectionFor(store, login)
  const url = toSfdxAuthUrl({
    refreshToken: saved.refreshToken,
    instanceUrl: login.instanceUrl,
    oauth2: {
      clientId: login.clientId,
      ...(login.clientSecret ? { clientSecret: login.clientSecret } : {}),
    },
    loginUrl: conn.loginUrl,
  })
  io.result({ alias: login.alias, sfdxAuthUrl: url }, url)
  return EXIT.ok
}
