import { chmod, mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The per-user directory that holds sessions: `$SFAUTH_CONFIG_DIR` when set; otherwise
 * `$XDG_CONFIG_HOME/sfauth` (default `~/.config/sfauth`) on Linux and other Unixes,
 * `~/Library/Application Support/sfauth` on macOS, `%APPDATA%\sfauth` on Windows.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SFAUTH_CONFIG_DIR) return env.SFAUTH_CONFIG_DIR
  if (process.platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'sfauth')
  }
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'sfauth')
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'sfauth')
}

/**
 * Makes the directory private (0700) before anything is written to it, and makes every file and
 * directory this process creates private too (umask 077: files 0600), since it holds tokens.
 */
export async function privateDir(dir: string): Promise<string> {
  process.umask(0o077)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
  return dir
}
