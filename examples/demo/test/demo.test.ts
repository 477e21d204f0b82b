import { createServer } from 'node:net'
import { createEmulator, DEFAULT_USER } from '@sfauth/emulator'
import { describe, expect, it } from 'vitest'
import { approveInEmulator } from '../src/consent.js'
import { runDemo, STEPS } from '../src/run-demo.js'

describe('pnpm demo against the emulator', () => {
  it('runs every seed scenario and every step passes', async () => {
    const lines: string[] = []
    const { ok, reports } = await runDemo({ env: {}, log: (line) => lines.push(line) })

    expect(reports.map((r) => [r.id, r.status, r.reason])).toEqual(
      STEPS.map((step) => [step.id, 'passed', undefined]),
    )
    expect(ok).toBe(true)
    const byId = Object.fromEntries(reports.map((r) => [r.id, r]))
    for (const id of [
      'soap-login',
      'oauth2-password',
      'web-server',
      'jwt-bearer',
      'client-credentials',
      'password-retired',
      'access-token',
    ]) {
      expect(byId[id]?.userId).toMatch(/^005/)
      expect(byId[id]?.orgId).toMatch(/^00D/)
      expect(byId[id]?.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    }
    expect(byId['password-retired']?.userId).toBe(byId['jwt-bearer']?.userId)
    expect(byId['password-retired']?.instanceUrl).not.toBe(byId['jwt-bearer']?.instanceUrl)
    expect(byId['password-retired']?.detail).toBe(
      'password login refused (invalid_grant 400, the error names @sfauth/jwt), the same user served by JWT bearer',
    )
    expect(lines.some((line) => line.includes('password retired'))).toBe(true)
    expect(byId.renewal?.renewals).toBe(1)
    expect(byId.renewal?.detail).toContain('shared 1 renewal (1 token request)')
    expect(byId.renewal?.detail).toMatch(
      /refresh token rotated #[0-9a-f]{8} → #[0-9a-f]{8} and the new one kept/,
    )
    expect(byId.fleet?.detail).toBe(
      "4 processes × 10 requests on an expired token shared 1 renewal (1 token request for the fleet), every process heard 'refresh'",
    )
    expect(byId.logout?.detail).toContain('5 sessions ended (1 SOAP logout, 4 token revocations)')
    expect(lines.at(-1)).toMatch(/^11 passed, 0 failed, 0 skipped in \d+ ms$/)
  })

  it('never prints a whole token', async () => {
    const lines: string[] = []
    const { reports } = await runDemo({ env: {}, log: (line) => lines.push(line) })
    const tokens = reports.flatMap((r) => (r.token ? [r.token] : []))
    expect(tokens.length).toBeGreaterThan(0)
    for (const token of tokens) expect(lines.join('\n')).not.toContain(token)
  })

  it('runs only the asked steps and the steps they reuse sessions from', async () => {
    const { reports } = await runDemo({ env: { SF_ONLY: 'renewal' }, log: () => {} })
    expect(reports.map((r) => [r.id, r.status])).toEqual([
      ['web-server', 'passed'],
      ['renewal', 'passed'],
    ])
  })

  it('prints a failure line and reports failure when a step fails', async () => {
    // A real-org run pointed at a login URL where nothing answers: the step fails, the demo goes on.
    const lines: string[] = []
    const { ok, reports } = await runDemo({
      env: {
        SF_LOGIN_URL: 'http://127.0.0.1:9',
        SF_USERNAME: 'nobody@example.com',
        SF_PASSWORD: 'x',
      },
      log: (line) => lines.push(line),
    })
    expect(ok).toBe(false)
    expect(reports.find((r) => r.id === 'soap-login')?.status).toBe('failed')
    expect(lines.some((line) => /^✗ SOAP login: ERR_NETWORK/.test(line))).toBe(true)
    expect(reports.find((r) => r.id === 'jwt-bearer')?.status).toBe('skipped')
  })
})

/** A port nothing listens on right now, for the demo's browser callback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      )
    })
  })
}

describe('pnpm demo against a real org (the emulator standing in for one)', () => {
  it('runs the flows whose variables are set, with consent in a browser', async () => {
    const emu = createEmulator()
    const server = await emu.listen(0)
    const redirectUri = `http://127.0.0.1:${await freePort()}/oauth2/callback`
    emu.addApp({
      clientId: 'real-org-app',
      clientSecret: 'real-org-secret',
      redirectUris: [redirectUri],
    })
    try {
      const lines: string[] = []
      const { ok, reports } = await runDemo({
        env: {
          SF_LOGIN_URL: server.url,
          SF_USERNAME: DEFAULT_USER.username,
          SF_PASSWORD: DEFAULT_USER.password,
          SF_SECURITY_TOKEN: DEFAULT_USER.securityToken,
          SF_CLIENT_ID: 'real-org-app',
          SF_CLIENT_SECRET: 'real-org-secret',
          SF_REDIRECT_URI: redirectUri,
        },
        log: (line) => {
          lines.push(line)
          // The person at the browser: approve, and let the browser follow the redirect.
          const url = /open this URL in a browser and approve: (\S+)/.exec(line)?.[1]
          if (url) {
            void approveInEmulator(url, DEFAULT_USER.username, DEFAULT_USER.password).then(fetch)
          }
        },
      })
      expect(reports.map((r) => [r.id, r.status])).toEqual([
        ['soap-login', 'passed'],
        ['oauth2-password', 'passed'],
        ['web-server', 'passed'],
        ['jwt-bearer', 'skipped'],
        ['client-credentials', 'skipped'],
        ['password-retired', 'skipped'],
        ['session-id', 'passed'],
        ['access-token', 'passed'],
        ['renewal', 'passed'],
        ['fleet', 'passed'],
        ['logout', 'passed'],
      ])
      expect(ok).toBe(true)
      // Without the emulator's hooks, expiry is a revoked access token; renewal still happens
      // once in the renewal step and once for the whole fleet of processes.
      expect(emu.count('revoke')).toBeGreaterThan(0)
      expect(emu.count('token', 'refresh_token')).toBe(2)
      expect(lines[0]).toBe(`@sfauth demo against ${server.url} (user ${DEFAULT_USER.username})`)
    } finally {
      await server.close()
    }
  })
})
