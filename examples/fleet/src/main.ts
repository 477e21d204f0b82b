// Many processes, one session, measured: the same fleet without and with the lock.

import { hasRedisServer, type RedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { runFleet } from './fleet.js'

const processes = Number(process.env.FLEET_PROCESSES ?? 8)
const requests = Number(process.env.FLEET_REQUESTS ?? 50)

let local: RedisServer | undefined
let redisUrl = process.env.REDIS_URL
if (!redisUrl) {
  if (!hasRedisServer) {
    console.log(
      'redis-server is not installed (apt-get install redis-server), and REDIS_URL is not set',
    )
    process.exit(1)
  }
  local = await startRedis()
  redisUrl = local.url
}
try {
  console.log(
    `${processes} processes × ${requests} requests across one expiry, refresh-token rotation on\n`,
  )
  console.log('                            token calls  replays  failures    p50 ms   p99 ms')
  for (const useLock of [false, true]) {
    const f = await runFleet({ redisUrl, processes, requests, useLock })
    const label = useLock ? 'session({ store, lock })' : 'session({ store })'
    console.log(
      `${label.padEnd(28)}${String(f.tokenCalls).padStart(11)}${String(f.replays).padStart(9)}${`${f.failures}/${f.requests}`.padStart(10)}${f.p50.toFixed(0).padStart(10)}${f.p99.toFixed(0).padStart(9)}`,
    )
  }
} finally {
  await local?.stop()
}
