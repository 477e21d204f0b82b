import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

interface PackageJson {
  name?: string
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson
}

/**
 * The directory of the package a file belongs to: the nearest package.json with a name. esbuild
 * reports real paths already, so symlinks need no resolving here.
 */
function packageDirOf(file: string): string {
  let dir = dirname(file)
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && readPackage(dir).name) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${file}`)
    dir = parent
  }
}

/** Where `name` resolves from `fromDir`, the way Node looks through node_modules folders. */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir
  for (;;) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/**
 * Names packages from what is on disk rather than from path patterns: each bundled file belongs to
 * the package whose package.json is nearest above it, and a package may bring in what its
 * `dependencies` and `peerDependencies` declare, transitively.
 */
export class Owners {
  readonly #cwd: string

  constructor(cwd: string) {
    this.#cwd = cwd
  }

  /** The package an esbuild metafile input path (relative to the bench package) belongs to. */
  ownerOf(input: string): string {
    if (input.startsWith('<stdin>') || input === 'import-set.js') return '(entry)'
    return readPackage(packageDirOf(resolve(this.#cwd, input))).name as string
  }

  /** `names` and every package they may bring in. */
  closure(names: readonly string[]): Set<string> {
    const seen = new Set<string>()
    const visit = (name: string, fromDir: string) => {
      if (seen.has(name)) return
      const dir = resolvePackageDir(name, fromDir)
      if (!dir) throw new Error(`cannot resolve ${name} from ${fromDir}`)
      seen.add(name)
      const pkg = readPackage(dir)
      for (const dep of Object.keys({
        ...pkg.dependencies,
        ...pkg.optionalDependencies,
        ...pkg.peerDependencies,
      })) {
        // An optional peer that is not installed is not part of any bundle.
        if (resolvePackageDir(dep, dir)) visit(dep, dir)
      }
    }
    for (const name of names) visit(name, this.#cwd)
    return seen
  }
}
