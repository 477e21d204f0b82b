// Cold start baseline: the same two calls as the libraries make, with the runtime's own fetch.
// Self-contained on purpose (clients.mjs has the same calls): importing it would load both libraries.
const { url, clientId, clientSecret, username, password } = JSON.parse(process.env.BENCH)
const res = await fetch(`${url}/services/oauth2/token`, {
  method: 'POST',
  body: new URLSearchParams({
    grant_type: 'password',
    client_id: clientId,
    client_secret: clientSecret,
    username,
    password,
  }),
})
const token = await res.json()
const data = await fetch(`${token.instance_url}/services/data/v62.0/`, {
  headers: { Authorization: `Bearer ${token.access_token}` },
})
if (!data.ok || !(await data.json()).query) throw new Error('REST call failed')
process.exit(0)
