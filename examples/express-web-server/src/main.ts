import { DEFAULT_USER } from '@sfauth/emulator'
import { start } from './server.js'

const running = await start()
console.log(`Open ${running.url}/oauth2/auth`)
if (!process.env.SF_CLIENT_ID) {
  console.log(
    `Emulator at ${running.loginUrl}: log in as ${DEFAULT_USER.username} / ${DEFAULT_USER.password}`,
  )
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0))
  })
}
