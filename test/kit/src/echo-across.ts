import fc from 'fast-check'

/**
 * Arbitraries for a secret a server echoes across the point where a message is cut: the secret
 * (from `secretChars`), the form it is echoed in (raw, URL-encoded or JSON-escaped), the text
 * placed before it (from `fillerUnits`, none of which a secret uses) and how far ahead of the cut
 * it starts. The text around the echo shares no character with the secret, so {@link runsOf} of
 * the echo found in a message can only be the secret's.
 */
export function echoAcross(options: { secretChars: string; fillerUnits: string[] }) {
  // An array, not fc.string: fast-check's strings favour words such as "Property" or
  // "constructor", which the library's own text contains.
  const secret = fc
    .array(fc.constantFrom(...options.secretChars), { minLength: 12, maxLength: 60 })
    .map((chars) => chars.join(''))
  const form = fc.constantFrom<(s: string) => string>(
    (s) => s,
    encodeURIComponent,
    (s) => JSON.stringify(s).slice(1, -1),
  )
  const filler = fc
    .array(fc.constantFrom(...options.fillerUnits), { minLength: 1, maxLength: 12 })
    .map((units) => units.join(''))
  return fc.record({ secret, form, filler, before: fc.integer({ min: 1, max: 200 }) })
}

/** `pattern` repeated to exactly `length` characters. */
export function pad(pattern: string, length: number): string {
  return pattern.repeat(Math.ceil(length / pattern.length) + 1).slice(0, Math.max(0, length))
}

/** Every run of 8 consecutive characters of `echoed`: none may show in an error. */
export function runsOf(echoed: string): string[] {
  const runs: string[] = []
  for (let at = 0; at + 8 <= echoed.length; at++) runs.push(echoed.slice(at, at + 8))
  return runs
}
