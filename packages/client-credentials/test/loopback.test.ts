import { Connection } from '@sfauth/core'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { expect, it } from 'vitest'
import { clientCredentials } from '../src/index.js'
import { CLIENT, newEmulator, USER } from './helpers.js'

// End to end over real HTTP: the emulator's loopback server stands in for a My Domain host.
const server = useLoopbackEmulator(newEmulator())
const { emu } = server

it('logs in, renews after expiry and logs out over real HTTP on 127.0.0.1', async () => {
  const conn = new Connection({
    oauth2: { ...CLIENT, loginUrl: server.url },
    flows: [clientCredentials({ auth: 'basic' })],
  })
  const userInfo = await conn.authorize({ grant_type: 'client_credentials' })
  expect(userInfo).toMatchObject({ id: USER.userId, organizationId: USER.orgId })
  expect(conn.instanceUrl).toBe(server.url)

  emu.expireSessions()
  const result = await conn.request<{ records: { Id: string }[] }>(
    'query?q=SELECT+Id+FROM+User+LIMIT+1',
  )
  expect(result.records[0]?.Id).toBe(USER.userId)
  expect(emu.count('token', 'client_credentials')).toBe(2)

  const token = conn.accessToken as string
  await conn.logout()
  expect(emu.isValidAccessToken(token)).toBe(false)
  expect(emu.count('revoke')).toBe(1)
})
