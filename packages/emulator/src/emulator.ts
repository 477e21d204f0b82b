import { approve } from './authorize-endpoint.js'
import { isPreflight, preflight, withCors } from './cors.js'
import { DEFAULT_APP, DEFAULT_USER } from './defaults.js'
import { createContext } from './request-context.js'
import { route } from './router.js'
import { EmulatorState } from './state.js'
import type {
  Emulator,
  EmulatorCall,
  EmulatorOptions,
  EmulatorServer,
  ListenOptions,
} from './types.js'

/**
 * The loopback server's module. A specifier in a variable is one bundlers cannot follow, so
 * `node:http` never enters a Worker or browser bundle that includes the emulator.
 */
const SERVER_MODULE = './server.js'

/** What the loopback server needs: a handler that knows the server is the instance. */
export type InstanceHandler = (request: Request, instanceUrl: string) => Promise<Response>

/**
 * Creates a local Salesforce login emulator: OAuth 2.0 token, authorize, revoke, userinfo and
 * identity endpoints, SOAP login()/logout(), and a sliver of the REST API that answers 401 for dead
 * sessions. Use it through `handle`, `fetch`, msw (`@sfauth/emulator/msw`) or `listen()`.
 *
 * @param options users, connected apps, the instance URL, CORS, a response delay, a clock; without
 *   them the emulator knows {@link DEFAULT_USER} and {@link DEFAULT_APP}.
 * @returns the emulator: its handler, `fetch`, `listen()`, and controls to add users and apps,
 *   expire sessions and count calls.
 * @throws {TypeError} for a user without a username or password, or an app without a client id.
 *
 * @example
 * const emu = createEmulator()
 * const res = await emu.fetch('https://login.salesforce.com/services/oauth2/token', {
 *   method: 'POST',
 *   body: new URLSearchParams({ grant_type: 'password', client_id: DEFAULT_APP.clientId,
 *     client_secret: DEFAULT_APP.clientSecret!, username: DEFAULT_USER.username,
 *     password: DEFAULT_USER.password + DEFAULT_USER.securityToken }),
 * })
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.remoteaccess_authenticate.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const state = new EmulatorState(options, {
    users: [{ ...DEFAULT_USER }],
    apps: [{ ...DEFAULT_APP, redirectUris: [...(DEFAULT_APP.redirectUris ?? [])] }],
  })
  const calls: EmulatorCall[] = []

  const dispatch: InstanceHandler = async (request, instanceUrl) => {
    // Preflights are browser plumbing, not calls a test wants to count.
    if (state.cors && isPreflight(request)) return preflight(request)
    const ctx = createContext(request, instanceUrl)
    const { endpoint, grantType, respond } = await route(ctx, state)
    calls.push({
      endpoint,
      ...(grantType ? { grantType } : {}),
      method: request.method,
      url: request.url,
      time: state.now(),
    })
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs))
    const response = await respond()
    return state.cors ? withCors(request, response) : response
  }

  const handle = (request: Request) => dispatch(request, state.instanceUrl)

  return {
    instanceUrl: state.instanceUrl,
    handle,
    fetch: (input, init) => handle(new Request(input, init)),
    async listen(port = 0, options?: ListenOptions): Promise<EmulatorServer> {
      const { startServer }: typeof import('./server.js') = await import(
        /* @vite-ignore */ /* webpackIgnore: true */ SERVER_MODULE
      )
      return startServer(dispatch, port, options)
    },
    addUser: (user) => state.addUser(user),
    addApp: (app) => state.addApp(app),
    expireSessions() {
      for (const token of [...state.sessions.keys()]) state.endSession(token)
    },
    expireSession(accessToken) {
      state.endSession(accessToken)
    },
    count: (endpoint, grantType) =>
      calls.filter(
        (call) =>
          call.endpoint === endpoint && (grantType === undefined || call.grantType === grantType),
      ).length,
    calls,
    resetCalls() {
      calls.length = 0
    },
    setDelay(ms) {
      state.delayMs = ms
    },
    approve: (params) => approve(state, params),
    addTokenExchangeHandler(handler) {
      if (!handler.name || typeof handler.resolve !== 'function') {
        throw new TypeError('A token exchange handler needs a name and a resolve function')
      }
      state.tokenHandlers.set(handler.name, { ...handler })
    },
    isValidAccessToken: (token) => {
      const session = state.peekSession(token)
      return session !== undefined && !session.restricted
    },
  }
}
