import { readFile } from 'node:fs/promises'
import { Connection } from '@sfauth/core'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { expect, it } from 'vitest'
import { TOKEN_EXCHANGE_GRANT_TYPE, tokenExchange } from '../src/index.js'
import { type Idp, newSetup, PUBLIC_APP, USER } from './helpers.js'

let idp: Idp
const emulator = useMswEmulator(() => {
  const setup = newSetup()
  idp = setup.idp
  return setup.emu
})

/** The README's code blocks, in order. */
async function readmeBlocks(): Promise<string[]> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)
}

it('runs the usage snippet as written in the README, renewing with a fresh subject token', async () => {
  const [usage] = await readmeBlocks()
  // The app does not require its secret, as the snippet's comment allows.
  const body = (usage as string)
    .replace(/^import .*$/gm, '')
    .replace('<your Salesforce OAuth2 client ID is here>', PUBLIC_APP.clientId)
    // Expire the session before the query, so that the query renews by exchanging again.
    .replace('const accounts =', 'expireSessions()\nconst accounts =')
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor
  const fn = new AsyncFunction(
    'Connection',
    'TOKEN_EXCHANGE_GRANT_TYPE',
    'tokenExchange',
    'getIdTokenFromMyIdp',
    'expireSessions',
    `${body}\nreturn { conn, userInfo, accounts }`,
  )
  const out = await fn(
    Connection,
    TOKEN_EXCHANGE_GRANT_TYPE,
    tokenExchange,
    async () => idp.issue(),
    () => emulator.emu.expireSessions(),
  )
  expect(out.userInfo).toMatchObject({ id: USER.userId, organizationId: USER.orgId })
  expect(out.accounts).toMatchObject({ done: true })
  expect((out.conn as Connection).accessToken).toBeUndefined()
  expect(idp.issued).toHaveLength(2)
  expect(emulator.emu.count('token', TOKEN_EXCHANGE_GRANT_TYPE)).toBe(2)
  expect(emulator.emu.count('revoke')).toBe(1)
})
