import { Connection } from '@sfauth/core'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '@sfauth/jwt'
import { outcomeOf, queryOwnUser, type Step } from '../step.js'

/** Seed “JWT Bearer Flow”: the flow signs the assertion with the private key it is given. */
export const jwtBearerStep: Step = {
  id: 'jwt-bearer',
  title: 'JWT bearer',
  unavailable: (target) =>
    target.jwt ? undefined : 'set SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY_FILE',
  async run(target, state) {
    const conn = new Connection({ loginUrl: target.loginUrl, flows: [jwtBearer(target.jwt)] })
    const userInfo = await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
    await queryOwnUser(conn, userInfo.id)
    state.jwt = conn
    return outcomeOf(
      '@sfauth/jwt',
      conn,
      target.emulated
        ? 'signed with an RS256 key made by the demo and registered in the emulator'
        : undefined,
    )
  },
}
