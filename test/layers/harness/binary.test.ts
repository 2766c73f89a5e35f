import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as NodePath from "node:path"
import { type BinaryRequest, packageBinDirs, resolveBinary } from "../../../src/layers/harness/binary.js"

const withBinDir = Effect.gen(function* () {
  const fs = yield* FileSystem.FileSystem
  const dir = yield* fs.makeTempDirectoryScoped({ prefix: "orch-bin-" })
  yield* fs.writeFileString(NodePath.join(dir, "agent"), "#!/bin/sh\necho hi\n")
  yield* fs.chmod(NodePath.join(dir, "agent"), 0o755)
  yield* fs.writeFileString(NodePath.join(dir, "notexec"), "data")
  return dir
})

const request = (overrides: Partial<BinaryRequest>): BinaryRequest => ({
  configKey: "runtime.codex_binary",
  value: "agent",
  allowUnsafeCommandPaths: false,
  searchPath: "",
  extraDirs: [],
  home: "/nonexistent-home",
  ...overrides
})

const failureMessage = (exit: Exit.Exit<string, { readonly message: string }>) =>
  Exit.match(exit, { onFailure: (cause) => String(cause), onSuccess: (path) => `resolved ${path}` })

describe("resolveBinary", () => {
  it.scoped("finds a bare name on PATH", () =>
    Effect.gen(function* () {
      const dir = yield* withBinDir
      const path = yield* resolveBinary(request({ searchPath: `/nonexistent:${dir}` }))
      expect(path).toBe(NodePath.join(dir, "agent"))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("falls back to the package's bin dirs", () =>
    Effect.gen(function* () {
      const dir = yield* withBinDir
      expect(yield* resolveBinary(request({ searchPath: "/nonexistent", extraDirs: [dir] }))).toBe(NodePath.join(dir, "agent"))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("the real codex is found through this package's node_modules/.bin", () =>
    Effect.gen(function* () {
      const path = yield* resolveBinary(request({ value: "codex", extraDirs: packageBinDirs() }))
      expect(NodePath.basename(path)).toBe("codex")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("a missing or non-executable binary names the config key", () =>
    Effect.gen(function* () {
      const dir = yield* withBinDir
      const missing = yield* Effect.exit(resolveBinary(request({ value: "nothere", searchPath: dir })))
      expect(failureMessage(missing)).toContain('runtime.codex_binary = "nothere": not found on PATH')
      const notExec = yield* Effect.exit(resolveBinary(request({ configKey: "runtime.opencode_binary", value: "notexec", searchPath: dir })))
      expect(failureMessage(notExec)).toContain("runtime.opencode_binary")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("a path is refused unless allow_unsafe_command_paths", () =>
    Effect.gen(function* () {
      const dir = yield* withBinDir
      const full = NodePath.join(dir, "agent")
      const refused = yield* Effect.exit(resolveBinary(request({ value: full })))
      expect(failureMessage(refused)).toContain("allow_unsafe_command_paths")
      expect(yield* resolveBinary(request({ value: full, allowUnsafeCommandPaths: true }))).toBe(full)
      expect(yield* resolveBinary(request({ value: "~/agent", home: dir, allowUnsafeCommandPaths: true }))).toBe(full)
      const shelly = yield* Effect.exit(resolveBinary(request({ value: "agent;ls", searchPath: dir })))
      expect(failureMessage(shelly)).toContain("not a command name")
    }).pipe(Effect.provide(NodeContext.layer)))
})
