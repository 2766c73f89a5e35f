import { describe, expect, it } from "@effect/vitest"
import { SessionTranslator } from "../../../../src/layers/harness/opencode/translate.js"
import { decodeFrameData, type OpenCodeEvent } from "../../../../src/layers/harness/opencode/wire.js"

const S = "ses_1"
const M = "msg_a"

/** Frames shaped as `/global/event` sends them (copied from the 1.18.33 transcripts). */
const frame = (type: string, properties: Record<string, unknown>): OpenCodeEvent => {
  const decoded = decodeFrameData({ directory: "/repo", project: "global", payload: { id: "evt_x", type, properties } })
  if (decoded._tag !== "Event") throw new Error(`does not decode: ${JSON.stringify(decoded)}`)
  return decoded.event
}
const busy = frame("session.status", { sessionID: S, status: { type: "busy" } })
const idle = frame("session.idle", { sessionID: S })
const bash = (status: Record<string, unknown>, callID = "call_1") =>
  frame("message.part.updated", {
    part: { id: "prt_tool", sessionID: S, messageID: M, type: "tool", tool: "bash", callID, state: status }
  })

const run = (translator: SessionTranslator, events: ReadonlyArray<OpenCodeEvent>) => events.flatMap((e) => translator.translate(e))

describe("OpenCode event translation", () => {
  it("ignores unknown event types and reports known ones that do not decode", () => {
    expect(decodeFrameData({ payload: { type: "plugin.added", properties: { id: "x" } } })._tag).toBe("Ignored")
    expect(decodeFrameData({ payload: { type: "session.idle", properties: {} } })._tag).toBe("Undecodable")
  })

  it("a stray idle before the new turn is busy does not end it", () => {
    const t = new SessionTranslator("/repo")
    expect(t.beginTurn()).toEqual([{ _tag: "TurnStarted", turnId: "turn-1" }])
    expect(run(t, [idle])).toEqual([])
    expect(t.beginTurn()).toEqual([]) // joins the running turn
    expect(run(t, [busy, idle])).toMatchObject([{ _tag: "TurnCompleted", turnId: "turn-1", status: "completed" }])
    expect(run(t, [idle])).toEqual([])
  })

  it("after a model error the turn ends only when the agent message closes (a prompt sent earlier is lost)", () => {
    const t = new SessionTranslator("/repo")
    t.beginTurn()
    const open = frame("message.updated", { info: { id: M, sessionID: S, role: "assistant", time: { created: 1 } } })
    const apiError = { name: "APIError", data: { message: "Invalid model", statusCode: 400 } }
    expect(run(t, [busy, open, frame("session.error", { sessionID: S, error: apiError }), idle])).toEqual([])
    const closed = frame("message.updated", { info: { id: M, sessionID: S, role: "assistant", time: { created: 1, completed: 2 } } })
    expect(run(t, [closed, idle])).toMatchObject([{ _tag: "TurnCompleted", status: "failed", error: "Invalid model" }])
  })

  it("streams command output as deltas and reports the exit code", () => {
    const t = new SessionTranslator("/repo")
    t.beginTurn()
    const input = { command: "make test", description: "run" }
    const events = run(t, [
      busy,
      bash({ status: "pending", input: {} }),
      bash({ status: "running", input, metadata: { output: "ok 1\n" } }),
      bash({ status: "running", input, metadata: { output: "ok 1\nok 2\n" } }),
      bash({ status: "completed", input, output: "ok 1\nok 2\nfail\n", metadata: { exit: 2 } })
    ])
    expect(events).toEqual([
      { _tag: "CommandExecution", itemId: "prt_tool", command: "make test", cwd: "/repo", status: "running", output: "", exitCode: null },
      { _tag: "CommandOutputDelta", itemId: "prt_tool", text: "ok 1\n" },
      { _tag: "CommandOutputDelta", itemId: "prt_tool", text: "ok 2\n" },
      { _tag: "CommandExecution", itemId: "prt_tool", command: "make test", cwd: "/repo", status: "failed", output: "ok 1\nok 2\nfail\n", exitCode: 2 }
    ])
  })

  it("a rejected permission makes the command declined; usage adds up over steps", () => {
    const t = new SessionTranslator("/repo", { input: 10, output: 1, total: 11 })
    t.beginTurn()
    const input = { command: "rm -rf build" }
    const events = run(t, [
      busy,
      frame("permission.asked", {
        id: "per_1",
        sessionID: S,
        permission: "bash",
        patterns: ["rm -rf build"],
        metadata: { command: "rm -rf build" },
        tool: { messageID: M, callID: "call_1" }
      }),
      bash({ status: "running", input }),
      frame("permission.replied", { sessionID: S, requestID: "per_1", reply: "reject" }),
      bash({ status: "error", input, error: "The user rejected permission to use this specific tool call." }),
      frame("message.part.updated", {
        part: { id: "prt_sf", sessionID: S, messageID: M, type: "step-finish", tokens: { total: 120, input: 100, output: 20, reasoning: 0 } }
      }),
      idle
    ])
    expect(events[0]).toEqual({ _tag: "ApprovalRequested", requestId: "per_1", kind: "command", subject: "rm -rf build", cwd: "/repo", reason: null })
    expect(events.filter((e) => e._tag === "CommandExecution").map((e) => e._tag === "CommandExecution" && e.status)).toEqual([
      "running",
      "declined"
    ])
    expect(events.at(-1)).toEqual({
      _tag: "TurnCompleted",
      turnId: "turn-1",
      status: "completed",
      usage: { input: 110, output: 21, total: 131 },
      error: null
    })
  })

  it("an abort ends the turn as interrupted and closes the command still running", () => {
    const t = new SessionTranslator("/repo")
    t.beginTurn()
    const events = run(t, [
      busy,
      bash({ status: "running", input: { command: "sleep 100" } }),
      frame("session.error", { sessionID: S, error: { name: "MessageAbortedError", data: { message: "Aborted" } } }),
      idle,
      bash({ status: "error", input: { command: "sleep 100" }, error: "Tool execution aborted" })
    ])
    expect(events.slice(1)).toMatchObject([
      { _tag: "CommandExecution", status: "failed", exitCode: null },
      { _tag: "TurnCompleted", status: "interrupted", error: null }
    ])
  })

  it("only the agent's finished text parts become messages; questions and todos map over", () => {
    const t = new SessionTranslator("/repo")
    const events = run(t, [
      frame("message.updated", { info: { id: "msg_u", sessionID: S, role: "user" } }),
      frame("message.part.updated", { part: { id: "prt_u", sessionID: S, messageID: "msg_u", type: "text", text: "hi", time: { start: 1, end: 2 } } }),
      frame("message.updated", { info: { id: M, sessionID: S, role: "assistant" } }),
      frame("message.part.updated", { part: { id: "prt_r", sessionID: S, messageID: M, type: "reasoning", text: "", time: { start: 1 } } }),
      frame("message.part.delta", { sessionID: S, messageID: M, partID: "prt_r", field: "text", delta: "thinking" }),
      frame("message.part.updated", { part: { id: "prt_t", sessionID: S, messageID: M, type: "text", text: "Hello", time: { start: 1, end: 2 } } }),
      frame("question.asked", {
        id: "que_1",
        sessionID: S,
        questions: [{ question: "Which db?", header: "DB", options: [{ label: "sqlite", description: "local" }] }]
      }),
      frame("todo.updated", { sessionID: S, todos: [{ content: "write tests", status: "in_progress", priority: "high" }] })
    ])
    expect(events).toEqual([
      { _tag: "ReasoningDelta", itemId: "prt_r", text: "thinking" },
      { _tag: "Message", itemId: "prt_t", text: "Hello" },
      { _tag: "NeedsInput", requestId: "que_1", questions: [{ id: "0", question: "Which db?", options: [{ label: "sqlite", description: "local" }] }] },
      { _tag: "PlanUpdated", steps: [{ step: "write tests", status: "in_progress" }] }
    ])
  })
})
