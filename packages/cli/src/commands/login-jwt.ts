import { resolve } from 'node:path'
import { Connection } from '@sfauth/core'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '@sfauth/jwt'
import { flags, optional, required } from '../args.js'
import { readKey } from '../connection.js'
import { createIo, EXIT, showHelp } from '../io.js'
import { nodeFetch } from '../node-fetch.js'
import { checkAlias, openStore } from '../store.js'
import { finishLogin, pendingId, savedSession } from './login-common.js'

const HELP = `Usage: sfauth login jwt --client-id ID --username U --key-file F [--login-url URL] [--alias NAME] [--json]

Logs in with the OAuth 2.0 JWT bearer flow: signs an assertion with the private key in F (PEM)
for the connected app ID, whose certificate Salesforce holds. Renewal signs a new one, so the
key file must stay where it is; only its path is stored.

  --login-url URL   https://login.salesforce.com (default), https://test.salesforce.com, or a My Domain
  --alias NAME      name to store the session under (default: the username)

Example:
  sfauth login jwt --client-id 3MVG9... --username ci@acme.com --key-file server.key --alias ci
`

export async function loginJwt(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, {
    'client-id': { type: 'string' },
    username: { type: 'string', short: 'u' },
    'key-file': { type: 'string', short: 'f' },
    'login-url': { type: 'string', short: 'r' },
    alias: { type: 'string', short: 'a' },
  })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const clientId = required(values, 'client-id')
  const username = required(values, 'username')
  const keyFile = resolve(required(values, 'key-file'))
  const loginUrl = optional(values, 'login-url') ?? 'https://login.salesforce.com'
  const alias = checkAlias(optional(values, 'alias') ?? username)
  const privateKey = await readKey(keyFile)
  const store = await openStore()
  const id = pendingId()
  const conn = new Connection({
    fetch: nodeFetch,
    loginUrl,
    oauth2: { clientId, loginUrl },
    flows: [jwtBearer({ clientId, username, privateKey }), savedSession(store, alias, id)],
  })
  await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
  await finishLogin(io, store, conn, alias, id, {
    flow: 'jwt',
    clientId,
    loginUrl,
    username,
    keyFile,
  })
  return EXIT.ok
}
