import { Connection } from '@sfauth/core'
import { soapLogin } from '@sfauth/soap-login'
import { type CaseContext, lifecycle } from '../lifecycle.js'

/** SOAP username/password login, renewed by logging in again, ended by SOAP logout(). */
export async function soapLoginCase(ctx: CaseContext): Promise<void> {
  const { loginUrl, user } = ctx.config
  await lifecycle(
    ctx,
    async () => {
      const conn = new Connection({ loginUrl, flows: [soapLogin()] })
      await conn.login(user.username, user.password + user.securityToken)
      return conn
    },
    { renewal: ['soap-login'], logout: ['soap-logout'] },
  )
}
