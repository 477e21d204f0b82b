// Cold import: @sfauth/core and the client credentials flow.

export { clientCredentials } from '@sfauth/client-credentials'
export { Connection } from '@sfauth/core'
