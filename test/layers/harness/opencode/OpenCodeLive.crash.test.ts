import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { eventsUntil, openCodeHarness, openCodeServers, setup, spec, turnCompleted } from "./fixture.js"

describe("OpenCode harness when opencode serve dies", () => {
  it.scopedLive(
    "a server killed mid-turn fails the turn and crashes the session with the reason; a new session gets a fresh server",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([{ kind: "bash", command: "sleep 97" }])
        const harness = yield* openCodeHarness(ws)
        const handle = yield* harness.spawn(spec(ws))
        yield* handle.sendInput("run the long job")
        yield* eventsUntil(handle, (e) => e._tag === "CommandExecution" && e.status === "running")

        const [server, ...others] = yield* openCodeServers(ws)
        expect(server).toBeDefined()
        expect(others).toEqual([])
        process.kill(server ?? 0, "SIGKILL")

        const rest = yield* eventsUntil(handle, (e) => e._tag === "Crashed", "30 seconds")
        const reason = "opencode serve exited (killed by SIGKILL)"
        expect(rest.filter((e) => e._tag === "CommandExecution").at(-1)).toMatchObject({ command: "sleep 97", status: "failed" })
        const failed = rest.find(turnCompleted)
        expect(failed).toMatchObject({ _tag: "TurnCompleted", status: "failed" })
        expect(failed?._tag === "TurnCompleted" && failed.error).toContain(reason)
        expect(rest.at(-1)).toMatchObject({ _tag: "Crashed" })
        expect(rest.at(-1)?._tag === "Crashed" && rest.at(-1)).toMatchObject({ reason: expect.stringContaining(reason) })
        // The dead session refuses input at once instead of hanging on a server that is gone.
        const refused = yield* Effect.flip(handle.sendInput("are you there?"))
        expect(refused.detail).toContain(reason)

        yield* model.push({ kind: "text", text: "Fresh server here." })
        const next = yield* harness.spawn(spec(ws))
        expect(yield* openCodeServers(ws)).toHaveLength(1)
        yield* next.sendInput("hello again")
        const events = yield* eventsUntil(next, turnCompleted)
        expect(events.find((e) => e._tag === "Message")).toMatchObject({ text: "Fresh server here." })
        expect(events.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
        yield* next.kill
      }),
    150_000
  )
})
