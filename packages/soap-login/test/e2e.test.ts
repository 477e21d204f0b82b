import { Connection, type UserInfo } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { expect, it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { password, username } from './helpers.js'

const server = useLoopbackEmulator()
const { emu } = server

it('logs in, renews, and logs out over real HTTP on 127.0.0.1, callback forms included', async () => {
  expect(new URL(server.url).hostname).toBe('127.0.0.1')
  const conn = new Connection({ loginUrl: server.url, flows: [soapLogin()] })
  const userInfo = await new Promise<UserInfo | undefined>((resolve, reject) =>
    conn.login(username, password, (err, info) => (err ? reject(err) : resolve(info))),
  )
  expect(userInfo).toEqual({
    id: DEFAULT_USER.userId,
    organizationId: DEFAULT_USER.orgId,
    url: `${server.url}/id/${DEFAULT_USER.orgId}/${DEFAULT_USER.userId}`,
  })
  expect(conn.instanceUrl).toBe(server.url)

  emu.expireSessions()
  const result = await conn.request<{ records: { Id: string }[] }>('query?q=SELECT+Id+FROM+User')
  expect(result.records[0]?.Id).toBe(DEFAULT_USER.userId)
  expect(emu.count('soap-login')).toBe(2)

  const sessionId = conn.accessToken as string
  await new Promise<void>((resolve, reject) =>
    conn.logout((err) => (err ? reject(err) : resolve())),
  )
  expect(emu.isValidAccessToken(sessionId)).toBe(false)
  expect(conn.accessToken).toBeUndefined()
})
