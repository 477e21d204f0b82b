import { clientCredentials } from '@sfauth/client-credentials'
import { Connection } from '@sfauth/core'
import { flags, optional, required } from '../args.js'
import { createIo, EXIT, showHelp } from '../io.js'
import { nodeFetch } from '../node-fetch.js'
import { openStore } from '../store.js'
import { finishLogin, pendingId, savedSession } from './login-common.js'
import { readSecret, SECRET_ENV } from './secret.js'

const HELP = `Usage: sfauth login client-credentials --client-id ID --instance-url URL [--alias NAME] [--json]

Logs in with the OAuth 2.0 client credentials flow, as the app's run-as user, on the org's My
Domain (URL). The client secret comes from ${SECRET_ENV} or stdin, never from a flag. It is
stored with the session (renewal needs it), in a file only you can read.

Example:
  printf '%s' "$SECRET" | sfauth login client-credentials --client-id 3MVG9... --instance-url https://acme.my.salesforce.com
`

export async function loginClientCredentials(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, {
    'client-id': { type: 'string' },
    'instance-url': { type: 'string' },
    alias: { type: 'string', short: 'a' },
  })
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const clientId = required(values, 'client-id')
  const instanceUrl = required(values, 'instance-url').replace(/\/+$/, '')
  const alias = optional(values, 'alias')
  const clientSecret = (await readSecret(true)) as string
  const store = await openStore()
  const id = pendingId()
  const conn = new Connection({
    fetch: nodeFetch,
    instanceUrl,
    oauth2: { clientId, clientSecret, loginUrl: instanceUrl },
    flows: [clientCredentials(), savedSession(store, alias, id)],
  })
  await conn.authorize({ grant_type: 'client_credentials' })
  await finishLogin(io, store, conn, alias, id, {
    flow: 'client-credentials',
    clientId,
    clientSecret,
    loginUrl: instanceUrl,
  })
  return EXIT.ok
}
