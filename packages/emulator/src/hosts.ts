/** Production and sandbox login hosts; every other host the emulator answers is a My Domain. */
const LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com'])

/** JWT audiences Salesforce accepts on any host. */
export const LOGIN_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com']

/**
 * Whether a host is a generic login host rather than an org's own domain. Client credentials
 * only work on the org's own domain.
 *
 * @see https://help.salesforce.com/s/articleView?id=sf.connected_app_client_credentials_setup.htm
 */
export function isLoginHost(hostname: string): boolean {
  return LOGIN_HOSTS.has(hostname.toLowerCase())
}

/** Whether a host is the loopback server (127.0.0.1, ::1 or localhost). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  )
}
