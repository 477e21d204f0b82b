import { readFile } from 'node:fs/promises'
import { Connection } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { expect, it } from 'vitest'
import { clientCredentials } from '../src/index.js'
import { APP, newEmulator, USER } from './helpers.js'

const emulator = useMswEmulator(newEmulator)

/** The README's code blocks, in order. */
async function readmeBlocks(): Promise<string[]> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)
}

/** Runs a README block as written, with the app's real credentials in place of the placeholders. */
async function run(code: string, scope: Record<string, unknown>): Promise<Record<string, unknown>> {
  const body = code
    .replace(/^import .*$/gm, '')
    .replace('<your Salesforce OAuth2 client ID is here>', APP.clientId)
    .replace('<your Salesforce OAuth2 client secret is here>', APP.clientSecret)
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor
  const names = Object.keys(scope)
  const fn = new AsyncFunction(
    ...names,
    `${body}\nreturn { conn, userInfo: typeof userInfo === 'undefined' ? undefined : userInfo, accounts: typeof accounts === 'undefined' ? undefined : accounts }`,
  )
  return fn(...names.map((name) => scope[name]))
}

it('runs the usage snippet as written in the README', async () => {
  const [usage] = await readmeBlocks()
  const logs: unknown[][] = []
  const out = await run(usage as string, {
    Connection,
    clientCredentials,
    console: { log: (...args: unknown[]) => logs.push(args) },
  })
  expect(out.userInfo).toMatchObject({ id: USER.userId, organizationId: USER.orgId })
  expect(out.accounts).toMatchObject({ done: true })
  expect((out.conn as Connection).accessToken).toBeUndefined()
  expect(emulator.emu.count('token', 'client_credentials')).toBe(1)
  expect(emulator.emu.count('revoke')).toBe(1)
  expect(logs[0]?.[1]).toBe('https://acme.my.salesforce.com')
})

it('runs the options snippet as written in the README', async () => {
  const [, options] = await readmeBlocks()
  const out = await run(options as string, {
    Connection,
    clientCredentials,
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
  })
  expect((out.conn as Connection).userInfo?.id).toBe(USER.userId)
})
