// Logged-in clients for the warm and storm children: one per library, same session shape.
import { Connection } from '@sfauth/core'
import { OAuth2 } from '@sfauth/oauth2'
import jsforce from 'jsforce'

export const PATH = '/services/data/v62.0/'

/** A `request(path)` for raw fetch: the token call by hand, then bearer + JSON like the libraries. */
export async function rawClient({ url, clientId, clientSecret, username, password }) {
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
  const headers = { Authorization: `Bearer ${token.access_token}` }
  return {
    async request(path) {
      const r = await fetch(`${token.instance_url}${path}`, { headers })
      if (!r.ok) throw new Error(`HTTP ${r.status}`)
      return r.json()
    },
  }
}

/** An @sfauth Connection: logged in by password, or from tokens (for renewal). */
export async function sfauthClient({ url, clientId, clientSecret, username, password }, tokens) {
  const oauth2 = new OAuth2({ loginUrl: tokens?.loginUrl ?? url, clientId, clientSecret })
  if (tokens) {
    return new Connection({
      oauth2,
      instanceUrl: url,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    })
  }
  const conn = new Connection({ oauth2 })
  await conn.login(username, password)
  return conn
}

/** A jsforce Connection: logged in by password, or from tokens (for renewal). */
export async function jsforceClient({ url, clientId, clientSecret, username, password }, tokens) {
  const loginUrl = tokens?.loginUrl ?? url
  const oauth2 = { loginUrl, clientId, clientSecret }
  if (tokens) {
    return new jsforce.Connection({
      loginUrl,
      oauth2,
      instanceUrl: url,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    })
  }
  const conn = new jsforce.Connection({ loginUrl, oauth2 })
  await conn.login(username, password)
  return conn
}

export const CLIENTS = { 'raw fetch': rawClient, '@sfauth': sfauthClient, jsforce: jsforceClient }
