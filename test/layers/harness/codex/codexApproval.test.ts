import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodePath from "node:path"
import type { ApprovalDecision } from "../../../../src/services/Harness.js"
import { exec, message } from "../../../fakes/modelServer/responsesScript.js"
import { atLeast, codexHarness, makeCodexWorld, record } from "./codexFixture.js"

/** Asks for `touch approved.txt` under `untrusted`, answers the approval, returns what followed. */
const approvalRoundTrip = (decision: ApprovalDecision) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const world = yield* makeCodexWorld([exec("touch approved.txt"), message("Finished.")])
    const handle = yield* (yield* codexHarness(world)).spawn(world.spec({ approvalPolicy: "untrusted", sandbox: "workspace-write" }))
    const recorder = yield* record(handle)
    yield* handle.sendInput("create approved.txt")
    const asked = yield* recorder.waitFor(atLeast("ApprovalRequested"))
    const approval = asked.find((event) => event._tag === "ApprovalRequested")
    expect(approval).toMatchObject({ kind: "command", cwd: world.repo })
    expect(approval?._tag === "ApprovalRequested" && approval.subject).toContain("touch approved.txt")
    // Nothing runs while the person has not answered.
    expect(yield* fs.exists(NodePath.join(world.repo, "approved.txt"))).toBe(false)

    yield* handle.answerApproval(approval?._tag === "ApprovalRequested" ? approval.requestId : "", decision)
    const events = yield* recorder.waitFor(atLeast("TurnCompleted"))
    const command = events.filter((event) => event._tag === "CommandExecution").at(-1)
    return { events, command, fileExists: yield* fs.exists(NodePath.join(world.repo, "approved.txt")), handle }
  })

describe("harness.codex approvals with the real codex app-server", () => {
  it.scopedLive("accepting an approval lets the command run", () =>
    Effect.gen(function* () {
      const { command, events, fileExists } = yield* approvalRoundTrip("accept")
      expect(command).toMatchObject({ status: "completed", exitCode: 0 })
      expect(fileExists).toBe(true)
      expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("declining an approval keeps the command from running", () =>
    Effect.gen(function* () {
      const { command, fileExists, handle } = yield* approvalRoundTrip("decline")
      expect(command).toMatchObject({ status: "declined", exitCode: null })
      expect(fileExists).toBe(false)
      // The request was answered once; answering it again is an error, not a second reply.
      const again = yield* Effect.flip(handle.answerApproval("0", "accept"))
      expect(again.message).toContain("no pending approval request")
    }).pipe(Effect.provide(NodeContext.layer)))
})
