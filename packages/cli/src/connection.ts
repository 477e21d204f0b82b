import { readFile } from 'node:fs/promises'
import { Connection, type Flow } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { CliError } from './io.js'
import { nodeFetch } from './node-fetch.js'
import { type CliStore, type LoginRecord, sessionKey } from './store.js'

/**
 * A connection for a stored login: the saved session (shared with every other `sfauth` process
 * through the store and its file lock) and the flow that renews it when it expires.
 */
export function connectionFor(store: CliStore, login: LoginRecord): Connection {
  const saved = session({ store: store.storage, key: sessionKey(login.alias), lock: store.lock })
  const base = { loginUrl: login.loginUrl, instanceUrl: login.instanceUrl, fetch: nodeFetch }
  switch (login.flow) {
    case 'web':
    case 'sfdx-url':
      return new Connection({
        ...base,
        oauth2: new OAuth2({
          clientId: login.clientId,
          loginUrl: login.loginUrl,
          ...(login.clientSecret ? { clientSecret: login.clientSecret } : {}),
          ...(login.redirectUri ? { redirectUri: login.redirectUri } : {}),
        }),
        flows: [saved],
      })
    case 'jwt':
      return new Connection({
        ...base,
        oauth2: { clientId: login.clientId, loginUrl: login.loginUrl },
        flows: [saved, lazyJwt(login)],
      })
    case 'client-credentials':
      return new Connection({
        ...base,
        oauth2: {
          clientId: login.clientId,
          clientSecret: login.clientSecret ?? '',
          loginUrl: login.loginUrl,
        },
        flows: [saved, lazyClientCredentials()],
      })
  }
}

/**
 * The JWT bearer flow, loaded (with jose and the key file) only when the session has to be
 * renewed: a live session never pays for it.
 */
function lazyJwt(login: LoginRecord): Flow {
  let flow: Promise<Flow> | undefined
  const load = () =>
    (flow ??= (async () => {
      const { jwtBearer } = await import('@sfauth/jwt')
      const privateKey = await readKey(login.keyFile)
      return jwtBearer({ clientId: login.clientId, username: login.username ?? '', privateKey })
    })())
  return {
    name: '@sfauth/jwt',
    renewSession: (ctx, current) =>
      load().then((f) => f.renewSession?.(ctx, current) ?? Promise.reject(noRenewal())),
  }
}

function lazyClientCredentials(): Flow {
  let flow: Promise<Flow> | undefined
  const load = () =>
    (flow ??= import('@sfauth/client-credentials').then(({ clientCredentials }) =>
      clientCredentials(),
    ))
  return {
    name: '@sfauth/client-credentials',
    renewSession: (ctx, current) =>
      load().then((f) => f.renewSession?.(ctx, current) ?? Promise.reject(noRenewal())),
  }
}

function noRenewal(): CliError {
  return new CliError('ERR_CANNOT_RENEW', 'The stored session cannot be renewed: log in again.')
}

/** Reads a private key file; the error names the file, never its content. */
export async function readKey(path: string | undefined): Promise<string> {
  if (!path)
    throw new CliError('ERR_KEY_FILE', 'No key file is stored for this login: log in again.')
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new CliError(
      'ERR_KEY_FILE',
      `Cannot read the key file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    )
  }
}
