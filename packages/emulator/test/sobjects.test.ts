import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_USER } from '../src/index.js'
import { accessToken, MY_DOMAIN } from './helpers.js'

const get = (emu: ReturnType<typeof createEmulator>, path: string, token: string) =>
  emu.fetch(`${MY_DOMAIN}${path}`, { headers: { Authorization: `Bearer ${token}` } })

const query = (emu: ReturnType<typeof createEmulator>, soql: string, token: string) =>
  get(emu, `/services/data/v51.0/query?q=${encodeURIComponent(soql)}`, token)

describe('sobjects/User/{id}', () => {
  it("serves the session's own User record, as sfdx-core reads it for the username", async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const res = await get(emu, `/services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`, token)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      attributes: {
        type: 'User',
        url: `/services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`,
      },
      Id: DEFAULT_USER.userId,
      Username: DEFAULT_USER.username,
    })
    const short = await get(
      emu,
      `/services/data/v51.0/sobjects/User/${DEFAULT_USER.userId!.slice(0, 15)}`,
      token,
    )
    expect(short.status).toBe(200)
  })

  it("answers 404 NOT_FOUND for another user's record and for unknown ids", async () => {
    const emu = createEmulator()
    emu.addUser({ username: 'other@example.com', password: 'pw', userId: '005gK0000otHerUAAA' })
    const token = await accessToken(emu)
    for (const id of ['005gK0000otHerUAAA', '005000000000000AAA', DEFAULT_USER.orgId!]) {
      const res = await get(emu, `/services/data/v51.0/sobjects/User/${id}`, token)
      expect(res.status, id).toBe(404)
      expect(await res.json()).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ])
    }
  })

  it('refuses a dead session before looking anything up', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    emu.expireSessions()
    const res = await get(emu, `/services/data/v51.0/sobjects/User/${DEFAULT_USER.userId}`, token)
    expect(res.status).toBe(401)
  })
})

describe('query per object', () => {
  it("answers User with the session's user and Organization with the configured org", async () => {
    const emu = createEmulator({ organization: { name: 'Globex', sandbox: true } })
    const token = await accessToken(emu)
    const users = await (await query(emu, 'SELECT Id, Username FROM User', token)).json()
    expect(users).toMatchObject({
      totalSize: 1,
      done: true,
      records: [{ Username: DEFAULT_USER.username }],
    })
    const org = await query(
      emu,
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
      token,
    )
    expect(org.status).toBe(200)
    expect(await org.json()).toMatchObject({
      totalSize: 1,
      records: [
        {
          attributes: { type: 'Organization' },
          Id: DEFAULT_USER.orgId,
          Name: 'Globex',
          IsSandbox: true,
          TrialExpirationDate: null,
          OrganizationType: 'Developer Edition',
        },
      ],
    })
    const lower = await query(emu, 'select id from organization', token)
    expect(lower.status).toBe(200)
  })

  it('answers the standard objects every org has, with no records', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    for (const object of ['Account', 'contact', 'Opportunity']) {
      const res = await query(emu, `SELECT Id FROM ${object}`, token)
      expect(res.status, object).toBe(200)
      expect(await res.json()).toEqual({ totalSize: 0, done: true, records: [] })
    }
  })

  it('refuses ScratchOrgInfo with INVALID_TYPE on an org that is not a Dev Hub', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const soql = 'SELECT Id FROM ScratchOrgInfo limit 1'
    const res = await query(emu, soql, token)
    expect(res.status).toBe(400)
    const body = (await res.json()) as Array<{ errorCode: string; message: string }>
    expect(body).toHaveLength(1)
    expect(body[0]?.errorCode).toBe('INVALID_TYPE')
    expect(body[0]?.message).toBe(
      `\n${soql}\n               ^\nERROR at Row:1:Column:16\nsObject type 'ScratchOrgInfo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    )
  })

  it('answers ScratchOrgInfo, with no records, on an org configured as a Dev Hub', async () => {
    const emu = createEmulator({ organization: { devHub: true } })
    const token = await accessToken(emu)
    const res = await query(emu, 'SELECT Id FROM ScratchOrgInfo limit 1', token)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ totalSize: 0, done: true, records: [] })
  })

  it('answers INVALID_TYPE for any other object and MALFORMED_QUERY for what is not a query', async () => {
    const emu = createEmulator()
    const token = await accessToken(emu)
    const custom = await query(emu, 'SELECT Id FROM Invoice__c', token)
    expect(custom.status).toBe(400)
    expect(await custom.json()).toMatchObject([{ errorCode: 'INVALID_TYPE' }])
    const junk = await query(emu, 'x', token)
    expect(junk.status).toBe(400)
    expect(await junk.json()).toMatchObject([{ errorCode: 'MALFORMED_QUERY' }])
  })
})
