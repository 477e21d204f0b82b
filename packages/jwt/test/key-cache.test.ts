import { describe, expect, it, vi } from 'vitest'
import { jwtBearer } from '../src/index.js'
import { CLIENT_ID, connect, emulatorFor, GRANT, generateKeys, USERNAME } from './helpers.js'

const imports = vi.hoisted(() => ({ pkcs8: 0 }))
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>()
  return {
    ...jose,
    importPKCS8: (...args: Parameters<typeof jose.importPKCS8>) => {
      imports.pkcs8++
      return jose.importPKCS8(...args)
    },
  }
})

const keys = await generateKeys()

describe('the imported key', () => {
  it('is imported once per flow, however often it signs', async () => {
    const emu = emulatorFor({ publicKey: keys.spki })
    const { conn } = connect(
      { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs1 },
      { fetch: emu.fetch },
    )
    await conn.authorize({ grant_type: GRANT })
    emu.expireSessions()
    await conn.request('query?q=SELECT+Id+FROM+User')
    await conn.authorize({ grant_type: GRANT })
    expect(emu.count('token', GRANT)).toBe(3)
    expect(imports.pkcs8).toBe(1)

    // Another flow has its own key, so its own import.
    jwtBearer({ privateKey: keys.pkcs8 })
    const other = connect(
      { clientId: CLIENT_ID, username: USERNAME, privateKey: keys.pkcs8 },
      { fetch: emu.fetch },
    )
    await other.conn.authorize({ grant_type: GRANT })
    expect(imports.pkcs8).toBe(2)
  })
})
