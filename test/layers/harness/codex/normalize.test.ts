import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { normalizeNotification } from "../../../../src/layers/harness/codex/normalize.js"
import { Incoming, tagIncoming } from "../../../../src/layers/harness/codex/protocol.js"

const events = (method: string, params: unknown) =>
  Either.getOrThrow(normalizeNotification(method, params, null)).events

describe("codex notification mapping", () => {
  it("maps file changes from proposed to applied or declined", () => {
    const item = (status: string) => ({
      item: { type: "fileChange", id: "fc", status, changes: [{ path: "/r/a.txt", kind: { type: "add" }, diff: "x" }] }
    })
    expect(events("item/started", item("inProgress"))).toEqual([
      { _tag: "FileChange", itemId: "fc", status: "proposed", changes: [{ path: "/r/a.txt", kind: "add" }] }
    ])
    expect(events("item/completed", item("completed"))[0]).toMatchObject({ status: "applied" })
    expect(events("item/completed", item("declined"))[0]).toMatchObject({ status: "declined" })
  })

  it("reads a provider's JSON error body down to its message and marks the turn as a failure", () => {
    const result = Either.getOrThrow(normalizeNotification("turn/completed", {
      turn: { id: "t", status: "failed", error: { message: "{\"error\":{\"message\":\"quota exceeded\"}}" } }
    }, { input: 1, output: 2, total: 3 }))
    expect(result.events).toEqual([
      { _tag: "TurnCompleted", turnId: "t", status: "failed", usage: { input: 1, output: 2, total: 3 }, error: "quota exceeded" }
    ])
    expect(result.failure).toBe("quota exceeded")
  })

  it("keeps absolute usage from `total`, not `last`", () => {
    const breakdown = (n: number) => ({ totalTokens: n, inputTokens: n - 1, outputTokens: 1, cachedInputTokens: 0 })
    const result = normalizeNotification("thread/tokenUsage/updated", { tokenUsage: { total: breakdown(300), last: breakdown(150) } }, null)
    expect(Either.getOrThrow(result).usage).toEqual({ input: 299, output: 1, total: 300 })
  })

  it("reports a known notification it cannot read, and ignores unknown ones", () => {
    expect(Either.isLeft(normalizeNotification("turn/started", { turn: {} }, null))).toBe(true)
    expect(events("account/rateLimits/updated", { anything: 1 })).toEqual([])
  })

  it("classifies lines by their envelope: server requests carry both a method and an id", () => {
    const decode = (value: unknown) => Schema.decodeUnknownSync(Incoming)(tagIncoming(value))._tag
    expect(decode({ method: "item/tool/requestUserInput", id: 0, params: {} })).toBe("ServerRequest")
    expect(decode({ method: "turn/started", params: {} })).toBe("Notification")
    expect(decode({ id: 3, result: {} })).toBe("Success")
    expect(decode({ id: 3, error: { code: -32600, message: "no active turn to interrupt" } })).toBe("Failure")
  })
})
