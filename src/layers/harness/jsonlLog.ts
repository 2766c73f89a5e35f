import { FileSystem } from "@effect/platform"
import { Clock, Effect, type Scope } from "effect"
import * as NodePath from "node:path"
import { HarnessError } from "../../domain/errors.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"

export interface JsonlLogOptions {
  readonly harness: string
  readonly dataDir: string
  readonly sessionId: string
  /** `runtime.harness_log_raw_events`: every message exchanged with the harness, both ways. */
  readonly raw: boolean
  /** `runtime.harness_log_normalized_events`: the WorkerEvents derived from them. */
  readonly normalized: boolean
}

export type RawDirection = "in" | "out"

/** Per-session JSONL logs; writes are best effort so a full disk never kills an agent session. */
export interface HarnessLog {
  readonly raw: (direction: RawDirection, message: unknown) => Effect.Effect<void>
  readonly normalized: (event: WorkerEvent) => Effect.Effect<void>
}

export const noHarnessLog: HarnessLog = { raw: () => Effect.void, normalized: () => Effect.void }

/** `<dataDir>/logs/harness/<session>.raw.jsonl` and `.events.jsonl`. */
export const harnessLogPaths = (dataDir: string, sessionId: string) => {
  const dir = NodePath.join(dataDir, "logs", "harness")
  // Session ids are ours, but a path separator must never escape the log folder.
  const safe = sessionId.replace(/[^A-Za-z0-9._-]/g, "_")
  return { dir, raw: NodePath.join(dir, `${safe}.raw.jsonl`), normalized: NodePath.join(dir, `${safe}.events.jsonl`) }
}

const encoder = new TextEncoder()

const openAppender = (fs: FileSystem.FileSystem, path: string, harness: string) =>
  Effect.gen(function* () {
    const file = yield* fs.open(path, { flag: "a" })
    // One writer at a time keeps each JSON line whole.
    const lock = yield* Effect.makeSemaphore(1)
    return (record: object) =>
      Effect.gen(function* () {
        const at = yield* Clock.currentTimeMillis
        yield* lock.withPermits(1)(file.writeAll(encoder.encode(JSON.stringify({ at, ...record }) + "\n")))
      }).pipe(
        Effect.catchAll((error) => Effect.logWarning(`${harness}: cannot write the harness log ${path}: ${error.message}`))
      )
  }).pipe(
    Effect.mapError((error) => new HarnessError({ harness, operation: "open the harness log", detail: `${path}: ${error.message}` }))
  )

export const makeHarnessLog = (
  options: JsonlLogOptions
): Effect.Effect<HarnessLog, HarnessError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function* () {
    if (!options.raw && !options.normalized) return noHarnessLog
    const fs = yield* FileSystem.FileSystem
    const paths = harnessLogPaths(options.dataDir, options.sessionId)
    yield* fs.makeDirectory(paths.dir, { recursive: true }).pipe(
      Effect.mapError((error) =>
        new HarnessError({ harness: options.harness, operation: "create the harness log folder", detail: error.message })
      )
    )
    const raw = options.raw ? yield* openAppender(fs, paths.raw, options.harness) : undefined
    const normalized = options.normalized ? yield* openAppender(fs, paths.normalized, options.harness) : undefined
    return {
      raw: (direction, message) => (raw ? raw({ direction, message }) : Effect.void),
      normalized: (event) => (normalized ? normalized({ event }) : Effect.void)
    }
  })
