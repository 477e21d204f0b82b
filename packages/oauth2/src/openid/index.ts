export {
  type IdTokenClaims,
  type VerifyIdTokenOptions,
  verifyIdToken,
} from './verify-id-token.js'
