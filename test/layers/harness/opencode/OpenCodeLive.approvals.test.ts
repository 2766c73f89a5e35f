import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import type { ApprovalDecision } from "../../../../src/services/Harness.js"
import { eventsUntil, openCodeHarness, setup, spec, turnCompleted } from "./fixture.js"

const roundTrip = (decision: ApprovalDecision, file: string) =>
  Effect.gen(function* () {
    const command = `printf approved > ${file}`
    const { ws } = yield* setup([
      { kind: "bash", command },
      { kind: "text", text: "Finished." }
    ])
    const harness = yield* openCodeHarness(ws)
    const handle = yield* harness.spawn(spec(ws, { approvalPolicy: "on-request" }))
    yield* handle.sendInput("write the file")
    const asked = yield* eventsUntil(handle, (e) => e._tag === "ApprovalRequested")
    const approval = asked.at(-1)
    expect(approval).toMatchObject({ _tag: "ApprovalRequested", kind: "command", subject: command, cwd: ws.repo })
    // Nothing ran while the question was open.
    expect(fs.existsSync(path.join(ws.repo, file))).toBe(false)
    if (approval?._tag !== "ApprovalRequested") return yield* Effect.dieMessage("no approval")
    yield* handle.answerApproval(approval.requestId, decision)
    const rest = yield* eventsUntil(handle, turnCompleted)
    yield* handle.kill
    return { rest, written: fs.existsSync(path.join(ws.repo, file)) }
  })

describe("OpenCode approvals with the real opencode serve", () => {
  it.scopedLive(
    "on-request: accepting the approval lets the command run",
    () =>
      Effect.gen(function* () {
        const { rest, written } = yield* roundTrip("accept", "approved.txt")
        expect(written).toBe(true)
        expect(rest.filter((e) => e._tag === "CommandExecution").at(-1)).toMatchObject({ status: "completed", exitCode: 0 })
        expect(rest.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
      }),
    120_000
  )

  it.scopedLive(
    "on-request: declining the approval keeps the command from running",
    () =>
      Effect.gen(function* () {
        const { rest, written } = yield* roundTrip("decline", "declined.txt")
        expect(written).toBe(false)
        expect(rest.filter((e) => e._tag === "CommandExecution").at(-1)).toMatchObject({ status: "declined", exitCode: null })
        expect(rest.at(-1)?._tag).toBe("TurnCompleted")
      }),
    120_000
  )
})
