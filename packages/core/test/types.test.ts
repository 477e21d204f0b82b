import { describe, expectTypeOf, it } from 'vitest'
import { Connection, type Flow, type TokenResponse } from '../src/index.js'

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
