// Renewal storm: one connection from a refresh token; for each expiry, ask the parent (which holds
// the emulator) to expire every session, then fire N concurrent requests and record each one's
// latency and outcome. Token calls and replays are counted by the parent, on the server side.
import { CLIENTS, PATH } from './clients.mjs'

const env = JSON.parse(process.env.BENCH)
const { lib, n, expiries } = env
const conn = await CLIENTS[lib](env, env.tokens)
let refreshEvents = 0
conn.on('refresh', () => {
  refreshEvents += 1
})

const ask = (type) =>
  new Promise((resolve) => {
    process.once('message', resolve)
    process.send({ type })
  })

const phases = []
for (let e = 0; e < expiries; e++) {
  await ask('expire')
  const latencies = []
  let failures = 0
  // A failure is "network" when a socket error (a system error code) is under it: a reset
  // keep-alive socket, a refused connection. Anything else is the library's own (renewal) failure.
  let networkFailures = 0
  const errors = {}
  await Promise.all(
    Array.from({ length: n }, async () => {
      const started = performance.now()
      try {
        const body = await conn.request(PATH)
        if (!body.query) throw new Error('unexpected body')
      } catch (error) {
        failures += 1
        let code = error?.code
        for (let e = error?.cause; e && !code; e = e.cause) code = e.code
        if (code) networkFailures += 1
        // A code or the library's message (no secret in either), and the socket error under it.
        const label = [error?.errorCode ?? String(error?.message ?? error).slice(0, 70), code]
          .filter(Boolean)
          .join(': ')
        errors[label] = (errors[label] ?? 0) + 1
      }
      latencies.push(performance.now() - started)
    }),
  )
  const server = await ask('phase-done')
  phases.push({ ...server, failures, networkFailures, errors, latencies, refreshEvents })
}
process.send({ type: 'result', value: phases }, () => process.exit(0))
