// The test helpers of the flow package a CONTRIBUTING example is written in.
import { DEFAULT_APP, DEFAULT_USER } from '@sfauth/emulator'

export const APP = { ...DEFAULT_APP, clientSecret: DEFAULT_APP.clientSecret ?? '' }
export const USER = DEFAULT_USER
