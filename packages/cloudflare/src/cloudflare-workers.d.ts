// The few declarations of workerd's own `cloudflare:workers` module this package uses. An
// application has the full ones from @cloudflare/workers-types or `wrangler types`; declaring
// only these keeps the package's build free of workerd's global types (which clash with the DOM's).
declare module 'cloudflare:workers' {
  /** A Durable Object's transactional storage (the key-value API; SQLite-backed or not). */
  export interface DurableObjectStorage {
    get<T = unknown>(key: string): Promise<T | undefined>
    put<T>(key: string, value: T): Promise<void>
    delete(key: string): Promise<boolean>
  }

  /** What workerd hands a Durable Object: its storage, and the means to reset it. */
  export interface DurableObjectState {
    readonly storage: DurableObjectStorage
    abort(reason?: string): void
  }

  /** Extends the current request's lifetime until `promise` settles (as `ctx.waitUntil`). */
  export function waitUntil(promise: Promise<unknown>): void

  /** The base class of a Durable Object whose public methods are called over Workers RPC. */
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState
    protected env: Env
    constructor(ctx: DurableObjectState, env: Env)
  }
}
