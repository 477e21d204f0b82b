import { Connection, SfAuthError } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import { soapLogin } from '@sfauth/soap-login'
import { useHostileServers } from '@sfauth/test-kit/hostile-server'
import { describe, expect, it } from 'vitest'
import { CLIENT_ID, CLIENT_SECRET, USERNAME } from './helpers.js'

/**
 * "No redirect is followed on a call that carries credentials" (SECURITY.md), tried with
 * real fetch against two loopback servers: the first answers every call with a redirect to the
 * second, which records whatever reaches it. The second must receive nothing.
 */

const PASSWORD = 'redirect-test-password-9f2c'
const { listen, thief } = useHostileServers()

async function redirector(status: number, location: string) {
  return listen(() => [status, { Location: location }, ''])
}

describe.each([307, 308])('a %i from', (status) => {
  // A runtime fetch follows a 307/308 and resends the POST body, password and secret included.
  it('the token endpoint: the password and client secret go nowhere else', async () => {
    const target = await thief()
    const loginUrl = await redirector(status, `${target.origin}/steal`)
    const conn = new Connection({
      oauth2: new OAuth2({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, loginUrl }),
    })
    const err = await conn.login(USERNAME, PASSWORD).catch((e: unknown) => e)
    expect(target.received).toEqual([])
    expect(err).toBeInstanceOf(SfAuthError)
    expect((err as SfAuthError).message).toContain(target.origin)
  })

  // The SOAP login carries the password in its body and goes through the same transport.
  it('the SOAP login: the password goes nowhere else', async () => {
    const target = await thief()
    const loginUrl = await redirector(status, `${target.origin}/steal`)
    const conn = new Connection({ loginUrl, flows: [soapLogin()] })
    const err = await conn.login(USERNAME, PASSWORD).catch((e: unknown) => e)
    expect(target.received).toEqual([])
    expect(err).toBeInstanceOf(SfAuthError)
  })
})

describe('an authenticated REST call redirected to another origin', () => {
  it('never carries the access token there', async () => {
    const target = await thief()
    const instanceUrl = await redirector(302, `${target.origin}/steal`)
    const accessToken = '00D000000000001!AQ0AQ.redirected-token'
    const conn = new Connection({ accessToken, instanceUrl })
    await conn.request('limits').catch((e: unknown) => e)
    for (const request of target.received) {
      expect(JSON.stringify(request)).not.toContain(accessToken)
    }
  })
})
