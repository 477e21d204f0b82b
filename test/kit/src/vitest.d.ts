import type { ViteUserConfig } from 'vitest/config'

/** The vitest configuration every package shares (see vitest.js). */
export declare function vitestPreset(overrides?: ViteUserConfig): ViteUserConfig
