import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodePath from "node:path"
import type { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { harnessLogPaths } from "../../../../src/layers/harness/jsonlLog.js"
import { exec, message, usagePerResponse } from "../../../fakes/modelServer/responsesScript.js"
import { codexHarness, count, makeCodexWorld, record, runningCommand, visibleTags } from "./codexFixture.js"

const byTag = <T extends WorkerEvent["_tag"]>(events: ReadonlyArray<WorkerEvent>, tag: T) =>
  events.filter((event): event is Extract<WorkerEvent, { _tag: T }> => event._tag === tag)

describe("harness.codex against the real codex app-server", () => {
  it.scopedLive("runs a command that writes a file, answers, and takes a second turn on the same thread", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const world = yield* makeCodexWorld([
        exec("printf 'hello from codex' > hello.txt"),
        message("I wrote hello.txt."),
        message("Second answer.")
      ])
      const harness = yield* codexHarness(world, { harness_log_raw_events: true, harness_log_normalized_events: true })
      expect(yield* harness.health).toMatch(/codex-cli 0\.\d+/)

      const handle = yield* harness.spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("Please write hello.txt")
      const first = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 1)

      expect(visibleTags(first)).toEqual(["TurnStarted", "CommandExecution", "CommandExecution", "Message", "TurnCompleted"])
      const [running, done] = byTag(first, "CommandExecution")
      expect(running).toMatchObject({ status: "running", exitCode: null, cwd: world.repo })
      expect(done?.command).toContain("hello.txt")
      expect(done).toMatchObject({ status: "completed", exitCode: 0 })
      expect(byTag(first, "TextDelta").map((delta) => delta.text).join("")).toBe("I wrote hello.txt.")
      expect(byTag(first, "Message")[0]?.text).toBe("I wrote hello.txt.")
      const turn1 = byTag(first, "TurnCompleted")[0]
      expect(turn1).toMatchObject({
        status: "completed",
        error: null,
        usage: { input: 2 * usagePerResponse.input, output: 2 * usagePerResponse.output, total: 2 * usagePerResponse.total }
      })
      expect(yield* fs.readFileString(NodePath.join(world.repo, "hello.txt"))).toBe("hello from codex")

      yield* handle.sendInput("And now?")
      const second = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 2)
      const turns = byTag(second, "TurnStarted").map((event) => event.turnId)
      expect(turns).toHaveLength(2)
      expect(turns[0]).not.toBe(turns[1])
      expect(byTag(second, "Message").map((m) => m.text)).toEqual(["I wrote hello.txt.", "Second answer."])
      expect(byTag(second, "TurnCompleted")[1]?.usage?.total).toBe(3 * usagePerResponse.total)

      // Same thread: the third model request carries the first turn's conversation.
      const requests = yield* world.server.requests
      expect(requests).toHaveLength(3)
      const third = JSON.stringify(requests[2])
      expect(third).toContain("Please write hello.txt")
      expect(third).toContain("I wrote hello.txt.")
      expect(third).toContain("And now?")
      expect(third).toContain("You work on the test repository.")

      yield* handle.kill
      yield* recorder.ended
      expect(count("Crashed")(yield* recorder.events)).toBe(0)

      const logs = harnessLogPaths(world.dataDir, handle.sessionId)
      const raw = yield* fs.readFileString(logs.raw)
      expect(raw).toContain('"method":"turn/start"')
      expect(raw).toContain('"method":"item/agentMessage/delta"')
      const normalized = (yield* fs.readFileString(logs.normalized)).trim().split("\n")
      expect(normalized.length).toBe(second.length)
      expect(raw).not.toContain("mock-key")
    }).pipe(Effect.provide(NodeContext.layer)))
})

describe("harness.codex steering", () => {
  it.scopedLive("input while a turn runs steers that turn instead of starting another", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([exec("sleep 2"), message("Steered answer.")])
      const handle = yield* (yield* codexHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("start something slow")
      yield* recorder.waitFor(runningCommand)
      yield* handle.sendInput("also mention the weather")
      const events = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 1)
      expect(count("TurnStarted")(events)).toBe(1)
      expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
      const requests = yield* world.server.requests
      expect(JSON.stringify(requests.at(-1))).toContain("also mention the weather")
    }).pipe(Effect.provide(NodeContext.layer)))
})
