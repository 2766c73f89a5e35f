import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { exec, message } from "../../../fakes/modelServer/responsesScript.js"
import { codexHarness, type CodexWorld, count, makeCodexWorld, record, runningCommand, visibleTags } from "./codexFixture.js"

const last = <T extends WorkerEvent["_tag"]>(events: ReadonlyArray<WorkerEvent>, tag: T) =>
  events.filter((event): event is Extract<WorkerEvent, { _tag: T }> => event._tag === tag).at(-1)

/**
 * The real codex behind a wrapper script that records its pid (and runs `before` first), so a
 * test can kill the app-server the harness started.
 */
const wrappedCodex = (world: CodexWorld, before = "") =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const pidFile = `${world.dataDir}/codex.pid`
    const wrapper = `${world.dataDir}/codex-wrapper`
    const real = `${process.cwd()}/node_modules/.bin/codex`
    yield* fs.writeFileString(wrapper, `#!/bin/sh\n${before}echo $$ > '${pidFile}'\nexec '${real}' "$@"\n`)
    yield* fs.chmod(wrapper, 0o755)
    const harness = yield* codexHarness(world, { codex_binary: wrapper, allow_unsafe_command_paths: true })
    const killServer = fs.readFileString(pidFile).pipe(Effect.map((pid) => process.kill(Number(pid.trim()), "SIGKILL")))
    return { harness, killServer }
  })

describe("harness.codex failures with the real codex app-server", () => {
  it.scopedLive("a 400 from the model fails the turn and crashes the session with the model's message", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([{ kind: "httpError", status: 400, message: "model m is not allowed here" }])
      const handle = yield* (yield* codexHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("hello")
      yield* recorder.ended
      const events = yield* recorder.events
      expect(visibleTags(events)).toEqual(["TurnStarted", "TurnCompleted", "Crashed"])
      expect(last(events, "TurnCompleted")).toMatchObject({ status: "failed" })
      expect(last(events, "TurnCompleted")?.error).toBe("model m is not allowed here")
      expect(last(events, "Crashed")?.reason).toBe("model m is not allowed here")
      // The session is over: input is refused instead of hanging.
      const refused = yield* Effect.flip(handle.sendInput("again"))
      expect(refused._tag).toBe("HarnessError")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("a stream closed mid-answer fails the turn and crashes the session", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([{ kind: "cut", text: "I am about to say something long" }])
      const handle = yield* (yield* codexHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("hello")
      yield* recorder.ended
      const events = yield* recorder.events
      expect(last(events, "TurnCompleted")?.status).toBe("failed")
      expect(last(events, "Crashed")?.reason).toMatch(/stream|disconnect|closed/i)
      expect(count("Message")(events)).toBe(0)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("an interrupt stops a long command; the session then takes the next input", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([exec("sleep 300"), message("Back after the interrupt.")])
      const handle = yield* (yield* codexHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("run the long thing")
      yield* recorder.waitFor(runningCommand)
      yield* handle.interrupt
      const interrupted = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 1)
      expect(last(interrupted, "TurnCompleted")).toMatchObject({ status: "interrupted", error: null })

      yield* handle.sendInput("what now?")
      const after = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 2)
      expect(last(after, "TurnCompleted")?.status).toBe("completed")
      expect(last(after, "Message")?.text).toBe("Back after the interrupt.")
      expect(count("Crashed")(after)).toBe(0)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("an interrupt while the model is still streaming slowly ends the turn as interrupted", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([{ kind: "output", items: [{ kind: "message", text: "a very slow answer" }], delayMs: 3_000 }])
      const handle = yield* (yield* codexHarness(world)).spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("talk slowly")
      yield* recorder.waitFor((events) => count("TurnStarted")(events) === 1)
      yield* handle.interrupt
      const events = yield* recorder.waitFor((events) => count("TurnCompleted")(events) === 1)
      expect(last(events, "TurnCompleted")?.status).toBe("interrupted")
      expect(count("Message")(events)).toBe(0)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("the app-server dying is a crash with its exit; the agent never sees orchestrator's secrets", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const world = yield* makeCodexWorld([])
      const dump = `${world.dataDir}/agent-env.txt`
      const { harness, killServer } = yield* wrappedCodex(world, `env > '${dump}'\n`)
      const handle = yield* harness.spawn(
        world.spec({ env: { ...world.spec().env, LINEAR_API_KEY: "lin-secret", SHORTCUT_API_TOKEN: "sc-secret", OPENROUTER_API_KEY: "or-secret" } })
      )
      const recorder = yield* record(handle)
      const env = yield* fs.readFileString(dump)
      expect(env).toContain("MOCK_API_KEY=mock-key")
      expect(env).not.toMatch(/LINEAR_API_KEY|SHORTCUT_API_TOKEN|OPENROUTER_API_KEY|-secret/)

      yield* killServer
      yield* recorder.ended
      const crashed = last(yield* recorder.events, "Crashed")
      expect(crashed?.reason).toMatch(/^codex app-server (exited|closed)/)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("the app-server killed mid-turn fails the turn and crashes the session with its exit", () =>
    Effect.gen(function* () {
      const world = yield* makeCodexWorld([exec("sleep 293")])
      const { harness, killServer } = yield* wrappedCodex(world)
      const handle = yield* harness.spawn(world.spec())
      const recorder = yield* record(handle)
      yield* handle.sendInput("run the long thing")
      yield* recorder.waitFor(runningCommand)

      yield* killServer
      yield* recorder.ended
      const events = yield* recorder.events
      expect(visibleTags(events).slice(-2)).toEqual(["TurnCompleted", "Crashed"])
      const reason = last(events, "Crashed")?.reason
      expect(reason).toMatch(/^codex app-server (exited|closed)/)
      expect(last(events, "TurnCompleted")).toMatchObject({ status: "failed", error: reason })
      const refused = yield* Effect.flip(handle.sendInput("still there?"))
      expect(refused.detail).toBe("the session has ended")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scopedLive("a binary that exits at start fails the spawn with its error output", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const world = yield* makeCodexWorld([])
      const broken = `${world.dataDir}/broken-codex`
      yield* fs.writeFileString(broken, "#!/bin/sh\necho 'fatal: no config for you' >&2\nexit 3\n")
      yield* fs.chmod(broken, 0o755)
      const harness = yield* codexHarness(world, { codex_binary: broken, allow_unsafe_command_paths: true })
      const error = yield* Effect.flip(harness.spawn(world.spec()))
      expect(error.message).toContain("exited with code 3")
      expect(error.message).toContain("fatal: no config for you")
      const missing = yield* Effect.flip((yield* codexHarness(world, { codex_binary: "codex-not-installed" })).spawn(world.spec()))
      expect(missing.message).toContain('runtime.codex_binary = "codex-not-installed"')
    }).pipe(Effect.provide(NodeContext.layer)))
})
