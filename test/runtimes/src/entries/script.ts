// Entry for Node, Bun, Deno and the browser page: the harness bakes its control URL in at bundle
// time, so the runtime needs no arguments, environment or permissions beyond loopback fetch.
import { runSuite } from '../suite/index.js'

declare const __CONTROL_URL__: string

await runSuite(__CONTROL_URL__)
