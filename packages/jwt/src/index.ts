export { JWT_BEARER_GRANT_TYPE } from './grant-type.js'
export type { PrivateKeyInput } from './import-private-key.js'
export { jwtBearer } from './jwt-bearer.js'
export type { JwtBearerOptions } from './options.js'
