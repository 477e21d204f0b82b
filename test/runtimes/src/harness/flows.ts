import { workspacePackages } from '../../../../scripts/workspace.mjs'

/**
 * The flows the matrix runs, in table order: every package whose package.json says
 * `"sfauth": { "runtimeSuite": true }`, by its directory name. The suite's case for each is
 * src/suite/cases/<dir>.ts, registered in `CASES` (src/suite/index.ts); a flow without one fails
 * in every runtime, and test/flows.test.ts names it.
 */
export const FLOWS: readonly string[] = workspacePackages()
  .filter((p) => p.sfauth?.runtimeSuite)
  .map((p) => p.dir)

/**
 * Flows that run only in some runtimes, by runtime name: a package whose "runtimeSuite" is a list
 * of runtimes (`@sfauth/cloudflare` is workerd's).
 */
export const ONLY_IN: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  workspacePackages()
    .filter((p) => Array.isArray(p.sfauth?.runtimeSuite))
    .map((p) => [p.dir, p.sfauth?.runtimeSuite as string[]]),
)
