export { JWT_BEARER_GRANT_TYPE } from './grant-type.js'
export type { PrivateKeyInput } from './import-private-key.js'
export { type JwtBearerOptions, jwtBearer } from './jwt-bearer.js'
export { INVALID_KEY } from './key-error.js'
