import { createEmulator, type Emulator } from '@sfauth/emulator'

/** The org's My Domain: the emulator's instance, where client credentials are accepted. */
export const MY_DOMAIN = 'https://acme.my.salesforce.com'

/** A run-as user and an app of our own, with values distinctive enough to scan messages for. */
export const USER = {
  username: 'integration@acme.example',
  password: 'RunAsPassword-NotUsedHere-1',
  userId: '005gK0000ccRunAsQA',
  orgId: '00DgK0000ccAcmeOrA',
}
export const APP = {
  clientId: '3MVG9clientCredentialsTestApp0000000000000000000000000000000000000',
  clientSecret: 'CCSECRETNEVERINMESSAGES6d1f0000000000000000000000000000000000000',
  clientCredentialsUser: USER.username,
}
/** An app with no run-as user: Salesforce refuses the grant with invalid_grant. */
export const APP_WITHOUT_USER = {
  clientId: '3MVG9clientCredentialsNoRunAsUser000000000000000000000000000000000',
  clientSecret: 'NORUNASSECRET0000000000000000000000000000000000000000000000000',
}
export const CLIENT = { clientId: APP.clientId, clientSecret: APP.clientSecret }

export function newEmulator(): Emulator {
  return createEmulator({ users: [USER], apps: [APP, APP_WITHOUT_USER] })
}
