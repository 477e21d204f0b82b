/** A certificate and its private key, both PEM. */
export interface TlsPair {
  key: string
  cert: string
}

/**
 * Makes a self-signed certificate for the loopback names (`localhost`, `127.0.0.1`, `::1`) and any
 * extra names, valid for 30 days, with a fresh P-256 key. It is its own trust anchor, so a client
 * trusts it by adding the PEM to its CA list (`NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE`).
 * `selfsigned` is loaded only here, so a plain-HTTP emulator never imports it.
 */
export async function selfSignedPair(names: readonly string[] = []): Promise<TlsPair> {
  const { generate } = await import('selfsigned')
  const ips = new Set(['127.0.0.1', '::1'])
  const dns = new Set(['localhost'])
  for (const name of names) {
    const bare = name.replace(/^\[|\]$/g, '')
    if (/^[\d.]+$/.test(bare) || bare.includes(':')) ips.add(bare)
    else if (bare) dns.add(bare.toLowerCase())
  }
  const now = new Date()
  const pems = await generate([{ name: 'commonName', value: 'sfauth emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...[...dns].map((value) => ({ type: 2 as const, value })),
          ...[...ips].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  })
  return { key: pems.private, cert: pems.cert }
}
