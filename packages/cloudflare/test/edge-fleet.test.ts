import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bundleFleetWorker, EdgeFleet } from './fleet/edge-fleet.js'

let script: string
let fleets: EdgeFleet[] = []

beforeAll(async () => {
  script = await bundleFleetWorker()
})

afterEach(async () => {
  await Promise.all(fleets.map((f) => f.dispose()))
  fleets = []
})

async function start(options: Omit<Parameters<typeof EdgeFleet.start>[0], 'script'>) {
  const fleet = await EdgeFleet.start({ ...options, script })
  fleets.push(fleet)
  return fleet
}

describe('an edge fleet in workerd: 4 isolates, one Durable Object, rotation on', () => {
  it('4 isolates × 50 concurrent requests, two expiries: one token call per expiry, no replay, no failure', async () => {
    const fleet = await start({ isolates: 4, store: 'durable' })
    await fleet.seed()
    // Every isolate restores the seeded session and uses it: no renewal yet.
    const warm = await fleet.storm(5)
    expect(warm.failures).toBe(0)
    expect(fleet.tokenCalls()).toBe(0)

    for (let expiry = 1; expiry <= 2; expiry++) {
      const since = fleet.calls.length
      fleet.emu.expireSessions()
      const round = await fleet.storm(50)
      expect(round.codes).toEqual({})
      expect(round.ok).toBe(200)
      expect(fleet.tokenCalls(since)).toBe(1)
      expect(fleet.replays(since)).toBe(0)
      // Every isolate ends on the one renewed session, which the object holds.
      expect(new Set(round.tokens).size).toBe(1)
      const saved = await fleet.saved()
      expect(fleet.emu.isValidAccessToken(saved!.accessToken)).toBe(true)
    }
  })

  it('the "before": a KV store and no lock renews once per isolate and replays', async () => {
    const fleet = await start({ isolates: 4, store: 'kv' })
    await fleet.seed()
    await fleet.storm(5)
    fleet.emu.expireSessions()
    const round = await fleet.storm(50)
    console.info(
      `KV, no lock: ${fleet.tokenCalls()} token calls, ${fleet.replays()} replays, ${round.failures}/200 failed`,
      round.codes,
    )
    expect(fleet.tokenCalls()).toBeGreaterThan(1)
    expect(fleet.replays()).toBeGreaterThan(0)
  })

  it('a Worker that dies holding the lock mid-renewal: the next holder waits out the lease, then one token call, no replay', async () => {
    const lockTtlMs = 3_000
    const fleet = await start({ isolates: 4, store: 'durable', lockTtlMs })
    await fleet.seed()
    await fleet.storm(2)
    fleet.emu.expireSessions()

    // Isolate 1 takes the lock and sends its token call, which never reaches Salesforce; then
    // the Worker dies: its client goes away and the runtime stops under it (every isolate with
    // it; the object's storage, lease included, stays).
    fleet.stall.add(1)
    const dying = new AbortController()
    const stalled = fleet.stalled()
    const request = fleet.fetch(1, '/request', { signal: dying.signal }).catch((err) => err)
    await stalled
    dying.abort()
    await request
    await fleet.restart()
    const diedAt = Date.now()

    const round = await fleet.storm(50, [0, 2, 3])
    const waited = Date.now() - diedAt
    expect(round.codes).toEqual({})
    expect(round.ok).toBe(150)
    expect(fleet.tokenCalls()).toBe(1)
    expect(fleet.replays()).toBe(0)
    // The lease was extended every third of it while the holder lived: the others waited for
    // it to run out, not for the holder to be noticed gone.
    expect(waited).toBeGreaterThanOrEqual(lockTtlMs / 2)
    const saved = await fleet.saved()
    expect(fleet.emu.isValidAccessToken(saved!.accessToken)).toBe(true)
  })

  it('the object reset mid-renewal: the holder still saves, nobody replays, the rotated refresh token is kept', async () => {
    const fleet = await start({ isolates: 4, store: 'durable' })
    await fleet.seed()
    await fleet.storm(2)
    fleet.emu.expireSessions()

    // One isolate holds the lock with its token call in flight, the others wait inside the
    // object; then the object is reset (memory and waiters gone, storage kept).
    const held = fleet.holdTokenCalls()
    const storm = fleet.storm(50)
    await held.arrived
    await fleet.crash()
    held.resume()
    const round = await storm
    expect(round.codes).toEqual({})
    expect(round.ok).toBe(200)
    expect(fleet.tokenCalls()).toBe(1)
    expect(fleet.replays()).toBe(0)
    expect(new Set(round.tokens).size).toBe(1)

    // The object kept the rotated refresh token: the next expiry renews with it, once.
    const since = fleet.calls.length
    fleet.emu.expireSessions()
    const next = await fleet.storm(50)
    expect(next.codes).toEqual({})
    expect(fleet.tokenCalls(since)).toBe(1)
    expect(fleet.calls.at(-1)?.status).toBe(200)
    expect(fleet.replays()).toBe(0)
  })

  it('a renewal whose save fails after rotation keeps the lock until the save lands: nobody renews with the rotated-out token', async () => {
    const fleet = await start({ isolates: 4, store: 'durable' })
    const { refreshToken: first } = await fleet.seed()
    await fleet.storm(2)
    // The holder's four tries under the lock fail, then two of its background tries: the
    // object holds the refresh token the renewal rotated out for about a second.
    await fleet.fetch(0, '/fail-saves?n=6')
    fleet.emu.expireSessions()
    const round = await fleet.storm(50)
    expect(round.codes).toEqual({})
    expect(fleet.tokenCalls()).toBe(1)
    expect(fleet.replays()).toBe(0)
    const saved = await fleet.saved()
    expect(saved?.refreshToken).toBeDefined()
    expect(saved?.refreshToken).not.toBe(first)

    const since = fleet.calls.length
    fleet.emu.expireSessions()
    expect((await fleet.storm(50)).codes).toEqual({})
    expect(fleet.tokenCalls(since)).toBe(1)
    expect(fleet.calls.at(-1)?.status).toBe(200)
  })
})
