import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Clock, Effect } from "effect"

const MAX_SAME_SECOND = 100

/** `config.toml.2025-01-31T09-30-00Z.bak`, then `…-1.bak`, `…-2.bak` within the same second. */
const backupName = (file: string, millis: number, attempt: number): string => {
  const stamp = new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z").replaceAll(":", "-")
  return `${file}.${stamp}${attempt === 0 ? "" : `-${attempt}`}.bak`
}

const isAlreadyExists = (error: PlatformError): boolean => error._tag === "SystemError" && error.reason === "AlreadyExists"

/**
 * Copies `file` to a new timestamped backup beside it and returns its path. A backup is created
 * exclusively (never written over), so every earlier file survives any number of `--force`s.
 */
export const backupFile = (file: string): Effect.Effect<string, PlatformError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const content = yield* fs.readFile(file)
    const now = yield* Clock.currentTimeMillis
    const attempt = (n: number): Effect.Effect<string, PlatformError> => {
      const target = backupName(file, now, n)
      return fs.writeFile(target, content, { flag: "wx" }).pipe(
        Effect.as(target),
        Effect.catchIf((error) => isAlreadyExists(error) && n + 1 < MAX_SAME_SECOND, () => attempt(n + 1))
      )
    }
    return yield* attempt(0)
  })
