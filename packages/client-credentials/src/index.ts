export { type ClientCredentialsOptions, clientCredentials } from './client-credentials.js'
