import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { eventsUntil, openCodeHarness, setup, spec, textOf, turnCompleted } from "./fixture.js"

describe("OpenCode resume with the real opencode serve", () => {
  it.scopedLive(
    "a new orchestrator resumes the stored session id and the model sees the earlier conversation",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([
          { kind: "text", text: "Noted: the codeword is pelican." },
          { kind: "text", text: "The codeword was pelican." }
        ])
        // First orchestrator: its own scope, so closing it kills its opencode serve.
        const stored = yield* Effect.scoped(
          Effect.gen(function* () {
            const harness = yield* openCodeHarness(ws)
            const handle = yield* harness.spawn(spec(ws))
            yield* handle.sendInput("remember the codeword pelican")
            const first = yield* eventsUntil(handle, turnCompleted)
            expect(first.at(-1)).toMatchObject({ status: "completed" })
            return handle.harnessSessionId
          })
        )

        const harness = yield* openCodeHarness(ws)
        const handle = yield* harness.resume(spec(ws), stored)
        expect(handle.harnessSessionId).toBe(stored)
        yield* handle.sendInput("what was the codeword?")
        const events = yield* eventsUntil(handle, turnCompleted)
        expect(events[0]?._tag).toBe("TurnStarted")
        expect(events.find((e) => e._tag === "Message")).toMatchObject({ text: "The codeword was pelican." })
        // Usage continues from the stored session's totals.
        expect(events.at(-1)).toMatchObject({ usage: { input: 200, output: 40, total: 240 } })

        const requests = yield* model.requests
        expect(requests).toHaveLength(2)
        const history = requests[1]?.messages.map((m) => `${m.role}: ${textOf(m.content)}`).join("\n") ?? ""
        expect(history).toContain("remember the codeword pelican")
        expect(history).toContain("Noted: the codeword is pelican.")
        expect(history).toContain("what was the codeword?")
        yield* handle.kill
      }),
    150_000
  )

  it.scopedLive(
    "resuming an unknown session id fails with the server's answer",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* setup([])
        const harness = yield* openCodeHarness(ws)
        const error = yield* Effect.flip(harness.resume(spec(ws), "ses_doesnotexist000000000000"))
        expect(error._tag).toBe("HarnessError")
        expect(error.message).toContain("read the session")
        expect(error.message).toContain("404")
      }),
    120_000
  )
})
