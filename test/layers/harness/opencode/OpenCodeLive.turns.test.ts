import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { eventsUntil, openCodeHarness, setup, spec, textOf, turnCompleted } from "./fixture.js"

describe("OpenCode harness against the real opencode serve", () => {
  it.scopedLive(
    "runs a shell command, answers, and takes a second turn on the same session",
    () =>
      Effect.gen(function* () {
        const { model, ws } = yield* setup([
          { kind: "bash", command: "printf hello > out.txt" },
          { kind: "text", text: "Wrote out.txt for you." }
        ])
        const harness = yield* openCodeHarness(ws)
        const handle = yield* harness.spawn(spec(ws))
        expect(handle.harnessSessionId).toMatch(/^ses_/)

        yield* handle.sendInput("write hello into out.txt")
        const first = yield* eventsUntil(handle, turnCompleted)
        const tags = first.filter((e) => e._tag !== "TextDelta" && e._tag !== "CommandOutputDelta").map((e) => e._tag)
        expect(tags).toEqual(["TurnStarted", "CommandExecution", "CommandExecution", "Message", "TurnCompleted"])
        const commands = first.filter((e) => e._tag === "CommandExecution")
        expect(commands.map((c) => [c.status, c.command, c.exitCode])).toEqual([
          ["running", "printf hello > out.txt", null],
          ["completed", "printf hello > out.txt", 0]
        ])
        const message = first.find((e) => e._tag === "Message")
        expect(message?._tag === "Message" && message.text).toBe("Wrote out.txt for you.")
        const deltas = first.flatMap((e) => (e._tag === "TextDelta" ? [e.text] : []))
        expect(deltas.join("")).toBe("Wrote out.txt for you.")
        const done = first.at(-1)
        expect(done?._tag === "TurnCompleted" && done.status).toBe("completed")
        expect(done?._tag === "TurnCompleted" && done.usage).toEqual({ input: 200, output: 40, total: 240 })
        expect(fs.readFileSync(path.join(ws.repo, "out.txt"), "utf8")).toBe("hello")

        yield* model.push({ kind: "text", text: "Second answer." })
        yield* handle.sendInput("and now say something else")
        const second = yield* eventsUntil(handle, turnCompleted)
        expect(second[0]).toEqual({ _tag: "TurnStarted", turnId: "turn-2" })
        expect(second.find((e) => e._tag === "Message")).toMatchObject({ text: "Second answer." })
        expect(second.at(-1)).toMatchObject({ _tag: "TurnCompleted", turnId: "turn-2", status: "completed" })

        const requests = yield* model.requests
        expect(requests).toHaveLength(3)
        const last = requests[2]?.messages.map((m) => textOf(m.content)).join("\n") ?? ""
        // Same session: the second turn's request carries the first turn's prompt and tool result.
        expect(last).toContain("write hello into out.txt")
        expect(last).toContain("and now say something else")
        // Session instructions reach the model as system text; the secret never does.
        expect(requests[0]?.raw).toContain("You are working on a test ticket.")
        yield* handle.kill
      }),
    120_000
  )
})
