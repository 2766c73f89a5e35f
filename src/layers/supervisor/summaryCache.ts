import { Effect, Ref } from "effect"

/** FNV-1a over the context text: equal text, equal fingerprint; enough to notice a change. */
export const fingerprint = (text: string): string => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `${hash.toString(16)}:${text.length}`
}

interface Entry {
  readonly fingerprint: string
  readonly line: string
}

/**
 * Session summaries keyed by session, valid while the fingerprint of their context is unchanged.
 * Holds at most `capacity` sessions; the least recently written goes first.
 */
export const makeSummaryCache = (capacity: number) =>
  Effect.map(Ref.make(new Map<string, Entry>()), (ref) => ({
    /** The cached line, or computes, stores and returns a fresh one. */
    getOrCompute: <E, R>(key: string, print: string, compute: Effect.Effect<string, E, R>): Effect.Effect<string, E, R> =>
      Effect.flatMap(Ref.get(ref), (entries) => {
        const hit = entries.get(key)
        if (hit !== undefined && hit.fingerprint === print) return Effect.succeed(hit.line)
        return Effect.tap(compute, (line) =>
          Ref.update(ref, (current) => {
            const next = new Map(current)
            next.delete(key)
            next.set(key, { fingerprint: print, line })
            for (const oldest of next.keys()) {
              if (next.size <= capacity) break
              next.delete(oldest)
            }
            return next
          })
        )
      })
  }))
