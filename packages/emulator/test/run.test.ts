import { describe, expect, it } from 'vitest'
import { formatSummary, readSettings } from '../src/run.js'

const summary = {
  url: 'http://10.0.0.5:8787',
  host: '10.0.0.5',
  loopbackOnly: false,
  users: [{ username: 'u@example.com', password: 'pw' }],
  apps: [{ clientId: 'app', redirectUris: [], jwtBearer: true, rotateRefreshTokens: true }],
}

describe('the emulator command', () => {
  it('says plainly when it listens beyond this machine', () => {
    const text = formatSummary(summary)
    expect(text).toContain(
      'Listening on 10.0.0.5: other machines can reach it, and its users and secrets are test values anyone can read here.',
    )
    expect(text).not.toContain('Loopback only')
    expect(text).toContain('JWT bearer:     on')
    expect(text).toContain('refresh tokens rotate on every use')
  })

  it('reads flags over the defaults: loopback, any free port, http', async () => {
    expect(await readSettings([])).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      https: false,
      json: false,
    })
    expect(
      await readSettings([
        '--port',
        '8787',
        '--host',
        '::1',
        '--https',
        '--allow-host',
        'emu.test',
        '--json',
      ]),
    ).toMatchObject({
      port: 8787,
      host: '::1',
      https: true,
      allowedHosts: ['emu.test'],
      json: true,
    })
    await expect(readSettings(['--port', '70000'])).rejects.toThrow('--port must be a whole number')
  })
})
