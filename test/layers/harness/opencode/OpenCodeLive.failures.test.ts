import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { eventsUntil, openCodeHarness, openCodeServers, setup, spec, turnCompleted } from "./fixture.js"

describe("OpenCode harness failures with the real opencode serve", () => {
  it.scopedLive(
    "a model HTTP 400 fails the turn with the model's message, and the session takes the next input",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([{ kind: "httpError", status: 400, message: "context too long for model m" }])
        const harness = yield* openCodeHarness(ws)
        const handle = yield* harness.spawn(spec(ws))
        yield* handle.sendInput("do something")
        const events = yield* eventsUntil(handle, turnCompleted)
        expect(events[0]?._tag).toBe("TurnStarted")
        const done = events.at(-1)
        expect(done).toMatchObject({ _tag: "TurnCompleted", status: "failed" })
        expect(done?._tag === "TurnCompleted" && done.error).toContain("context too long for model m")

        yield* model.push({ kind: "text", text: "Recovered." })
        yield* handle.sendInput("try again")
        const next = yield* eventsUntil(handle, turnCompleted)
        expect(next.find((e) => e._tag === "Message")).toMatchObject({ text: "Recovered." })
        expect(next.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
        yield* handle.kill
      }),
    120_000
  )

  it.scopedLive(
    "a stream closed mid-answer never leaves the turn hanging, and closing the harness stops opencode serve",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([
          { kind: "cut", text: "This answer will be cut off" },
          { kind: "text", text: "Second try worked." }
        ])
        yield* Effect.scoped(
          Effect.gen(function* () {
            const harness = yield* openCodeHarness(ws)
            const handle = yield* harness.spawn(spec(ws))
            expect(yield* openCodeServers(ws)).toHaveLength(1)
            yield* handle.sendInput("answer at length")
            const events = yield* eventsUntil(handle, turnCompleted, "90 seconds")
            // OpenCode retries a dropped stream itself: the turn completes with the retry's answer.
            expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
            expect(events.filter((e) => e._tag === "Message").map((e) => e._tag === "Message" && e.text)).toEqual(["Second try worked."])
            expect(yield* model.requests).toHaveLength(2)
            yield* handle.kill
          })
        )
        // After this scenario opencode serve does not exit on SIGTERM: the stop must escalate, not wait.
        expect(yield* openCodeServers(ws)).toEqual([])
      }),
    150_000
  )

  it.scopedLive(
    "interrupting a long command ends the turn as interrupted and stops the command",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* setup([{ kind: "bash", command: "sleep 120 && printf late > late.txt" }])
        const harness = yield* openCodeHarness(ws)
        const handle = yield* harness.spawn(spec(ws))
        yield* handle.sendInput("run the long job")
        const started = yield* eventsUntil(handle, (e) => e._tag === "CommandExecution" && e.status === "running")
        expect(started.at(-1)).toMatchObject({ command: "sleep 120 && printf late > late.txt" })
        yield* handle.interrupt
        const rest = yield* eventsUntil(handle, turnCompleted, "30 seconds")
        expect(rest.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "interrupted" })
        expect(rest.filter((e) => e._tag === "CommandExecution").at(-1)).toMatchObject({ status: "failed", exitCode: null })
        yield* handle.kill
      }),
    120_000
  )
})
