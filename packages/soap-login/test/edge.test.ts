// @vitest-environment edge-runtime
import { Connection, SfAuthError } from '@sfauth/core'
import { createEmulator } from '@sfauth/emulator'
import { expect, it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { password, username } from './helpers.js'

// The WinterCG globals of Vercel Edge / Cloudflare Workers, through the emulator's own fetch.
it('logs in, re-logs in once, rejects a bomb and logs out in an edge runtime', async () => {
  const emu = createEmulator()
  const conn = new Connection({ fetch: emu.fetch, flows: [soapLogin()] })
  const info = await conn.login(username, password)
  expect(info.organizationId).toMatch(/^00D/)
  emu.expireSessions()
  await Promise.all([conn.request('/services/data'), conn.request('/services/data')])
  expect(emu.count('soap-login')).toBe(2)
  const sessionId = conn.accessToken as string
  await conn.logout()
  expect(emu.isValidAccessToken(sessionId)).toBe(false)

  const bomb = new Connection({
    fetch: async () =>
      new Response('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "a">]><a>&a;</a>', {
        status: 200,
        headers: { 'Content-Type': 'text/xml' },
      }),
    flows: [soapLogin()],
  })
  const err = await bomb.login(username, password).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(SfAuthError)
  expect((err as SfAuthError).errorCode).toBe('ERR_INVALID_RESPONSE')
})
