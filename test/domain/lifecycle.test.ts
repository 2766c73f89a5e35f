import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { canTransition, stateAfterEvent, transition } from "../../src/domain/lifecycle.js"
import type { SessionState } from "../../src/domain/session.js"

const states: ReadonlyArray<SessionState> = ["Starting", "Running", "Idle", "WaitingForUser", "Done", "Crashed", "Killed"]

describe("session lifecycle table", () => {
  it("allows exactly the moves of SPEC §4 and nothing out of a terminal state", () => {
    const allowed = states.flatMap((from) => states.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`))
    expect(allowed).toEqual([
      "Starting->Running",
      "Starting->Idle",
      "Starting->Crashed",
      "Starting->Killed",
      "Running->Idle",
      "Running->WaitingForUser",
      "Running->Done",
      "Running->Crashed",
      "Running->Killed",
      "Idle->Running",
      "Idle->WaitingForUser",
      "Idle->Done",
      "Idle->Crashed",
      "Idle->Killed",
      "WaitingForUser->Running",
      "WaitingForUser->Idle",
      "WaitingForUser->Done",
      "WaitingForUser->Crashed",
      "WaitingForUser->Killed"
    ])
  })

  it("explains a refused move", () => {
    const sticky = transition("Done", "Crashed")
    expect(Either.isLeft(sticky) && sticky.left.message).toBe("the session already ended (Done); Crashed is ignored")
    const early = transition("Starting", "WaitingForUser")
    expect(Either.isLeft(early) && early.left.message).toBe("a session cannot move from Starting to WaitingForUser")
  })

  it("maps worker events to states: a completed turn leaves the session Idle", () => {
    expect(stateAfterEvent({ _tag: "TurnCompleted", turnId: "t", status: "completed", usage: null, error: null })).toEqual({
      to: "Idle",
      reason: "turn t completed"
    })
    expect(stateAfterEvent({ _tag: "TurnStarted", turnId: "t" })?.to).toBe("Running")
    expect(stateAfterEvent({ _tag: "Done", reason: "merged" })).toEqual({ to: "Done", reason: "merged" })
    expect(stateAfterEvent({ _tag: "TextDelta", itemId: "i", text: "x" })).toBeUndefined()
  })
})
