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
