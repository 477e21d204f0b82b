import { flags, optional } from '../args.js'
import { connectionFor } from '../connection.js'
import { createIo, EXIT, showHelp, UsageError } from '../io.js'
import { openStore } from '../store.js'

const HELP = `Usage: sfauth request PATH [--method GET] [--data JSON] [--alias NAME] [--json]

One authenticated call to the org, its JSON answer printed. PATH is relative to the REST API
of the org's version (query?q=..., sobjects/Account/001...) or starts with /services/.

Examples:
  sfauth request limits
  sfauth request "query?q=SELECT+Id,Name+FROM+Account+LIMIT+5" --alias dev
  sfauth request sobjects/Account --method POST --data '{"Name":"Acme"}'
`

export async function request(argv: string[], json: boolean): Promise<number> {
  const { values, positionals } = flags(
    argv,
    {
      alias: { type: 'string', short: 'a' },
      method: { type: 'string', short: 'X' },
      data: { type: 'string', short: 'd' },
    },
    1,
  )
  const io = createIo(json)
  if (values.help) return showHelp(io, HELP)
  const path = positionals[0]
  if (!path) throw new UsageError('sfauth request needs a PATH, e.g. sfauth request limits')
  const data = optional(values, 'data')
  let body: unknown
  if (data !== undefined) {
    try {
      body = JSON.parse(data)
    } catch {
      throw new UsageError('--data must be JSON')
    }
  }
  const method = (optional(values, 'method') ?? (data === undefined ? 'GET' : 'POST')).toUpperCase()
  const store = await openStore()
  const conn = connectionFor(store, await store.resolveAlias(optional(values, 'alias')))
  const result = await conn.request(path, { method, ...(body !== undefined ? { body } : {}) })
  // The answer is the data in both modes: JSON either way.
  io.out(`${JSON.stringify(result ?? null, null, 2)}\n`)
  return EXIT.ok
}
