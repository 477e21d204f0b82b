import { randomUUID } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { SessionLock } from '@sfauth/session'
import { createStorage, type Driver, type Storage } from 'unstorage'
import fsLiteDriver from 'unstorage/drivers/fs-lite'
import { CliError, EXIT, UsageError } from './io.js'
import { configDir, privateDir } from './paths.js'

/** How a stored session was made, and what renewing it needs. Kept beside the session. */
export interface LoginRecord {
  v: 1
  alias: string
  flow: 'web' | 'jwt' | 'client-credentials' | 'sfdx-url'
  clientId: string
  /** Kept when the app needs one to renew (client credentials, a web app with a secret). */
  clientSecret?: string
  loginUrl: string
  instanceUrl: string
  username?: string
  orgId?: string
  /** JWT: the private key's path (the key itself is never copied). */
  keyFile?: string
  redirectUri?: string
  savedAt: string
}

/** An alias is a file name in the config directory: letters, digits and `._@+-`. */
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/

export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias) || alias.includes('..')) {
    throw new UsageError(
      `--alias must be letters, digits and . _ @ + - (at most 100), got "${alias}"`,
    )
  }
  return alias
}

/** The session key and the login record key of an alias in the store. */
export const sessionKey = (alias: string) => `sessions:${alias}`
const loginKey = (alias: string) => `logins:${alias}`
const SETTINGS_KEY = 'settings.json'

/** The CLI's store: an unstorage file-system store in the private config directory. */
export interface CliStore {
  dir: string
  storage: Storage
  lock: SessionLock
  getLogin(alias: string): Promise<LoginRecord | undefined>
  saveLogin(record: LoginRecord): Promise<void>
  removeLogin(alias: string): Promise<void>
  listLogins(): Promise<LoginRecord[]>
  defaultAlias(): Promise<string | undefined>
  setDefaultAlias(alias: string | undefined): Promise<void>
  /** The alias asked for, else the default one; a CliError when there is none stored. */
  resolveAlias(alias: string | undefined): Promise<LoginRecord>
}

export async function openStore(): Promise<CliStore> {
  const dir = await privateDir(configDir())
  const storage = createStorage({ driver: atomicFsDriver(dir) })
  const store: CliStore = {
    dir,
    storage,
    lock: lazyFileLock(join(dir, 'locks')),
    async getLogin(alias) {
      const record = (await storage.getItem(loginKey(alias))) as LoginRecord | null
      return record?.v === 1 ? record : undefined
    },
    async saveLogin(record) {
      await storage.setItem(loginKey(record.alias), record)
    },
    async removeLogin(alias) {
      await storage.removeItem(loginKey(alias))
      await storage.removeItem(sessionKey(alias))
      if ((await store.defaultAlias()) === alias) await store.setDefaultAlias(undefined)
    },
    async listLogins() {
      const keys = await storage.getKeys('logins')
      const records = await Promise.all(keys.map((key) => storage.getItem(key)))
      return (records as Array<LoginRecord | null>)
        .filter((r): r is LoginRecord => r?.v === 1)
        .sort((a, b) => a.alias.localeCompare(b.alias))
    },
    async defaultAlias() {
      const settings = (await storage.getItem(SETTINGS_KEY)) as { defaultAlias?: string } | null
      return settings?.defaultAlias
    },
    async setDefaultAlias(alias) {
      await storage.setItem(SETTINGS_KEY, alias ? { defaultAlias: alias } : {})
    },
    async resolveAlias(alias) {
      const name = alias ? checkAlias(alias) : await store.defaultAlias()
      const record = name ? await store.getLogin(name) : undefined
      if (record) return record
      throw new CliError(
        'ERR_NOT_LOGGED_IN',
        name
          ? `No stored session named "${name}". Log in first: sfauth login web --client-id ID --alias ${name}`
          : 'No stored session. Log in first: sfauth login web --client-id ID',
        EXIT.noSession,
      )
    },
  }
  return store
}

/**
 * unstorage's fs-lite driver, with writes that replace a file whole: each is written to a
 * temporary file beside the store and renamed into place. fs-lite truncates and then writes, so
 * another `sfauth` process reading the session while a renewal saves it could read an empty file
 * and take it for "no session" (the renewal is under the lock; a first read is not).
 */
function atomicFsDriver(base: string): Driver {
  const lite = fsLiteDriver({ base })
  const tmp = join(base, '.tmp')
  const write = async (key: string, value: string | Uint8Array) => {
    if (/\.\.:|\.\.$/.test(key)) throw new UsageError(`invalid store key "${key}"`)
    const file = join(base, key.replace(/:/g, '/'))
    await mkdir(dirname(file), { recursive: true })
    await mkdir(tmp, { recursive: true })
    const part = join(tmp, `${process.pid}-${randomUUID()}`)
    await writeFile(part, value)
    await rename(part, file)
  }
  return {
    ...lite,
    name: 'sfauth-fs',
    setItem: (key, value) => write(key, value),
    setItemRaw: (key, value) => write(key, value as Uint8Array),
  }
}

/**
 * `fileLock` loaded on first use: only a renewal takes the lock, so `sfauth token` with a live
 * session never loads proper-lockfile.
 */
function lazyFileLock(dir: string): SessionLock {
  let lock: Promise<SessionLock> | undefined
  return {
    async acquire(name, ttlMs, options) {
      lock ??= import('@sfauth/session/file-lock').then(({ fileLock }) => fileLock({ dir }))
      return (await lock).acquire(name, ttlMs, options)
    },
  }
}
