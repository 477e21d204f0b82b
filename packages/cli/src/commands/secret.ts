import { CliError, EXIT } from '../io.js'

/** Ctrl+C and Backspace (DEL) as a terminal in raw mode sends them. */
const CTRL_C = 3
const DELETE = 127

/** The environment variable a client secret may come from. */
export const SECRET_ENV = 'SFAUTH_CLIENT_SECRET'

/**
 * A client secret from `SFAUTH_CLIENT_SECRET`, else from stdin: piped (the first line), or typed
 * at a terminal without echo. Never from a flag, which would land in shell history and `ps`.
 */
export async function readSecret(
  required: boolean,
  prompt = 'Client secret: ',
): Promise<string | undefined> {
  const fromEnv = process.env[SECRET_ENV]
  if (fromEnv) return fromEnv
  if (process.stdin.isTTY) {
    if (!required) return undefined
    return readHidden(prompt)
  }
  const piped = await readStdin()
  const secret = piped.split(/\r?\n/)[0]?.trim()
  if (secret) return secret
  if (required) {
    throw new CliError(
      'ERR_NO_SECRET',
      `No client secret: set ${SECRET_ENV}, or pipe it on stdin (never a flag).`,
      EXIT.usage,
    )
  }
  return undefined
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads one line from the terminal with echo off. */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin
    process.stderr.write(prompt)
    stdin.setRawMode(true)
    stdin.resume()
    let value = ''
    const done = (error?: Error) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done()
        // By code, not as '\u0003' and '\u007f': the bundler would print those as raw control
        // characters, and every shipped .js file stays printable ASCII.
        const code = char.charCodeAt(0)
        if (code === CTRL_C) return done(new CliError('ERR_CANCELLED', 'Cancelled.', EXIT.usage))
        if (code === DELETE) value = value.slice(0, -1)
        else value += char
      }
    }
    stdin.on('data', onData)
  })
}
