import { Connection } from '@sfauth/core'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { expect, it } from 'vitest'
import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '../src/index.js'
import { ID_TOKEN, newSetup, PUBLIC_APP, USER } from './helpers.js'

// End to end over real HTTP: the emulator's loopback server stands in for a My Domain host.
const { emu, idp } = newSetup()
const server = useLoopbackEmulator(emu)

it('exchanges, renews with a fresh subject token and logs out over real HTTP on 127.0.0.1', async () => {
  const conn = new Connection({
    loginUrl: server.url,
    oauth2: { clientId: PUBLIC_APP.clientId },
    flows: [tokenExchange({ subjectToken: async () => idp.issue(), subjectTokenType: ID_TOKEN })],
  })
  const userInfo = await conn.authorize({ grant_type: TOKEN_EXCHANGE_GRANT_TYPE })
  expect(userInfo).toMatchObject({ id: USER.userId, organizationId: USER.orgId })
  expect(conn.instanceUrl).toBe(server.url)

  emu.expireSessions()
  idp.expire(idp.issued[0] as string)
  const result = await conn.request<{ records: { Id: string }[] }>(
    'query?q=SELECT+Id+FROM+User+LIMIT+1',
  )
  expect(result.records[0]?.Id).toBe(USER.userId)
  expect(emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(2)
  expect(idp.issued).toHaveLength(2)

  const token = conn.accessToken as string
  await conn.logout()
  expect(emu.isValidAccessToken(token)).toBe(false)
  expect(emu.count('revoke')).toBe(1)
})
