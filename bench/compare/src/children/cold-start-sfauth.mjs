// Cold start: import @sfauth/core + @sfauth/oauth2, log in (password grant), one REST call.
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'

const { url, clientId, clientSecret, username, password } = JSON.parse(process.env.BENCH)
const conn = new Connection({ oauth2: new OAuth2({ loginUrl: url, clientId, clientSecret }) })
await conn.login(username, password)
if (!(await conn.request('/services/data/v62.0/')).query) throw new Error('REST call failed')
process.exit(0)
