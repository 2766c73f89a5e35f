import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { claudeHarness, makeClaudeWorld } from "./claudeFixture.js"
import { parentVariables } from "../harnessWorld.js"

describe("harness.claude: the agent's process", () => {
  it.scopedLive("loses orchestrator's secrets and GH tokens, keeps the session's own variables, and gets the stream-json arguments", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      yield* parentVariables({ GITHUB_TOKEN: "ghp_person", LINEAR_API_KEY: "lin_secret", OPENROUTER_API_KEY: "or_secret", NPM_TOKEN: "npm_person" })
      const world = yield* makeClaudeWorld([])
      const out = `${world.dataDir}/env.txt`
      const binary = `${world.dataDir}/env-claude`
      // A stand-in that records its environment and arguments, then exits like a broken binary.
      yield* fs.writeFileString(binary, `#!/bin/sh\nenv > '${out}'\nprintf 'ARGS=%s\\n' "$*" >> '${out}'\nexit 3\n`)
      yield* fs.chmod(binary, 0o755)
      const harness = yield* claudeHarness(world, { claude_binary: binary, allow_unsafe_command_paths: true })
      const spec = world.spec({ sandbox: "read-only", env: { ...world.spec().env, GH_TOKEN: "gho_extra" } })
      const failure = yield* Effect.flip(harness.spawn(spec))
      expect(failure.message).toContain("exited with code 3")

      const lines = (yield* fs.readFileString(out)).split("\n")
      const names = new Set(lines.map((line) => line.slice(0, line.indexOf("="))))
      expect([...names].filter((name) => ["GITHUB_TOKEN", "GH_TOKEN", "LINEAR_API_KEY", "OPENROUTER_API_KEY"].includes(name))).toEqual([])
      expect(names.has("NPM_TOKEN") && names.has("ANTHROPIC_BASE_URL")).toBe(true)
      expect(lines).toContain("CLAUDE_CODE_ENABLE_TASKS=false")
      const args = lines.find((line) => line.startsWith("ARGS=")) ?? ""
      expect(args).toContain("--print --input-format stream-json --output-format stream-json --verbose")
      expect(args).toContain("--permission-prompt-tool stdio")
      expect(args).toMatch(/--session-id [0-9a-f-]{36}/)
      expect(args).toContain("--append-system-prompt You work on the test repository.")
      expect(args).toContain("--disallowed-tools Write,Edit,MultiEdit,NotebookEdit")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
})
