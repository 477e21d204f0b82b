import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmulator, type EmulatorServer } from '../src/index.js'
import { passwordFields, readAnswer } from './helpers.js'

const emu = createEmulator()
let server: EmulatorServer
let port: number

beforeAll(async () => {
  server = await emu.listen(0, { allowedHosts: ['emu.test'] })
  port = Number(new URL(server.url).port)
})
afterAll(() => server.close())

const passwordForm = new URLSearchParams(passwordFields).toString()

interface Answer {
  status: number
  body: string
}

/** A token request with the given `Host` header, as a browser on a rebinding page would send. */
function tokenWithHost(host: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/services/oauth2/token',
        headers: { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (res) => readAnswer(res).then(resolve, reject),
    )
    req.on('error', reject)
    req.end(passwordForm)
  })
}

const MIB = 1024 * 1024
const HUGE = 64 * MIB

/**
 * Streams up to 64 MiB at the token endpoint, 1 MiB at a time, waiting for the socket to drain, and
 * stops as soon as an answer arrives. Resolves to the answer and how much had been sent by then.
 */
function hugePost(declareLength: boolean): Promise<Answer & { sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/services/oauth2/token',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(declareLength ? { 'Content-Length': String(HUGE) } : {}),
        },
      },
      (res) => {
        answered = true
        readAnswer(res).then((answer) => resolve({ ...answer, sent }), reject)
      },
    )
    // A reset after the answer is the server closing the connection, as it should.
    req.on('error', (err) => (answered ? undefined : reject(err)))
    const chunk = Buffer.alloc(MIB, 'a')
    const pump = () => {
      while (!answered && sent < HUGE) {
        sent += chunk.byteLength
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    pump()
  })
}

describe('the loopback server refuses what a hostile page or client sends', () => {
  it('refuses a request whose Host is another site (DNS rebinding) and issues no token', async () => {
    emu.resetCalls()
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      `attacker.example@127.0.0.1:${port}`,
      `127.0.0.1.attacker.example:${port}`,
    ]) {
      const answer = await tokenWithHost(host)
      expect(answer.status, host).toBe(403)
      expect(answer.body).not.toContain('access_token')
    }
    expect(emu.count('token')).toBe(0)
  })

  it('answers loopback names and the hosts it was told to allow', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      'emu.test',
    ]) {
      const answer = await tokenWithHost(host)
      expect(answer.status, host).toBe(200)
      expect(answer.body).toContain('access_token')
    }
  })

  it('refuses a 64 MiB body with a declared length before reading it', async () => {
    const answer = await hugePost(true)
    expect(answer.status).toBe(413)
    expect(answer.sent).toBeLessThan(HUGE)
  })

  it('refuses a 64 MiB chunked body once it passes the limit, without reading the rest', async () => {
    const answer = await hugePost(false)
    expect(answer.status).toBe(413)
    expect(answer.sent).toBeLessThan(HUGE)
  })

  it('still serves bodies under the limit', async () => {
    const answer = await tokenWithHost(`127.0.0.1:${port}`)
    expect(answer.status).toBe(200)
  })
})
