import { FileSystem } from "@effect/platform"
import { Effect, Option } from "effect"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { BinaryUnavailable } from "../../domain/errors.js"

/** Where a harness binary may come from; built from `[runtime]` settings and the environment. */
export interface BinaryRequest {
  /** The config key that named the binary, e.g. `runtime.codex_binary`, for the error message. */
  readonly configKey: string
  readonly value: string
  readonly allowUnsafeCommandPaths: boolean
  /** The `PATH` to search for a bare name. */
  readonly searchPath: string
  /** Extra directories searched after `PATH` (the package's own node_modules/.bin). */
  readonly extraDirs: ReadonlyArray<string>
  /** For a path starting with `~/`; the user's home dir when absent. */
  readonly home?: string
}

// A bare command name: no path separators, no shell metacharacters, no leading dash (not an option).
const bareName = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/

/**
 * Every `node_modules/.bin` from this module's folder up to the root, nearest first, so the
 * binaries that `npm ci` installed beside orchestrator are found whether it runs from src or dist.
 */
export const packageBinDirs = (moduleUrl: string = import.meta.url): ReadonlyArray<string> => {
  const dirs: Array<string> = []
  let dir = NodePath.dirname(fileURLToPath(moduleUrl))
  for (;;) {
    if (NodePath.basename(dir) !== "node_modules") dirs.push(NodePath.join(dir, "node_modules", ".bin"))
    const parent = NodePath.dirname(dir)
    if (parent === dir) return dirs
    dir = parent
  }
}

const isExecutableFile = (fs: FileSystem.FileSystem, path: string) =>
  fs.stat(path).pipe(
    Effect.map((info) => info.type === "File" && (info.mode & 0o111) !== 0),
    Effect.orElseSucceed(() => false)
  )

/**
 * Resolves a configured binary to an absolute path. A bare name is searched on `PATH` and then in
 * `extraDirs`; a path (anything with a `/` or `~`) is refused unless `allow_unsafe_command_paths`.
 */
export const resolveBinary = (
  request: BinaryRequest
): Effect.Effect<string, BinaryUnavailable, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const unavailable = (reason: string) =>
      new BinaryUnavailable({ configKey: request.configKey, binary: request.value, reason })
    const value = request.value.trim()
    if (value === "") return yield* unavailable("no binary is configured; set a command name")

    if (!bareName.test(value)) {
      const looksLikePath = value.includes("/") || value.startsWith("~")
      if (!looksLikePath) return yield* unavailable("not a command name (letters, digits, . _ + - only)")
      if (!request.allowUnsafeCommandPaths) {
        return yield* unavailable(
          "only a bare command name found on PATH is allowed; set runtime.allow_unsafe_command_paths = true to use a path"
        )
      }
      const absolute = NodePath.resolve(value.startsWith("~/") ? NodePath.join(request.home ?? NodeOs.homedir(), value.slice(2)) : value)
      return (yield* isExecutableFile(fs, absolute)) ? absolute : yield* unavailable("no executable file at that path")
    }

    const dirs = [
      ...request.searchPath.split(NodePath.delimiter).filter((dir) => NodePath.isAbsolute(dir)),
      ...request.extraDirs
    ]
    const found = yield* Effect.findFirst(dirs, (dir) => isExecutableFile(fs, NodePath.join(dir, value)))
    return yield* Option.match(found, {
      onNone: () => unavailable("not found on PATH nor in the package's node_modules/.bin; install it or fix the setting"),
      onSome: (dir) => Effect.succeed(NodePath.join(dir, value))
    })
  })
