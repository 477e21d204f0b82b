export { DEFAULT_APP, DEFAULT_USER } from './defaults.js'
export { createEmulator } from './emulator.js'
export type {
  ApproveParams,
  ConnectedApp,
  Emulator,
  EmulatorCall,
  EmulatorEndpoint,
  EmulatorOptions,
  EmulatorOrganization,
  EmulatorServer,
  EmulatorUser,
  ListenOptions,
  TokenExchangeHandler,
} from './types.js'
