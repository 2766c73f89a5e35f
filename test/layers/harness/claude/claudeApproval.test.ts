import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodePath from "node:path"
import type { ApprovalDecision } from "../../../../src/services/Harness.js"
import { bash, text, tool } from "../../../fakes/modelServer/messagesScript.js"
import { atLeast, record } from "../codex/codexFixture.js"
import { claudeHarness, makeClaudeWorld } from "./claudeFixture.js"

/** Asks for `touch approved.txt` under `on-request`, answers the approval, returns what followed. */
const approvalRoundTrip = (decision: ApprovalDecision) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const world = yield* makeClaudeWorld([bash("touch approved.txt"), text("Finished.")])
    const handle = yield* (yield* claudeHarness(world)).spawn(world.spec({ approvalPolicy: "on-request" }))
    const recorder = yield* record(handle)
    yield* handle.sendInput("create approved.txt")
    const asked = yield* recorder.waitFor(atLeast("ApprovalRequested"))
    const approval = asked.find((event) => event._tag === "ApprovalRequested")
    expect(approval).toMatchObject({ kind: "command", cwd: world.repo, subject: "touch approved.txt" })
    // Nothing runs while the person has not answered.
    expect(yield* fs.exists(NodePath.join(world.repo, "approved.txt"))).toBe(false)

    const requestId = approval?._tag === "ApprovalRequested" ? approval.requestId : ""
    yield* handle.answerApproval(requestId, decision)
    const events = yield* recorder.waitFor(atLeast("TurnCompleted"))
    const command = events.filter((event) => event._tag === "CommandExecution").at(-1)
    const requests = yield* world.server.requests
    return { events, command, requestId, requests, fileExists: yield* fs.exists(NodePath.join(world.repo, "approved.txt")), handle }
  })

describe("harness.claude approvals with the real Claude Code binary", () => {
  it.scopedLive("accepting an approval lets the command run", () =>
    Effect.gen(function* () {
      const { command, events, fileExists } = yield* approvalRoundTrip("accept")
      expect(command).toMatchObject({ status: "completed", exitCode: 0 })
      expect(fileExists).toBe(true)
      expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scopedLive("declining an approval keeps the command from running and tells the model", () =>
    Effect.gen(function* () {
      const { command, fileExists, handle, requestId, requests } = yield* approvalRoundTrip("decline")
      expect(command).toMatchObject({ status: "declined", exitCode: null })
      expect(fileExists).toBe(false)
      expect(JSON.stringify(requests.at(-1))).toContain("The person declined this.")
      // The request was answered once; answering it again is an error, not a second reply.
      const again = yield* Effect.flip(handle.answerApproval(requestId, "accept"))
      expect(again.message).toContain("no pending approval request")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)

  it.scopedLive("a file write asks as a file change; under `never` nothing is asked", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const world = yield* makeClaudeWorld([])
      const target = NodePath.join(world.repo, "notes.txt")
      yield* world.server.push(tool("Write", { file_path: target, content: "n\n" }), text("Wrote it."))
      const harness = yield* claudeHarness(world)
      const asking = yield* harness.spawn(world.spec({ approvalPolicy: "untrusted" }))
      const recorder = yield* record(asking)
      yield* asking.sendInput("write notes")
      const asked = (yield* recorder.waitFor(atLeast("ApprovalRequested"))).find((event) => event._tag === "ApprovalRequested")
      expect(asked).toMatchObject({ kind: "fileChange", subject: target })
      yield* asking.answerApproval(asked?._tag === "ApprovalRequested" ? asked.requestId : "", "accept")
      yield* recorder.waitFor(atLeast("TurnCompleted"))
      expect(yield* fs.readFileString(target)).toBe("n\n")
      yield* asking.kill

      // A new file: Claude Code refuses to overwrite one it has not read in the session.
      const second = NodePath.join(world.repo, "more.txt")
      yield* world.server.push(tool("Write", { file_path: second, content: "again\n" }), text("Wrote it again."))
      const trusting = yield* harness.spawn(world.spec({ approvalPolicy: "never" }))
      const quiet = yield* record(trusting)
      yield* trusting.sendInput("write notes again")
      const events = yield* quiet.waitFor(atLeast("TurnCompleted"))
      expect(events.filter((event) => event._tag === "ApprovalRequested")).toEqual([])
      expect(yield* fs.readFileString(second)).toBe("again\n")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
})

describe("harness.claude questions with the real Claude Code binary", () => {
  it.scopedLive("AskUserQuestion reaches the person and their answer reaches the model", () =>
    Effect.gen(function* () {
      const world = yield* makeClaudeWorld([
        tool("AskUserQuestion", {
          questions: [{ question: "Which color?", header: "Color", multiSelect: false, options: [{ label: "Red", description: "warm" }, { label: "Blue", description: "cool" }] }]
        }),
        text("Blue it is.")
      ])
      const handle = yield* (yield* claudeHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("pick a color")
      const asked = (yield* recorder.waitFor(atLeast("NeedsInput"))).find((event) => event._tag === "NeedsInput")
      expect(asked).toMatchObject({
        questions: [{ id: "Which color?", question: "Which color?", options: [{ label: "Red", description: "warm" }, { label: "Blue", description: "cool" }] }]
      })
      yield* handle.answerInput(asked?._tag === "NeedsInput" ? asked.requestId : "", { "Which color?": "Blue" })
      const events = yield* recorder.waitFor(atLeast("TurnCompleted"))
      expect(events.at(-1)).toMatchObject({ status: "completed" })
      const answered = JSON.stringify((yield* world.server.requests).at(-1))
      expect(answered).toContain("Which color?")
      expect(answered).toContain("Blue")
    }).pipe(Effect.provide(NodeContext.layer)), 60_000)
})
