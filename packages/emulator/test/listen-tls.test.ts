import { X509Certificate } from 'node:crypto'
import { request as httpsRequest } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator, type EmulatorServer } from '../src/index.js'
import { selfSignedPair } from '../src/server-tls.js'
import { passwordFields, readAnswer } from './helpers.js'

const emu = createEmulator()
let server: EmulatorServer

beforeAll(async () => {
  server = await emu.listen(0, { tls: true })
})
afterAll(() => server.close())

function post(
  url: string,
  body: string,
  ca: string | undefined,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        ...(ca ? { ca } : {}),
      },
      (res) => readAnswer(res).then(resolve, reject),
    )
    req.on('error', reject)
    req.end(body)
  })
}

const form = new URLSearchParams(passwordFields).toString()

describe('listen({ tls: true })', () => {
  it('serves https with a self-signed certificate for the loopback names, and is its own instance', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const cert = new X509Certificate(server.certificate!)
    expect(cert.checkHost('localhost')).toBe('localhost')
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(cert.verify(cert.publicKey)).toBe(true)
    const res = await post(`${server.url}/services/oauth2/token`, form, server.certificate)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).instance_url).toBe(server.url)
    const local = await post(
      `${server.url.replace('127.0.0.1', 'localhost')}/services/oauth2/token`,
      form,
      server.certificate,
    )
    expect(local.status).toBe(200)
  })

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(post(`${server.url}/services/oauth2/token`, form, undefined)).rejects.toThrow(
      /self[- ]signed/i,
    )
  })

  it("serves the caller's own certificate", async () => {
    const pair = await selfSignedPair(['emu.test'])
    const own = await createEmulator().listen(0, { tls: pair })
    try {
      expect(own.certificate).toBe(pair.cert)
      const res = await post(`${own.url}/services/oauth2/token`, form, pair.cert)
      expect(res.status).toBe(200)
      await expect(
        post(`${own.url}/services/oauth2/token`, form, server.certificate),
      ).rejects.toThrow()
    } finally {
      await own.close()
    }
  })
})
