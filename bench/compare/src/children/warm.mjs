// Warm requests: each client logged in once, then rounds of sequential GETs, interleaved
// (raw fetch, @sfauth, jsforce, raw fetch, ...). Prints µs per request for every round.
import { CLIENTS, PATH } from './clients.mjs'

const env = JSON.parse(process.env.BENCH)
const { rounds, batch } = env
const clients = {}
for (const [name, make] of Object.entries(CLIENTS)) clients[name] = await make(env)
const perRound = Object.fromEntries(Object.keys(clients).map((name) => [name, []]))
for (let round = -1; round < rounds; round++) {
  // Rotate the order each round so no client always runs first; round -1 is warm-up.
  const names = Object.keys(clients)
  const order = names.slice(round % names.length).concat(names.slice(0, round % names.length))
  for (const name of round < 0 ? names : order) {
    const client = clients[name]
    const started = performance.now()
    for (let i = 0; i < batch; i++) {
      const body = await client.request(PATH)
      if (!body.query) throw new Error(`${name}: unexpected body`)
    }
    if (round >= 0) perRound[name].push(((performance.now() - started) * 1000) / batch)
  }
}
console.log(JSON.stringify(perRound))
process.exit(0)
