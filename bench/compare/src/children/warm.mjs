// Warm requests: each client logged in once, then sequential GETs interleaved one request at a
// time (raw fetch, @sfauth, jsforce, then the order rotated), so a load spike on the machine lands
// on all three alike. Prints every request's latency in µs, per client.
import { CLIENTS, PATH } from './clients.mjs'

const env = JSON.parse(process.env.BENCH)
const { rounds, batch, warmup } = env
const clients = {}
for (const [name, make] of Object.entries(CLIENTS)) clients[name] = await make(env)
const names = Object.keys(clients)
const latencies = Object.fromEntries(names.map((name) => [name, []]))
for (let i = -warmup; i < rounds * batch; i++) {
  const shift = ((i % names.length) + names.length) % names.length
  for (const name of names.slice(shift).concat(names.slice(0, shift))) {
    const started = performance.now()
    const body = await clients[name].request(PATH)
    const took = (performance.now() - started) * 1000
    if (!body.query) throw new Error(`${name}: unexpected body`)
    if (i >= 0) latencies[name].push(took)
  }
}
console.log(JSON.stringify(latencies))
process.exit(0)
