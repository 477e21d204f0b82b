#!/usr/bin/env node
// `npx @sfauth/emulator`: the emulator as a server anyone can run. The command lives in run.js,
// shared with `sfauth emulator`; loaded by a specifier bundlers cannot follow, so no chunk is shared.
const RUN_MODULE = './run.js'
const { runEmulatorCommand }: typeof import('./run.js') = await import(
  /* @vite-ignore */ /* webpackIgnore: true */ RUN_MODULE
)
process.exitCode = await runEmulatorCommand(process.argv.slice(2))

export {}
