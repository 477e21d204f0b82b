/** `sfauth emulator`: the same command as `npx @sfauth/emulator`. */
export async function emulator(argv: string[]): Promise<number> {
  const { runEmulatorCommand } = await import('@sfauth/emulator/run')
  return runEmulatorCommand(argv)
}
