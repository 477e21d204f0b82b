#!/usr/bin/env node
import * as nodeModule from 'node:module'
import { createIo, EXIT, reportError, UsageError } from './io.js'

// Node 22.1+ keeps compiled code of the modules loaded from here on (the command chunks, the
// @sfauth packages) on disk, so later runs skip compiling them; Node 20 has no such cache.
;(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.()

export const USAGE = `Usage: sfauth <command> [flags]

Log in to a Salesforce org once, then get a live access token in one command.

Commands:
  login web --client-id ID [--login-url URL] [--port 1717] [--scope S] [--no-browser] [--alias NAME]
  login jwt --client-id ID --username U --key-file F [--login-url URL] [--alias NAME]
  login client-credentials --client-id ID --instance-url URL [--alias NAME]
        (the secret comes from SFAUTH_CLIENT_SECRET or stdin, never from a flag)
  login sfdx-url (--file F | -) [--alias NAME]
  token [--alias NAME]             print a live access token, renewed when it has expired
  request PATH [--method M] [--data JSON] [--alias NAME]
  open [--path /lightning/...] [--alias NAME] [--url-only] [--no-browser]
                                   open the org in the browser, logged in (single-use URL)
  auth-url [--alias NAME]          print the SFDX auth URL (it holds the refresh token)
  list                             stored sessions, tokens masked
  logout [--alias NAME]            revoke the session, then delete it here
  emulator [--port P] [--host 127.0.0.1] [--https] [--config FILE]
                                   run the local Salesforce emulator

Every command takes --json (one JSON document on stdout) and --help.

Examples:
  sfauth login web --client-id 3MVG9... --alias dev
  curl -H "Authorization: Bearer $(sfauth token --alias dev)" ...
  sfauth request query?q=SELECT+Id+FROM+Account --alias dev

Exit codes: 0 done, 1 Salesforce or the network failed, 2 usage mistake,
3 no stored session (log in first), 4 browser login not finished (timeout, port taken).
`

type Command = (argv: string[], json: boolean) => Promise<number>

const COMMANDS: Record<string, () => Promise<Command>> = {
  'login web': () => import('./commands/login-web.js').then((m) => m.loginWeb),
  'login jwt': () => import('./commands/login-jwt.js').then((m) => m.loginJwt),
  'login client-credentials': () =>
    import('./commands/login-client-credentials.js').then((m) => m.loginClientCredentials),
  'login sfdx-url': () => import('./commands/login-sfdx-url.js').then((m) => m.loginSfdxUrl),
  token: () => import('./commands/token.js').then((m) => m.token),
  request: () => import('./commands/request.js').then((m) => m.request),
  open: () => import('./commands/open.js').then((m) => m.open),
  'auth-url': () => import('./commands/auth-url.js').then((m) => m.authUrl),
  list: () => import('./commands/list.js').then((m) => m.list),
  logout: () => import('./commands/logout.js').then((m) => m.logout),
  emulator: () => import('./commands/emulator.js').then((m) => m.emulator),
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const io = createIo(json)
  const [first, second] = argv
  const name = first === 'login' && second && !second.startsWith('-') ? `login ${second}` : first
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE)
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === '--version') {
    io.out('0.0.0\n')
    return EXIT.ok
  }
  const load = COMMANDS[name]
  if (!load) {
    return reportError(io, new UsageError(`Unknown command: ${name}`), USAGE)
  }
  const rest = argv.slice(name.split(' ').length)
  try {
    return await (await load())(rest, json)
  } catch (error) {
    return reportError(io, error, USAGE)
  }
}

const code = await main(process.argv.slice(2))
// Exit as soon as the output is out: an idle keep-alive connection of fetch would otherwise hold
// the process open a few hundred milliseconds more, which a script running \`sfauth token\` pays.
process.stdout.write('', () => process.exit(code))
