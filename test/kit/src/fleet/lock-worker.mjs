// One process contending for a SessionLock. Plain JavaScript (run by `node`, no loader) on the
// built packages. argv[2] is a JSON config:
//   factory     absolute path of a module exporting createLock(config) → { lock, close() }
//   mode        'count' | 'hold' | 'wait'
//   name, ttlMs, waitMs
//   startOnGo   wait for a 'go' line on stdin after 'ready' (the harness's startTogether())
//   count mode: iterations, holdMs, dir (where the shared counter and holder files live)
// It prints JSON lines: ready, acquired, releasing, overlap, error { code, message }, done.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'

const config = JSON.parse(process.argv[2])
const emit = (type, fields = {}) =>
  process.stdout.write(`${JSON.stringify({ type, pid: process.pid, t: Date.now(), ...fields })}\n`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const { createLock } = await import(pathToFileURL(config.factory).href)
const { lock, close } = await createLock(config)
emit('ready')
if (config.startOnGo) {
  const lines = createInterface({ input: process.stdin })
  await new Promise((resolve) => lines.on('line', (line) => line === 'go' && resolve()))
  lines.close()
}

try {
  if (config.mode === 'count') {
    const holderFile = join(config.dir, 'holder')
    const counterFile = join(config.dir, 'counter')
    const read = (file) => {
      try {
        return readFileSync(file, 'utf8')
      } catch {
        return ''
      }
    }
    for (let i = 0; i < config.iterations; i++) {
      const release = await lock.acquire(config.name, config.ttlMs, { waitMs: config.waitMs })
      emit('acquired', { i })
      // Two holders at once show up here (a holder file someone else wrote), in the counter
      // (a lost read-modify-write), and in the parent's check of overlapping intervals.
      const other = read(holderFile)
      if (other !== '') emit('overlap', { other })
      writeFileSync(holderFile, String(process.pid))
      const count = Number(read(counterFile) || '0')
      await sleep(config.holdMs)
      writeFileSync(counterFile, String(count + 1))
      if (read(holderFile) !== String(process.pid)) emit('overlap', { other: read(holderFile) })
      writeFileSync(holderFile, '')
      emit('releasing', { i })
      await release()
    }
  } else if (config.mode === 'hold') {
    await lock.acquire(config.name, config.ttlMs, { waitMs: config.waitMs })
    emit('acquired')
    // Holds until killed; the lock's own timers keep the lease fresh meanwhile.
    setInterval(() => {}, 1 << 30)
    await new Promise(() => {})
  } else if (config.mode === 'wait') {
    const release = await lock.acquire(config.name, config.ttlMs, { waitMs: config.waitMs })
    emit('acquired')
    emit('releasing')
    await release()
  }
  emit('done')
} catch (err) {
  emit('error', { code: err?.errorCode, name: err?.name, message: String(err?.message ?? err) })
} finally {
  await close()
}
