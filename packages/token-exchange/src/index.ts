export { MAX_SUBJECT_TOKEN_LENGTH } from './errors.js'
export {
  type SubjectTokenType,
  TOKEN_EXCHANGE_GRANT_TYPE,
  type TokenExchangeOptions,
  tokenExchange,
} from './token-exchange.js'
