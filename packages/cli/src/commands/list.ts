import { maskToken } from '@sfauth/core'
import { flags } from '../args.js'
import { createIo, EXIT, showHelp } from '../io.js'
import { openStore, sessionKey } from '../store.js'

const HELP = `Usage: sfauth list [--json]

The stored sessions: alias, user, org, how it logged in, and the access token masked.
`

export async function list(argv: string[], json: boolean): Promise<number> {
  const { values } = flags(argv, {})
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const store = await openStore()
  const fallback = await store.defaultAlias()
  const rows = await Promise.all(
    (await store.listLogins()).map(async (login) => {
      const saved = (await store.storage.getItem(sessionKey(login.alias))) as {
        accessToken?: string
        refreshToken?: string
      } | null
      return {
        alias: login.alias,
        default: login.alias === fallback,
        username: login.username ?? null,
        orgId: login.orgId ?? null,
        instanceUrl: login.instanceUrl,
        flow: login.flow,
        accessToken: maskToken(saved?.accessToken) ?? null,
        refreshToken: saved?.refreshToken ? '[stored]' : null,
      }
    }),
  )
  const human =
    rows.length === 0
      ? 'No stored sessions. Log in with: sfauth login web --client-id ID'
      : rows
          .map(
            (r) =>
              `${r.default ? '*' : ' '} ${r.alias}  ${r.username ?? '-'}  ${r.instanceUrl}  ${r.flow}  ${r.accessToken ?? '(no session)'}`,
          )
          .join('\n')
  io.result(rows, human)
  return EXIT.ok
}
