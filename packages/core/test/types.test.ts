import { describe, expectTypeOf, it } from 'vitest'
import {
  Connection,
  type Flow,
  type SfAuthError,
  type SfAuthErrorCode,
  type SfAuthLibraryErrorCode,
  type TokenResponse,
} from '../src/index.js'

interface FakeOAuth2 extends Flow {
  clientId: string
  refreshToken(
    rt: string,
    cb?: (err: Error | null, res?: TokenResponse) => void,
  ): Promise<TokenResponse>
}

describe('Connection types', () => {
  it('types conn.oauth2 as what was passed, so the seed calls conn.oauth2.refreshToken(rt, cb)', () => {
    // Type-level only: the constructors are never called.
    const withFlow = (oauth2: FakeOAuth2) => new Connection({ oauth2 })
    expectTypeOf<ReturnType<typeof withFlow>['oauth2']>().toEqualTypeOf<FakeOAuth2>()
    const withInfo = () => new Connection({ oauth2: { clientId: 'x', clientSecret: 'y' } })
    expectTypeOf<ReturnType<typeof withInfo>['oauth2']['clientId']>().toEqualTypeOf<string>()
  })

  it("types the 'refresh' response as a token response", () => {
    new Connection().on('refresh', (accessToken, res) => {
      expectTypeOf(accessToken).toEqualTypeOf<string>()
      expectTypeOf(res.refresh_token).toEqualTypeOf<string | undefined>()
    })
  })
})

// What a flow package does to add its own code, without editing core.
declare module '../src/errors.js' {
  interface SfAuthErrorCodes {
    /** A code only this test file declares. */
    ERR_TEST_FLOW_CODE: true
  }
}

describe('error codes', () => {
  it("are a registry: core's codes, plus what a flow package adds by declaration merging", () => {
    expectTypeOf<'ERR_NETWORK'>().toExtend<SfAuthLibraryErrorCode>()
    expectTypeOf<'ERR_TEST_FLOW_CODE'>().toExtend<SfAuthLibraryErrorCode>()
    expectTypeOf<'ERR_NOT_DECLARED'>().not.toExtend<SfAuthLibraryErrorCode>()
    // Flow codes live in their packages now, not in core.
    expectTypeOf<'ERR_INVALID_KEY'>().not.toExtend<SfAuthLibraryErrorCode>()
  })

  it("still take Salesforce's own codes, and a switch narrows on the library's", () => {
    expectTypeOf<'invalid_grant'>().toExtend<SfAuthErrorCode>()
    const label = (err: SfAuthError): string => {
      switch (err.errorCode) {
        case 'ERR_TIMEOUT':
          return 'timeout'
        default:
          return err.errorCode
      }
    }
    expectTypeOf(label).returns.toEqualTypeOf<string>()
  })
})
