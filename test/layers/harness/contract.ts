import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Scope } from "effect"
import * as NodePath from "node:path"
import type { WorkerEvent } from "../../../src/domain/workerEvent.js"
import type { Harness, SessionSpec } from "../../../src/services/Harness.js"
import { atLeast, count, record } from "./codex/codexFixture.js"

/** What every harness is scripted to do: run `command`, then answer each turn with the next answer. */
export interface ContractScript {
  readonly command: string
  /** The first turn's answer (after the command), the second turn's, and the resumed session's. */
  readonly answers: readonly [string, string, string]
}

/** A harness under contract: its real binary against a model server scripted with `script`. */
export interface ContractSubject {
  /** Builds a harness instance; called twice for resume (a new orchestrator). */
  readonly harness: Effect.Effect<Harness["Type"], never, Scope.Scope>
  readonly spec: SessionSpec
}

const script: ContractScript = {
  command: "printf contract > contract.txt",
  answers: ["Contract turn one.", "Contract turn two.", "Contract resumed."]
}

const messages = (events: ReadonlyArray<WorkerEvent>) => events.flatMap((event) => (event._tag === "Message" ? [event.text] : []))
const completed = (events: ReadonlyArray<WorkerEvent>) => events.flatMap((event) => (event._tag === "TurnCompleted" ? [event] : []))

/**
 * The behaviour orchestrator relies on from every harness of the table, checked against the real
 * binary: health, a turn that runs a command and answers, a second turn in the same session with
 * growing usage, kill, and resume in a new harness instance from the stored session id.
 */
export const harnessContract = (
  name: string,
  makeSubject: (script: ContractScript) => Effect.Effect<ContractSubject, never, Scope.Scope | NodeContext.NodeContext>,
  timeout = 120_000
) =>
  describe(`harness contract: ${name}`, () => {
    it.scopedLive("health, two turns with a command and growing usage, kill, then resume in a new instance", () =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const subject = yield* makeSubject(script)
        const harness = yield* subject.harness
        expect((yield* harness.health).length).toBeGreaterThan(0)
        expect(harness.capabilities.resume && harness.capabilities.interrupt).toBe(true)

        const handle = yield* harness.spawn(subject.spec)
        expect(handle.harnessSessionId).not.toBe("")
        const recorder = yield* record(handle)
        yield* handle.sendInput("Run the command, then answer.")
        const first = yield* recorder.waitFor(atLeast("TurnCompleted"))
        expect(first[0]?._tag).toBe("TurnStarted")
        const commands = first.flatMap((event) => (event._tag === "CommandExecution" ? [event] : []))
        expect(commands.map((command) => command.status)).toEqual(["running", "completed"])
        expect(commands[1]).toMatchObject({ command: expect.stringContaining("contract.txt"), exitCode: 0 })
        expect(messages(first)).toEqual([script.answers[0]])
        expect(yield* fs.readFileString(NodePath.join(subject.spec.worktreePath, "contract.txt"))).toBe("contract")

        yield* handle.sendInput("Answer again.")
        const second = yield* recorder.waitFor(atLeast("TurnCompleted", 2))
        expect(messages(second)).toEqual(script.answers.slice(0, 2))
        const [turn1, turn2] = completed(second)
        expect([turn1?.status, turn2?.status]).toEqual(["completed", "completed"])
        expect(turn1?.turnId).not.toBe(turn2?.turnId)
        expect(turn2?.usage?.total ?? 0).toBeGreaterThan(turn1?.usage?.total ?? 0)

        yield* handle.kill
        yield* recorder.ended
        expect(count("Crashed")(yield* recorder.events)).toBe(0)
        expect((yield* Effect.flip(handle.sendInput("after kill")))._tag).toBe("HarnessError")

        const again = yield* (yield* subject.harness).resume(subject.spec, handle.harnessSessionId)
        expect(again.harnessSessionId).toBe(handle.harnessSessionId)
        const resumed = yield* record(again)
        yield* again.sendInput("Go on.")
        const third = yield* resumed.waitFor(atLeast("TurnCompleted"))
        expect(completed(third)[0]?.status).toBe("completed")
        expect(messages(third)).toEqual([script.answers[2]])
        yield* again.kill
      }).pipe(Effect.provide(NodeContext.layer)), timeout)
  })
