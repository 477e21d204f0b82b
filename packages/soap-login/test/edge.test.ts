// @vitest-environment edge-runtime
import { Connection } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { rejection, testFlow } from '@sfauth/test-kit'
import { it } from 'vitest'
import { soapLogin } from '../src/index.js'
import { soapLoginFlow } from './flow.js'

// The WinterCG globals of Vercel Edge / Cloudflare Workers, through the emulator's own fetch.
testFlow(soapLoginFlow)

it('rejects an entity bomb in an edge runtime', async () => {
  const bomb = new Connection({
    fetch: async () =>
      new Response('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "a">]><a>&a;</a>', {
        status: 200,
        headers: { 'Content-Type': 'text/xml' },
      }),
    flows: [soapLogin()],
  })
  await rejection(bomb.login(DEFAULT_USER.username, 'any-password'), {
    errorCode: 'ERR_INVALID_RESPONSE',
  })
})
