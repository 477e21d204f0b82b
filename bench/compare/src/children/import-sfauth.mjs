// Cold import: @sfauth/core and one flow (what an app that logs in with OAuth2 loads).
export { Connection } from '@sfauth/core'
export { OAuth2 } from '@sfauth/oauth2'
