import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { codexHarness, makeCodexWorld } from "./codexFixture.js"
import { parentVariables } from "../harnessWorld.js"

/** The environment `codex app-server` is spawned with, as a stand-in binary records it (`NAME=value` lines). */
const spawnedEnvironment = (runtime: Record<string, unknown>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const world = yield* makeCodexWorld([])
    const out = `${world.dataDir}/env.txt`
    const binary = `${world.dataDir}/env-codex`
    yield* fs.writeFileString(binary, `#!/bin/sh\nenv > '${out}'\nexit 3\n`)
    yield* fs.chmod(binary, 0o755)
    const harness = yield* codexHarness(world, { codex_binary: binary, allow_unsafe_command_paths: true, ...runtime })
    yield* Effect.flip(harness.spawn(world.spec({ env: { GH_TOKEN: "gho_extra", MOCK_API_KEY: "mock-key" } })))
    const lines = (yield* fs.readFileString(out)).split("\n")
    return new Set(lines.map((line) => line.slice(0, line.indexOf("="))))
  })

describe("harness.codex: the agent's environment", () => {
  it.scopedLive("loses GITHUB_TOKEN, GH_TOKEN and orchestrator's secrets by default; agent_env_remove replaces the list", () =>
    Effect.gen(function* () {
      yield* parentVariables({ GITHUB_TOKEN: "ghp_person", LINEAR_API_KEY: "lin_secret", NPM_TOKEN: "npm_person" })
      const byDefault = yield* spawnedEnvironment({})
      expect(byDefault.has("MOCK_API_KEY")).toBe(true)
      expect(byDefault.has("NPM_TOKEN")).toBe(true)
      expect([...byDefault].filter((name) => ["GITHUB_TOKEN", "GH_TOKEN", "LINEAR_API_KEY"].includes(name))).toEqual([])
      const ownList = yield* spawnedEnvironment({ agent_env_remove: ["NPM_TOKEN"] })
      expect(ownList.has("NPM_TOKEN")).toBe(false)
      expect(ownList.has("GITHUB_TOKEN") && ownList.has("GH_TOKEN")).toBe(true)
      expect(ownList.has("LINEAR_API_KEY")).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer)))
})
