// Cold start: import jsforce, log in (its OAuth2 password flow), one REST call.
import jsforce from 'jsforce'

const { url, clientId, clientSecret, username, password } = JSON.parse(process.env.BENCH)
const conn = new jsforce.Connection({
  loginUrl: url,
  oauth2: { loginUrl: url, clientId, clientSecret },
})
await conn.login(username, password)
if (!(await conn.request('/services/data/v62.0/')).query) throw new Error('REST call failed')
process.exit(0)
