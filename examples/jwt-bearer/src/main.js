// Log in to Salesforce with the OAuth 2.0 JWT bearer flow and call the REST API.
//
//   SF_PRIVATE_KEY_FILE=server.key SF_CLIENT_ID=3MVG9... SF_USERNAME=me@example.com \
//   SF_LOGIN_URL=https://login.salesforce.com npm start
//
// Without SF_PRIVATE_KEY_FILE it starts the local emulator on 127.0.0.1, makes a key pair,
// registers the public key on the emulator's connected app and runs against that.
import { generateKeyPairSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import { Connection } from '@sfauth/core'
import { createEmulator, DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '@sfauth/jwt'

/**
 * @typedef {object} Target
 * @property {string} loginUrl
 * @property {string} clientId
 * @property {string} username
 * @property {string} privateKey PEM text of the key
 * @property {import('@sfauth/emulator').Emulator} [emulator] set when running against the emulator
 * @property {() => Promise<void>} close
 */

/**
 * Where to log in: the org named by the environment, or a local emulator.
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<Target>}
 */
async function target(env) {
  if (env.SF_PRIVATE_KEY_FILE) {
    const missing = ['SF_CLIENT_ID', 'SF_USERNAME'].filter((name) => !env[name])
    if (missing.length > 0) {
      throw new Error(`SF_PRIVATE_KEY_FILE is set, so set ${missing.join(' and ')} too`)
    }
    return {
      loginUrl: env.SF_LOGIN_URL || 'https://login.salesforce.com',
      clientId: /** @type {string} */ (env.SF_CLIENT_ID),
      username: /** @type {string} */ (env.SF_USERNAME),
      privateKey: await readFile(env.SF_PRIVATE_KEY_FILE, 'utf8'),
      close: async () => {},
    }
  }
  // What `openssl genrsa` and the certificate upload do for a real connected app.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const emulator = createEmulator()
  emulator.addApp({
    ...DEFAULT_APP,
    publicKey: /** @type {string} */ (publicKey.export({ type: 'spki', format: 'pem' })),
  })
  const server = await emulator.listen()
  return {
    loginUrl: server.url,
    clientId: DEFAULT_APP.clientId,
    username: DEFAULT_USER.username,
    privateKey: /** @type {string} */ (privateKey.export({ type: 'pkcs1', format: 'pem' })),
    emulator,
    close: () => server.close(),
  }
}

/**
 * Logs in, queries the user's own record, shows a renewal when on the emulator, and logs out.
 * @param {Record<string, string | undefined>} [env]
 * @param {(line: string) => void} [log]
 */
export async function main(env = process.env, log = console.log) {
  const org = await target(env)
  try {
    const conn = new Connection({
      loginUrl: org.loginUrl,
      flows: [
        jwtBearer({ clientId: org.clientId, username: org.username, privateKey: org.privateKey }),
      ],
    })
    conn.on('refresh', () => log('Session expired: signed a new assertion and got a new token'))

    const userInfo = await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
    log(`Logged in to ${conn.instanceUrl} as user ${userInfo.id} of org ${userInfo.organizationId}`)

    const soql = `SELECT Id, Username FROM User WHERE Id = '${userInfo.id}'`
    /** @type {{ records: { Id: string, Username: string }[] }} */
    const result = await conn.request(`query?q=${encodeURIComponent(soql)}`)
    log(`REST API says the username is ${result.records[0]?.Username}`)

    if (org.emulator) {
      // No refresh token exists in this flow: the next request renews by signing again.
      org.emulator.expireSessions()
      await conn.request(`query?q=${encodeURIComponent(soql)}`)
    }

    await conn.logout()
    log('Logged out: the access token is revoked')
    return { userInfo, records: result.records }
  } finally {
    await org.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : err)
    process.exitCode = 1
  })
}
