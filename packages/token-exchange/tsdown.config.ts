import { defineConfig } from 'tsdown'
import { packageBuild } from '../../tsdown.preset.ts'

export default defineConfig(packageBuild())
