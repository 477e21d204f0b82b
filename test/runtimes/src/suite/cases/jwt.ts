import { Connection } from '@sfauth/core'
import { JWT_BEARER_GRANT_TYPE, jwtBearer } from '@sfauth/jwt'
import { type CaseContext, lifecycle } from '../lifecycle.js'

/** JWT bearer flow signing its own assertions (Web Crypto in every runtime), renewed by a new one. */
export async function jwtCase(ctx: CaseContext): Promise<void> {
  const { loginUrl, jwt } = ctx.config
  await lifecycle(
    ctx,
    async () => {
      const flow = jwtBearer({
        clientId: jwt.clientId,
        username: jwt.username,
        privateKey: jwt.privateKeyPem,
      })
      const conn = new Connection({ loginUrl, flows: [flow] })
      await conn.authorize({ grant_type: JWT_BEARER_GRANT_TYPE })
      return conn
    },
    { renewal: ['token', JWT_BEARER_GRANT_TYPE], logout: ['revoke'] },
  )
}
