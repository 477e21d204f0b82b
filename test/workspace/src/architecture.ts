/**
 * The `@sfauth/<name>` packages that ARCHITECTURE.md's package diagram names: the first fenced
 * block under "## The packages and the arrows" (entries such as `@sfauth/core/flow` count as their
 * package; the placeholder `@sfauth/<flow>` is none).
 */
export function diagramPackages(markdown: string): Set<string> {
  const section = markdown.split(/^## The packages and the arrows$/m)[1] ?? ''
  const diagram = /^```[^\n]*\n([\s\S]*?)^```/m.exec(section)?.[1] ?? ''
  return new Set(diagram.match(/@sfauth\/[a-z0-9-]+/g) ?? [])
}

/** What differs between the diagram and the packages that exist, one sentence each. */
export function diagramProblems(markdown: string, packages: string[]): string[] {
  const named = diagramPackages(markdown)
  const missing = packages.filter((name) => !named.has(name))
  const extra = [...named].filter((name) => !packages.includes(name))
  return [
    ...(missing.length > 0
      ? [
          `ARCHITECTURE.md's package diagram leaves out ${missing.join(', ')}: draw each with its arrows`,
        ]
      : []),
    ...(extra.length > 0
      ? [
          `ARCHITECTURE.md's package diagram names ${extra.join(', ')}, which packages/* does not have`,
        ]
      : []),
  ]
}
