import { movedTrackerKeys } from "../../domain/config.js"

const isTable = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)

export interface MovedKeys {
  /** The file's value with the old spellings moved where the schema reads them. */
  readonly raw: unknown
  /** One sentence per old spelling found, naming the new key. */
  readonly notes: ReadonlyArray<string>
}

/**
 * The seed kept the tracker-generic keys under `[linear]`; they live in `[tracker]` now. The old
 * spelling still works: it moves to `[tracker]` unless `[tracker]` sets the same key, which wins.
 * A `[tracker]` that is not a table is left for the schema to report.
 */
export const moveTrackerKeys = (raw: unknown): MovedKeys => {
  if (!isTable(raw) || !isTable(raw["linear"])) return { raw, notes: [] }
  const linear = raw["linear"]
  const tracker = raw["tracker"] === undefined ? {} : raw["tracker"]
  if (!isTable(tracker)) return { raw, notes: [] }
  const moved = movedTrackerKeys.filter((key) => key in linear)
  if (moved.length === 0) return { raw, notes: [] }
  const notes = moved.map((key) =>
    key in tracker
      ? `"linear.${key}" is deprecated and ignored: "tracker.${key}" is also set and wins`
      : `"linear.${key}" is deprecated: use "tracker.${key}"`
  )
  const kept = Object.fromEntries(Object.entries(linear).filter(([key]) => !moved.includes(key)))
  const carried = Object.fromEntries(moved.filter((key) => !(key in tracker)).map((key) => [key, linear[key]]))
  return { raw: { ...raw, linear: kept, tracker: { ...carried, ...tracker } }, notes }
}
