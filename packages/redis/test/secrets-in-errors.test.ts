import { inspect } from 'node:util'
import { Connection, SfAuthError } from '@sfauth/core'
import { createEmulator } from '@sfauth/emulator'
import { OAuth2 } from '@sfauth/oauth2'
import { session } from '@sfauth/session'
import { rejection } from '@sfauth/test-kit'
import { useMswEmulator } from '@sfauth/test-kit/msw'
import { hasRedisServer, type RedisServer, startRedis } from '@sfauth/test-kit/redis-server'
import { Redis } from 'ioredis'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { redisLock } from '../src/index.js'

// Attacks on what lock and store errors carry. ioredis hangs the command that failed on its
// ReplyError (`command: { name, args }`): a wrong password's AUTH arguments, a refused SET's
// value, which is the saved session with its tokens. util.inspect prints every property down
// the cause chain, and these errors reach callers through conn.request() and conn.on('error').

const PASSWORD = 'redis-Requirepass-Right-5f1c9e'
const WRONG_PASSWORD = 'redis-Wrong-Password-Typed-8a2d'
const REDIRECT_URI = 'http://127.0.0.1:3000/oauth2/callback'
const USER = {
  username: 'locks@example.com',
  password: 'NotUsedHere-1a2b',
  userId: '005gK0000LockSecQA',
  orgId: '00DgK0000LockSecQA',
}
const APP = {
  clientId: '3MVG9redisSecretsInErrorsTestClient0000000000000000000000000000000000000',
  clientSecret: 'REDISSECRETSCLIENTSECRET00000000000000000000000000000000000000000',
  redirectUris: [REDIRECT_URI],
  rotateRefreshTokens: true,
}

const emulator = useMswEmulator(() => createEmulator({ users: [USER], apps: [APP] }))

function connect(flow: ReturnType<typeof session>): Connection {
  const oauth2 = new OAuth2({
    clientId: APP.clientId,
    clientSecret: APP.clientSecret,
    redirectUri: REDIRECT_URI,
  })
  return new Connection({ oauth2, flows: [flow] })
}

function code(): string {
  return emulator.emu.approve({
    clientId: APP.clientId,
    username: USER.username,
    redirectUri: REDIRECT_URI,
    scope: 'api refresh_token',
  })
}

/** Everything util.inspect shows of an error, down its whole cause chain. */
const deeply = (err: unknown) => inspect(err, { depth: 10, showHidden: true })

describe.skipIf(!hasRedisServer)('no secret in the errors of a Redis lock or store', () => {
  const clients: Redis[] = []
  const client = (port: number, password?: string) => {
    const redis = new Redis({ host: '127.0.0.1', port, ...(password ? { password } : {}) })
    redis.on('error', () => {})
    clients.push(redis)
    return redis
  }
  afterEach(() => {
    for (const redis of clients.splice(0)) redis.disconnect()
  })

  describe('a redis-server with --requirepass, a client with the wrong password', () => {
    let server: RedisServer
    beforeAll(async () => {
      server = await startRedis({ args: ['--requirepass', PASSWORD] })
    })
    afterAll(async () => {
      await server?.stop('SIGKILL')
    })

    it('lock.acquire() rejects with ERR_LOCK_UNAVAILABLE whose deep inspection holds no password', async () => {
      const err = await redisLock(client(server.port, WRONG_PASSWORD), { commandTimeoutMs: 5_000 })
        .acquire('session', 5_000, { waitMs: 10_000 })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SfAuthError)
      expect(err).toMatchObject({ errorCode: 'ERR_LOCK_UNAVAILABLE' })
      // Still says what went wrong, with Redis's own words and code.
      expect((err as Error).message).toContain('WRONGPASS')
      expect((err as Error).cause).toMatchObject({ name: 'ReplyError' })
      expect(deeply(err)).not.toContain(WRONG_PASSWORD)
    })

    it('conn.request() on an expired session rejects with the lock error, and no password in it', async () => {
      const conn = connect(
        session({
          store: createStorage(),
          lock: redisLock(client(server.port, WRONG_PASSWORD), { commandTimeoutMs: 5_000 }),
          lockTtlMs: 5_000,
        }),
      )
      await conn.authorize(code())
      emulator.emu.expireSessions()
      const err = await rejection(conn.request('limits'))
      expect(err).toMatchObject({ errorCode: 'ERR_LOCK_UNAVAILABLE' })
      expect(deeply(err)).not.toContain(WRONG_PASSWORD)
    })
  })

  describe('a redis-server that refuses every write (maxmemory reached), as the session store', () => {
    let server: RedisServer
    beforeAll(async () => {
      server = await startRedis({ args: ['--maxmemory', '1', '--maxmemory-policy', 'noeviction'] })
    })
    afterAll(async () => {
      await server?.stop('SIGKILL')
    })

    it("the ERR_STORE of a refused save holds none of the session's tokens", async () => {
      const store = createStorage({
        driver: redisDriver({ host: '127.0.0.1', port: server.port, base: 'sfauth' }),
      })
      try {
        const conn = connect(session({ store }))
        const errors: unknown[] = []
        conn.on('error', (err) => errors.push(err))
        const authorized = await conn.authorize(code()).then(
          () => undefined,
          (err: unknown) => err,
        )
        if (authorized) errors.push(authorized)
        expect(errors.length).toBeGreaterThan(0)
        for (const err of errors) {
          expect(err).toMatchObject({ errorCode: 'ERR_STORE' })
          expect((err as Error).message).toContain('OOM')
          const shown = deeply(err)
          expect(shown).not.toContain(conn.refreshToken as string)
          expect(shown).not.toContain(conn.accessToken as string)
        }
      } finally {
        await store.dispose()
      }
    })
  })
})
