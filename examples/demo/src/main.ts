import { existsSync } from 'node:fs'
import { envFromArgs, VARIABLES } from './config.js'
import { describeError } from './report.js'
import { runDemo } from './run-demo.js'

if (process.argv.includes('--help')) {
  console.log(
    'pnpm demo [--name=value ...]: every @sfauth flow against the local emulator, or a real org.',
  )
  console.log('Flags set the variables of the same name: --login-url=… sets SF_LOGIN_URL.\n')
  for (const [name, what] of Object.entries(VARIABLES)) console.log(`  ${name.padEnd(20)} ${what}`)
  process.exit(0)
}

try {
  // Variables in .env beside this package count as if set in the shell (the shell wins).
  if (existsSync('.env')) process.loadEnvFile('.env')
  const env = envFromArgs(process.argv.slice(2), process.env)
  const { ok } = await runDemo({ env })
  process.exitCode = ok ? 0 : 1
} catch (err) {
  console.error(`✗ demo: ${describeError(err)}`)
  process.exitCode = 1
}
