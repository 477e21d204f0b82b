import { http, type RequestHandler } from 'msw'
import type { Emulator } from './types.js'

/** Salesforce login hosts, My Domains (incl. sandbox, scratch) and Experience Cloud sites. */
const SALESFORCE_HOSTS =
  'login\\.salesforce\\.com|test\\.salesforce\\.com|[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.my\\.salesforce\\.com|[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.my\\.site\\.com'

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * msw v2 handlers that send every request for a Salesforce login host, any My Domain or
 * Experience Cloud site, and the emulator's instance URL to the emulator.
 *
 * @param emu the emulator that answers.
 * @returns the handlers to spread into msw's `setupServer(...)` or `setupWorker(...)`.
 * @throws {TypeError} when the emulator's `instanceUrl` is not an absolute URL.
 *
 * @example
 * const server = setupServer(...emulatorHandlers(createEmulator()))
 * server.listen()
 *
 * @see https://mswjs.io/docs/api/setup-server
 * @see https://help.salesforce.com/s/articleView?id=sf.domain_name_overview.htm
 */
export function emulatorHandlers(emu: Emulator): RequestHandler[] {
  const instance = new URL(emu.instanceUrl).origin
  const hosts = new RegExp(
    `^(?:https://(?:${SALESFORCE_HOSTS})(?::443)?|${escapeRegExp(instance)})/`,
    'i',
  )
  return [http.all(hosts, ({ request }) => emu.handle(request))]
}
