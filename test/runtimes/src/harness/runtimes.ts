import { CHROMIUM_RUNTIME } from './chromium.js'
import type { Runtime } from './runtime.js'
import { SCRIPT_RUNTIMES } from './script-runtimes.js'
import { WORKERD } from './workerd.js'

/** The matrix, in the order it runs. */
export const RUNTIMES: Runtime[] = [...SCRIPT_RUNTIMES, WORKERD, CHROMIUM_RUNTIME]
