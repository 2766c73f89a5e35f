import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodePath from "node:path"
import type { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { harnessLogPaths } from "../../../../src/layers/harness/jsonlLog.js"
import { bash, text, tool, usagePerMessage } from "../../../fakes/modelServer/messagesScript.js"
import { count, record, visibleTags } from "../codex/codexFixture.js"
import { claudeHarness, dummyApiKey, makeClaudeWorld } from "./claudeFixture.js"

const byTag = <T extends WorkerEvent["_tag"]>(events: ReadonlyArray<WorkerEvent>, tag: T) =>
  events.filter((event): event is Extract<WorkerEvent, { _tag: T }> => event._tag === tag)

describe("harness.claude against the real Claude Code binary", () => {
  it.scopedLive("runs a command, writes a file, keeps a plan, answers, and takes a second turn in the same session", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const world = yield* makeClaudeWorld([])
      yield* world.server.push(
        {
          kind: "output",
          blocks: [
            { kind: "thinking", text: "First list the files." },
            { kind: "tool", name: "Bash", input: { command: "echo listing && ls", description: "list files" } }
          ]
        },
        tool("Write", { file_path: NodePath.join(world.repo, "hello.txt"), content: "hello from claude\n" }),
        tool("TodoWrite", { todos: [{ content: "Write hello.txt", status: "completed", activeForm: "Writing" }, { content: "Report", status: "in_progress", activeForm: "Reporting" }] }),
        bash("exit 3"),
        text("I wrote hello.txt."),
        text("Second answer.")
      )
      const harness = yield* claudeHarness(world, { harness_log_raw_events: true, harness_log_normalized_events: true })
      expect(yield* harness.health).toMatch(/^2\.\d+\.\d+ \(Claude Code\)$/)

      const handle = yield* harness.spawn(world.spec())
      expect(handle.harnessSessionId).toMatch(/^[0-9a-f-]{36}$/)
      const recorder = yield* record(handle)
      yield* handle.sendInput("Please write hello.txt")
      const first = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 1)

      expect(visibleTags(first)).toEqual([
        "TurnStarted",
        "Reasoning",
        "CommandExecution",
        "CommandExecution",
        "FileChange",
        "FileChange",
        "PlanUpdated",
        "CommandExecution",
        "CommandExecution",
        "Message",
        "TurnCompleted"
      ])
      expect(byTag(first, "Reasoning")[0]?.text).toBe("First list the files.")
      expect(byTag(first, "ReasoningDelta").map((delta) => delta.text).join("")).toBe("First list the files.")
      const [running, listed, , failed] = byTag(first, "CommandExecution")
      expect(running).toMatchObject({ status: "running", exitCode: null, cwd: world.repo, command: "echo listing && ls" })
      expect(listed).toMatchObject({ status: "completed", exitCode: 0 })
      expect(listed?.output).toContain("listing")
      expect(listed?.output).toContain("README.md")
      expect(failed).toMatchObject({ status: "failed", exitCode: 3, command: "exit 3" })
      expect(byTag(first, "FileChange")).toMatchObject([
        { status: "proposed", changes: [{ path: "hello.txt", kind: "add" }] },
        { status: "applied", changes: [{ path: "hello.txt", kind: "add" }] }
      ])
      expect(byTag(first, "PlanUpdated")[0]?.steps).toEqual([
        { step: "Write hello.txt", status: "completed" },
        { step: "Report", status: "in_progress" }
      ])
      expect(byTag(first, "TextDelta").map((delta) => delta.text).join("")).toBe("I wrote hello.txt.")
      expect(byTag(first, "Message")[0]?.text).toBe("I wrote hello.txt.")
      // Five model requests in the turn; Claude Code sums their usage in its result.
      expect(byTag(first, "TurnCompleted")[0]).toMatchObject({
        status: "completed",
        error: null,
        usage: { input: 5 * usagePerMessage.input, output: 5 * usagePerMessage.output, total: 5 * usagePerMessage.total }
      })
      expect(yield* fs.readFileString(NodePath.join(world.repo, "hello.txt"))).toBe("hello from claude\n")

      yield* handle.sendInput("And now?")
      const second = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 2)
      const turns = byTag(second, "TurnStarted").map((event) => event.turnId)
      expect(turns).toHaveLength(2)
      expect(turns[0]).not.toBe(turns[1])
      expect(byTag(second, "Message").map((m) => m.text)).toEqual(["I wrote hello.txt.", "Second answer."])
      expect(byTag(second, "TurnCompleted")[1]?.usage?.total).toBe(6 * usagePerMessage.total)

      // Same session: the sixth request carries the first turn's conversation and the instructions.
      const requests = yield* world.server.requests
      expect(requests).toHaveLength(6)
      const sixth = JSON.stringify(requests[5])
      expect(sixth).toContain("Please write hello.txt")
      expect(sixth).toContain("I wrote hello.txt.")
      expect(sixth).toContain("And now?")
      expect(sixth).toContain("You work on the test repository.")

      yield* handle.kill
      yield* recorder.ended
      expect(count("Crashed")(yield* recorder.events)).toBe(0)

      const logs = harnessLogPaths(world.dataDir, handle.sessionId)
      const raw = yield* fs.readFileString(logs.raw)
      expect(raw).toContain('"subtype":"can_use_tool"')
      expect(raw).toContain('"type":"stream_event"')
      const normalized = (yield* fs.readFileString(logs.normalized)).trim().split("\n")
      expect(normalized.length).toBe(second.length)
      expect(raw).not.toContain(dummyApiKey)
    }).pipe(Effect.provide(NodeContext.layer)), 120_000)
})
