import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { resolveBinary } from "../../../../src/layers/harness/binary.js"
import { claudePackageDirs, claudePlatformPackage } from "../../../../src/layers/harness/claude/platformPackage.js"

describe("Claude Code's platform package", () => {
  it("names the package of each platform npm publishes, musl only on Linux", () => {
    expect(claudePlatformPackage("linux", "x64", false)).toBe("@anthropic-ai/claude-code-linux-x64")
    expect(claudePlatformPackage("linux", "arm64", true)).toBe("@anthropic-ai/claude-code-linux-arm64-musl")
    expect(claudePlatformPackage("darwin", "arm64", true)).toBe("@anthropic-ai/claude-code-darwin-arm64")
  })

  it.effect("a bare `claude` not on PATH is found in the installed platform package", () =>
    Effect.gen(function* () {
      const path = yield* resolveBinary({
        configKey: "runtime.claude_binary",
        value: "claude",
        allowUnsafeCommandPaths: false,
        searchPath: "",
        extraDirs: claudePackageDirs()
      })
      expect(path).toMatch(/node_modules\/@anthropic-ai\/claude-code-linux-(x64|arm64)(-musl)?\/claude$/)
      const missing = yield* Effect.flip(resolveBinary({ configKey: "runtime.claude_binary", value: "claude", allowUnsafeCommandPaths: false, searchPath: "", extraDirs: [] }))
      expect(missing.message).toContain("runtime.claude_binary")
    }).pipe(Effect.provide(NodeContext.layer)))
})
