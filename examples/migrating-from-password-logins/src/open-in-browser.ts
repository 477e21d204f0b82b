import type { Connection } from '@sfauth/core'
import { frontdoorUrl } from '@sfauth/core/frontdoor'

/** Opens the org in a browser page as the connection's user, without a session id in the URL. */
export async function openOrg(
  conn: Connection,
  page: { goto(url: string): Promise<unknown> },
): Promise<void> {
  const door = await frontdoorUrl(conn, { path: '/lightning/page/home' })
  await page.goto(door.url) // a credential: `String(door)` and logs show it masked
}
