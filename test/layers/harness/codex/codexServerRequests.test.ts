import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodePath from "node:path"
import { atLeast, codexHarness, makeCodexWorld, record, visibleTags } from "./codexFixture.js"

/** The harness with `fakeAppServer.mjs` standing in for codex. */
const fakeCodex = (runtime: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const world = yield* makeCodexWorld([])
    const binary = NodePath.join(world.dataDir, "fake-codex")
    const script = NodePath.join(import.meta.dirname, "fakeAppServer.mjs")
    yield* fs.writeFileString(binary, `#!/bin/sh\nexec '${process.execPath}' '${script}'\n`)
    yield* fs.chmod(binary, 0o755)
    const harness = yield* codexHarness(world, { codex_binary: binary, allow_unsafe_command_paths: true, ...runtime })
    return { world, harness }
  })

describe("harness.codex server requests (scripted app-server)", () => {
  it.scopedLive("a request without an answer times out and the spawn fails cleanly", () =>
    Effect.gen(function* () {
      const { harness, world } = yield* fakeCodex({ harness_server_startup_timeout_secs: 1 })
      const error = yield* Effect.flip(harness.spawn(world.spec({ env: { ...world.spec().env, FAKE_CODEX_SILENT: "1" } })))
      expect(error.message).toBe("harness.codex: thread/start failed: no answer within 1s")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("a question becomes needs-input, its answer goes back under the same id, unknown requests get -32601", () =>
    Effect.gen(function* () {
      const { harness, world } = yield* fakeCodex()
      const handle = yield* harness.spawn(world.spec())
      expect(handle.harnessSessionId).toBe("thr_fake")
      const recorder = yield* record(handle)
      yield* handle.sendInput("go")

      const asked = yield* recorder.waitFor(atLeast("NeedsInput"))
      const needsInput = asked.find((event) => event._tag === "NeedsInput")
      expect(needsInput).toEqual({
        _tag: "NeedsInput",
        requestId: "0",
        questions: [{
          id: "colour",
          question: "Which colour?",
          options: [{ label: "red", description: "warm" }, { label: "blue", description: "cool" }]
        }]
      })
      yield* handle.answerInput("0", { colour: "blue" })

      const events = yield* recorder.waitFor(atLeast("TurnCompleted"))
      expect(visibleTags(events)).toEqual([
        "TurnStarted", "PlanUpdated", "Reasoning", "NeedsInput", "WorkerArtifact", "Message", "TurnCompleted"
      ])
      expect(events.find((event) => event._tag === "PlanUpdated")).toMatchObject({
        steps: [{ step: "look", status: "completed" }, { step: "ask", status: "in_progress" }]
      })
      expect(events.find((event) => event._tag === "WorkerArtifact")).toMatchObject({ kind: "diff", content: "diff --git a/x b/x\n" })
      expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", usage: { input: 5, output: 2, total: 7 } })

      // The fake echoes what it received for each of its request ids.
      const echoed = events.find((event) => event._tag === "Message")
      expect(JSON.parse(echoed?._tag === "Message" ? echoed.text : "{}")).toEqual({
        0: { answers: { colour: { answers: ["blue"] } } },
        1: { error: { code: -32601, message: "orchestrator does not handle item/permissions/requestApproval" } }
      })
    }).pipe(Effect.provide(NodeContext.layer)))
})
