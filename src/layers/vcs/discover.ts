import type { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import * as NodePath from "node:path"
import { GitError } from "../../domain/vcsErrors.js"

/** Bounded walk: a home directory can hold a great many folders. */
export const MAX_REPOSITORIES = 500

const skipped = new Set(["node_modules", "vendor", "target", "dist", "build"])

/**
 * Directories under `root` holding a `.git` (directory, or file for linked worktrees and
 * submodules), at most `maxDepth` levels down; a repository's own subfolders are not searched.
 * Unreadable directories are skipped.
 */
export const discoverRepositories = (fs: FileSystem.FileSystem, root: string, maxDepth: number) =>
  Effect.gen(function* () {
    const start = NodePath.resolve(root)
    const rootInfo = yield* fs
      .stat(start)
      .pipe(Effect.mapError((error) => new GitError({ operation: "discover", detail: `${root}: ${error.message}` })))
    if (rootInfo.type !== "Directory") return yield* new GitError({ operation: "discover", detail: `${root} is not a directory` })
    const found: Array<string> = []
    let level: ReadonlyArray<string> = [start]
    for (let depth = 0; depth <= maxDepth && level.length > 0 && found.length < MAX_REPOSITORIES; depth++) {
      const next: Array<string> = []
      for (const dir of level) {
        if (found.length >= MAX_REPOSITORIES) break
        if (yield* fs.exists(NodePath.join(dir, ".git")).pipe(Effect.orElseSucceed(() => false))) {
          found.push(dir)
          continue
        }
        const entries = yield* fs.readDirectory(dir).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
        for (const name of [...entries].sort()) {
          if (name.startsWith(".") || skipped.has(name)) continue
          const child = NodePath.join(dir, name)
          const info = yield* fs.stat(child).pipe(Effect.option)
          if (info._tag === "Some" && info.value.type === "Directory") next.push(child)
        }
      }
      level = next
    }
    return found.sort()
  })
