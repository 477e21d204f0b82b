import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { timeRounds } from '../child.js'
import { median, middleHalf, ms, paired, pairedMedian } from '../stats.js'
import type { Benchmark } from '../types.js'
import { COLD_ROUNDS_PER_RUN } from './cold-import.js'

/** The target of the CLI's issue: `sfauth token` within this many ms of `node -e ""`. */
export const CLI_TOKEN_TARGET_MS = 60

const APP = 'bench-cli'

/** The built `sfauth` command, found through the workspace package. */
function cliPath(cwd: string): string {
  const require = createRequire(join(cwd, 'package.json'))
  return join(dirname(require.resolve('@sfauth/cli/package.json')), 'dist', 'cli.js')
}

/** Runs `sfauth login web` and completes the emulator's pages over HTTP, as a browser would. */
async function webLogin(
  cli: string,
  env: NodeJS.ProcessEnv,
  url: string,
  port: number,
): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      cli,
      'login',
      'web',
      '--client-id',
      APP,
      '--login-url',
      url,
      '--port',
      String(port),
      '--no-browser',
      '--alias',
      'bench',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  const authorizeUrl = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const found = /^ {2}(http\S+)$/m.exec(stderr)?.[1]
      if (found && stderr.includes('Waiting')) resolve(found)
    })
    child.once('exit', (code) => reject(new Error(`sfauth login web exited ${code}: ${stderr}`)))
  })
  const submit = async (page: string, extra: Record<string, string>) => {
    const action = /<form[^>]*action="([^"]*)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? ''
    const fields = new URLSearchParams()
    for (const [input] of page.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input)?.[1]
      if (name) fields.set(name, (/value="([^"]*)"/.exec(input)?.[1] ?? '').replace(/&amp;/g, '&'))
    }
    for (const [k, v] of Object.entries(extra)) fields.set(k, v)
    return fetch(new URL(action, authorizeUrl), {
      method: 'POST',
      body: fields,
      redirect: 'manual',
    })
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const consent = await submit(await (await fetch(authorizeUrl)).text(), {
    username: 'demo@example.com',
    password: 'demo-password-1',
  })
  const callback = await submit(await consent.text(), { action: 'allow' })
  await fetch(callback.headers.get('location') ?? '')
  if ((await exited) !== 0) throw new Error(`sfauth login web failed: ${stderr}`)
}

/**
 * `sfauth token` with a live stored session (a web login with a refresh token): a fresh process
 * that reads the session, checks it with one REST call and prints the token, against `node -e ""`.
 */
export const cliToken: Benchmark = {
  id: 'cli-token',
  title: '`sfauth token` cold start',
  async run(ctx) {
    const home = await mkdtemp(join(tmpdir(), 'sfauth-bench-cli-'))
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    ctx.emulator.addApp({
      clientId: APP,
      requireSecret: false,
      redirectUris: [`http://localhost:${port}/OauthRedirect`],
    })
    const cli = cliPath(ctx.cwd)
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      SFAUTH_CONFIG_DIR: join(home, 'config'),
    }
    try {
      await webLogin(cli, env, ctx.url, port)
      const variants = [
        { name: 'node -e ""', args: ['-e', ''] },
        { name: 'sfauth token', args: [cli, 'token', '--alias', 'bench'] },
      ]
      const times = await timeRounds(variants, ctx.runs * COLD_ROUNDS_PER_RUN, {
        cwd: ctx.cwd,
        env,
      })
      const node = times.get('node -e ""')!
      const token = times.get('sfauth token')!
      const extra = pairedMedian(token, node, (v, b) => v - b)
      const verdict = extra <= CLI_TOKEN_TARGET_MS ? 'within' : 'over'
      return {
        id: this.id,
        title: this.title,
        method: `Wall time of a fresh \`node dist/cli.js token --alias bench\` (the built @sfauth/cli from node_modules) with a live session stored by \`sfauth login web\` (read from the file store, checked with \`GET /services/data/vXX.X/\` on the emulator, printed), against \`node -e ""\`; the figure is the median, over ${ctx.runs * COLD_ROUNDS_PER_RUN} interleaved rounds, of each round's difference. Target: within ${CLI_TOKEN_TARGET_MS} ms of \`node -e ""\`.`,
        headers: ['process', 'median', 'more than node -e ""', 'middle half of rounds'],
        rows: [
          ['node -e ""', ms(median(node)), '—', '—'],
          [
            'sfauth token',
            ms(median(token)),
            ms(extra),
            middleHalf(
              paired(token, node, (v, b) => v - b),
              ms,
            ),
          ],
        ],
        notes: [
          `sfauth token takes ${ms(extra)} more than an empty node process (${verdict} the ${CLI_TOKEN_TARGET_MS} ms target).`,
        ],
        summary: `sfauth token +${ms(extra)} over node -e ""`,
        data: {
          nodeMs: median(node),
          tokenMs: median(token),
          extraMs: extra,
          targetMs: CLI_TOKEN_TARGET_MS,
        },
      }
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  },
}
