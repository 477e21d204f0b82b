// The Salesforce CLI's library writes to ~/.sf and ~/.sfdx and reads NODE_EXTRA_CA_CERTS only when
// a process starts: so before any test process starts, point HOME at a fresh directory, make a
// certificate for the https emulator and hand it to the test processes as a trusted CA.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'

let home: string | undefined

export async function setup(): Promise<void> {
  home = await mkdtemp(join(tmpdir(), 'sfauth-real-clients-'))
  const pems = await generate([{ name: 'commonName', value: 'sfauth real-clients' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  })
  const cert = join(home, 'emulator-cert.pem')
  const key = join(home, 'emulator-key.pem')
  await writeFile(cert, pems.cert)
  await writeFile(key, pems.private, { mode: 0o600 })
  Object.assign(process.env, {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    NODE_EXTRA_CA_CERTS: cert,
    SFAUTH_TEST_TLS_CERT: cert,
    SFAUTH_TEST_TLS_KEY: key,
    // Nothing of the Salesforce CLI's library may leave the machine or touch the real keychain.
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SFDX_DISABLE_AUTOUPDATE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_LOG_FILE: 'true',
  })
}

export async function teardown(): Promise<void> {
  if (home) await rm(home, { recursive: true, force: true })
}
