// TypeDoc names each entry point after its path (`core/src`, `emulator/src/msw`); readers import
// packages, so name each module the way it is imported (`@sfauth/core`, `@sfauth/emulator/msw`).
import { readFileSync } from 'node:fs'
import { Converter, ReflectionKind } from 'typedoc'

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = /^([a-z0-9-]+)\/src(?:\/(.+))?$/.exec(mod.name)
      if (!match) continue
      const [, dir, subpath] = match
      const pkg = JSON.parse(
        readFileSync(new URL(`../packages/${dir}/package.json`, import.meta.url)),
      )
      // Node-only entries live in src/node/ but are imported without it (`@sfauth/session/file-lock`).
      const entry = subpath?.replace(/^node\//, '')
      mod.name = entry ? `${pkg.name}/${entry}` : pkg.name
    }
  })
}
