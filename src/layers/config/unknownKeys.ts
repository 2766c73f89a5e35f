import { openTables } from "../../domain/config.js"

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)

/** Dotted paths present in `raw` but not in `known` (the decoded defaults), skipping open tables. */
export const unknownKeys = (raw: unknown, known: unknown, prefix = ""): ReadonlyArray<string> => {
  if (!isTable(raw) || !isTable(known)) return []
  return Object.keys(raw).flatMap((key) => {
    const path = prefix === "" ? key : `${prefix}.${key}`
    if (!(key in known)) return [path]
    if (openTables.includes(path)) return []
    return unknownKeys(raw[key], known[key], path)
  })
}
