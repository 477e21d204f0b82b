import { readFile } from 'node:fs/promises'
import { Connection } from '@sfauth/core'
import { OAuth2, parseSfdxAuthUrl } from '@sfauth/oauth2'
import { flags, optional } from '../args.js'
import { CliError, createIo, EXIT, showHelp, UsageError } from '../io.js'
import { nodeFetch } from '../node-fetch.js'
import { openStore } from '../store.js'
import { finishLogin, pendingId, savedSession } from './login-common.js'

const HELP = `Usage: sfauth login sfdx-url (--file F | -) [--alias NAME] [--json]

Logs in with an SFDX auth URL (force://<clientId>:<clientSecret>:<refreshToken>@<host>), read
from a file or from stdin (-), never from a flag. The file may also be the JSON of
\`sf org display --verbose --json\`. The host is reached over https, as the Salesforce CLI does.

Example:
  sf org display --verbose --json > org.json && sfauth login sfdx-url --file org.json --alias dev
  echo "$SFDX_AUTH_URL" | sfauth login sfdx-url -
`

export async function loginSfdxUrl(argv: string[], json: boolean): Promise<number> {
  const { values, positionals } = flags(
    argv,
    { file: { type: 'string', short: 'f' }, alias: { type: 'string', short: 'a' } },
    1,
  )
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const file = optional(values, 'file')
  const fromStdin = positionals[0] === '-'
  if (!file === !fromStdin) throw new UsageError('Give the auth URL with --file F or - (stdin)')
  const text = fromStdin ? await readStdin() : await readText(file as string)
  const fields = parseSfdxAuthUrl(extractUrl(text))
  const alias = optional(values, 'alias')
  const store = await openStore()
  const id = pendingId()
  const oauth2 = new OAuth2({
    clientId: fields.clientId,
    loginUrl: fields.loginUrl,
    ...(fields.clientSecret ? { clientSecret: fields.clientSecret } : {}),
  })
  const conn = new Connection({
    fetch: nodeFetch,
    loginUrl: fields.loginUrl,
    oauth2,
    flows: [savedSession(store, alias, id)],
  })
  await conn.authorize({ grant_type: 'refresh_token', refresh_token: fields.refreshToken })
  await finishLogin(io, store, conn, alias, id, {
    flow: 'sfdx-url',
    clientId: fields.clientId,
    ...(fields.clientSecret ? { clientSecret: fields.clientSecret } : {}),
    loginUrl: fields.loginUrl,
  })
  return EXIT.ok
}

/** The URL alone, or the `sfdxAuthUrl` of `sf org display --verbose --json`. */
function extractUrl(text: string): string {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return trimmed.split(/\r?\n/)[0] ?? ''
  try {
    const data = JSON.parse(trimmed) as { result?: { sfdxAuthUrl?: string }; sfdxAuthUrl?: string }
    const url = data.result?.sfdxAuthUrl ?? data.sfdxAuthUrl
    if (url) return url
  } catch {}
  throw new CliError(
    'INVALID_SFDX_AUTH_URL',
    'The file holds JSON without an sfdxAuthUrl.',
    EXIT.usage,
  )
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new CliError(
      'ERR_FILE',
      `Cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      EXIT.usage,
    )
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
