import { spawn } from 'node:child_process'

/**
 * Opens a URL in the system browser: `$BROWSER` when set (the common convention), else `open`
 * (macOS), `start` (Windows) or `xdg-open`. Resolves to false when nothing could be started, so
 * the caller prints the URL instead.
 */
export function openBrowser(url: string): Promise<boolean> {
  const [command, ...args] = process.env.BROWSER
    ? [process.env.BROWSER, url]
    : process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url.replace(/&/g, '^&')]
        : ['xdg-open', url]
  return new Promise((resolve) => {
    try {
      const child = spawn(command as string, args, { stdio: 'ignore', detached: true })
      child.once('error', () => resolve(false))
      child.once('spawn', () => {
        child.unref()
        resolve(true)
      })
    } catch {
      resolve(false)
    }
  })
}
