// Memory per connection: N connections holding an instance URL, an access token, a refresh token
// and their own OAuth2 client information; heap after minus heap before, with gc() around both.
// Run with --expose-gc.
import { CLIENTS } from './clients.mjs'

const [lib, countArg] = process.argv.slice(2)
const count = Number(countArg)
const env = JSON.parse(process.env.BENCH)
const make = CLIENTS[lib]
const tokens = (i) => ({
  // Same shapes and lengths as Salesforce's (and the emulator's) tokens, unique per connection.
  accessToken: `00DgK0000sfAuTHUA0!AQ${String(i).padStart(8, '0')}${'x'.repeat(82)}`,
  refreshToken: `5Aep861${String(i).padStart(8, '0')}${'y'.repeat(72)}`,
})
await make(env, tokens(-1)) // load and warm the code paths before the first measurement
const settle = () => {
  for (let i = 0; i < 4; i++) globalThis.gc()
}
settle()
const before = process.memoryUsage().heapUsed
const keep = []
for (let i = 0; i < count; i++) keep.push(await make(env, tokens(i)))
settle()
const after = process.memoryUsage().heapUsed
console.log(
  JSON.stringify({ lib, count: keep.length, bytesPerConnection: (after - before) / count }),
)
process.exit(0)
