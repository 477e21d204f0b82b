// The flow package a CONTRIBUTING example is written in (`import { yourFlow } from '../src/index.js'`).
import type { Flow } from '@sfauth/core'

export declare function yourFlow(options?: { clientId?: string }): Flow
