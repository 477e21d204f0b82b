import { readFileSync } from 'node:fs'
import { Connection } from '@sfauth/core'
import { DEFAULT_USER } from '@sfauth/emulator'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { expect, it, vi } from 'vitest'
import { soapLogin } from '../src/index.js'
import { flowContext, password, username } from './helpers.js'

const env = useMswEmulator()
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const snippets = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>

/** Runs a README snippet as written, its imports bound to this package, `console` captured. */
function run(code: string, values: Record<string, unknown>) {
  const logs: string[] = []
  const errors: unknown[] = []
  const console = {
    log: (line: string) => logs.push(line),
    error: (err: unknown) => errors.push(err),
  }
  const body = `${code.replace(/^import .*$/gm, '')}\nreturn conn`
  const names = ['Connection', 'soapLogin', 'console', ...Object.keys(values)]
  const conn = new AsyncFunction(...names, body)(
    Connection,
    soapLogin,
    console,
    ...Object.values(values),
  ) as Promise<Connection>
  return { conn, logs, errors }
}

it('has the login and the logout snippet', () => {
  expect(snippets).toHaveLength(2)
})

it('the login snippet works as written, callback form', async () => {
  const { conn, logs, errors } = run(snippets[0] ?? '', { username, password })
  const connection = await conn
  await vi.waitFor(() => expect(logs).toHaveLength(4))
  expect(errors).toEqual([])
  expect(logs).toEqual([
    connection.accessToken,
    'https://acme.my.salesforce.com',
    `User ID: ${DEFAULT_USER.userId}`,
    `Org ID: ${DEFAULT_USER.orgId}`,
  ])
  expect(env.emu.isValidAccessToken(connection.accessToken as string)).toBe(true)
})

it('the login snippet reports a failure through its callback', async () => {
  const { logs, errors } = run(snippets[0] ?? '', { username, password: 'wrong' })
  await vi.waitFor(() => expect(errors).toHaveLength(1))
  expect(errors[0]).toMatchObject({ errorCode: 'INVALID_LOGIN' })
  expect(logs).toEqual([])
})

it('the logout snippet works as written with a real session ID and server URL', async () => {
  const { response } = await soapLogin().login(flowContext(), username, password)
  const code = (snippets[1] ?? '')
    .replace(`'<session id to logout>'`, JSON.stringify(response.sessionId))
    .replace(`'<your Salesforce Server url to logout>'`, JSON.stringify(response.serverUrl))
  const { conn, errors } = run(code, {})
  const connection = await conn
  await vi.waitFor(() => expect(connection.sessionId).toBeUndefined())
  expect(errors).toEqual([])
  expect(env.emu.count('soap-logout')).toBe(1)
  expect(env.emu.isValidAccessToken(response.sessionId)).toBe(false)
})
