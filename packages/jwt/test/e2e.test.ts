import { Connection } from '@sfauth/core'
import { recordingFetch } from '@sfauth/test-kit'
import { useLoopbackEmulator } from '@sfauth/test-kit/loopback'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '../src/index.js'
import { CLIENT_ID, emulatorFor, generateKeys, USERNAME } from './helpers.js'

const keys = await generateKeys()

describe('end to end over HTTP, against the emulator on 127.0.0.1', () => {
  const server = useLoopbackEmulator(() => emulatorFor({ certificate: keys.certificate }))

  it.each(['', '/partners'])(
    'logs in at login URL %s with a certificate on the app, renews and logs out',
    async (path) => {
      const { emu } = server
      const loginUrl = `${server.url}${path}`
      const { fetch, tokenRequests } = recordingFetch()
      const conn = new Connection({
        loginUrl,
        fetch,
        flows: [jwtBearer({ clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 })],
      })
      await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
      expect(conn.instanceUrl).toBe(server.url)
      expect(decodeJwt(tokenRequests[0]?.get('assertion') as string).aud).toBe(loginUrl)

      emu.expireSessions()
      const [a, b] = await Promise.all([conn.request('/services/data'), conn.request('')])
      expect(Array.isArray(a)).toBe(true)
      expect(b).toHaveProperty('query')
      expect(emu.count('token', JWT_BEARER_GRANT_TYPE)).toBe(2)

      const token = conn.accessToken as string
      await conn.logout()
      expect(emu.isValidAccessToken(token)).toBe(false)
    },
  )
})
