import { createEmulator, type Emulator } from '@sfauth/emulator'

/** The org's My Domain, where the emulator answers. */
export const MY_DOMAIN = 'https://acme.my.salesforce.com'

export const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token'
export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token'

/** The user the other identity provider's tokens map to, with values distinctive enough to scan for. */
export const USER = {
  username: 'exchanged@acme.example',
  password: 'ExchangedUserPassword-NotUsedHere-1',
  userId: '005gK0000ccExchgQA',
  orgId: '00DgK0000ccAcmeOrA',
}

/** A connected app that requires its secret. */
export const APP = {
  clientId: '3MVG9tokenExchangeTestApp000000000000000000000000000000000000000000',
  clientSecret: 'TXSECRETNEVERINMESSAGES7a2e00000000000000000000000000000000000000',
  scopes: ['api', 'web', 'openid', 'refresh_token'],
}
/** A connected app whose "Require Secret" is off: the exchange works with the client ID alone. */
export const PUBLIC_APP = {
  clientId: '3MVG9tokenExchangePublicApp0000000000000000000000000000000000000000',
  clientSecret: 'PUBLICAPPSECRETNOTSENT0000000000000000000000000000000000000000',
  requireSecret: false,
}
export const CLIENT = { clientId: APP.clientId, clientSecret: APP.clientSecret }

/** The handler the org uses by default; and one that takes access tokens only. */
export const HANDLER = 'IdpIdTokenHandler'
export const ACCESS_TOKEN_HANDLER = 'IdpAccessTokenHandler'

/** The other identity provider: which of its tokens are live, and whose they are. */
export interface Idp {
  /** A new live subject token for USER (each one distinctive, never to be shown). */
  issue(): string
  /** Makes a token invalid, as its expiry does. */
  expire(token: string): void
  /** Every token issued so far. */
  readonly issued: string[]
}

let serial = 0

/** An emulator with USER, the two apps and two handlers backed by a fresh {@link Idp}. */
export function newSetup(): { emu: Emulator; idp: Idp } {
  const live = new Set<string>()
  const issued: string[] = []
  const idp: Idp = {
    issue() {
      serial += 1
      const token = `IDP-SUBJECT-TOKEN-NEVER-SHOWN-${serial}-${'x'.repeat(40)}`
      live.add(token)
      issued.push(token)
      return token
    },
    expire: (token) => void live.delete(token),
    issued,
  }
  const emu = createEmulator({ users: [USER], apps: [APP, PUBLIC_APP] })
  const resolve = (token: string) => (live.has(token) ? USER.username : undefined)
  emu.addTokenExchangeHandler({ name: HANDLER, isDefault: true, resolve })
  emu.addTokenExchangeHandler({
    name: ACCESS_TOKEN_HANDLER,
    subjectTokenTypes: [ACCESS_TOKEN],
    resolve,
  })
  return { emu, idp }
}

/** The live subject token every {@link newEmulator} accepts. */
export const SUBJECT_TOKEN = 'IDP-FIXED-SUBJECT-TOKEN-NEVER-SHOWN-0000000000000000000000000000'

/** An emulator whose default handler accepts {@link SUBJECT_TOKEN} (and nothing else) as USER. */
export function newEmulator(): Emulator {
  const emu = createEmulator({ users: [USER], apps: [APP, PUBLIC_APP] })
  emu.addTokenExchangeHandler({
    name: HANDLER,
    isDefault: true,
    resolve: (token) => (token === SUBJECT_TOKEN ? USER.username : undefined),
  })
  return emu
}
