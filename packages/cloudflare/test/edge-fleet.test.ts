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
})
