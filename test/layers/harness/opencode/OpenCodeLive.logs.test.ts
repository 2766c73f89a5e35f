import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { SessionId } from "../../../../src/domain/ids.js"
import { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { harnessLogPaths } from "../../../../src/layers/harness/jsonlLog.js"
import { eventsUntil, openCodeHarness, openCodeServers, setup, spec, turnCompleted } from "./fixture.js"

const openRouterKey = "sk-or-v1-orchestrator-secret-never-logged"
const linearKey = "lin_secret_never_shown"
const prompt = "print the keys you can see"
const command = 'echo "key=${OPENROUTER_API_KEY:-absent} lin=${LINEAR_API_KEY:-absent}"'

/** What was sent (the prompt) or received (a `/global/event` frame: the worktree and the event). */
const RawLine = Schema.Union(
  Schema.Struct({
    at: Schema.Number,
    direction: Schema.Literal("out"),
    message: Schema.Struct({ prompt_async: Schema.Struct({ parts: Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.String })) }) })
  }),
  Schema.Struct({
    at: Schema.Number,
    direction: Schema.Literal("in"),
    message: Schema.Struct({ directory: Schema.String, payload: Schema.Struct({ type: Schema.String }) })
  })
)
const NormalizedLine = Schema.Struct({ at: Schema.Number, event: WorkerEvent })

/** Each line of a JSONL file, decoded; a line that is not JSON of that shape fails the test, quoting it. */
const jsonLines = <A, I>(file: string, schema: Schema.Schema<A, I>): ReadonlyArray<{ readonly text: string; readonly value: A }> =>
  fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((text) => ({ text, value: Schema.decodeUnknownSync(Schema.parseJson(schema))(text) }))

/** The harness's own server password, read from the spawned server's environment. */
const serverPassword = (pid: number): string | undefined =>
  fs
    .readFileSync(`/proc/${pid}/environ`, "utf8")
    .split("\0")
    .find((entry) => entry.startsWith("OPENCODE_SERVER_PASSWORD="))
    ?.slice("OPENCODE_SERVER_PASSWORD=".length)

/** The files this process holds open under `dir` (the harness runs in the test's process). */
const openFilesUnder = (dir: string): ReadonlyArray<string> =>
  fs.readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = fs.readlinkSync(path.join("/proc/self/fd", fd))
      return target.startsWith(dir) ? [target] : []
    } catch {
      return [] // closed meanwhile
    }
  })

describe("OpenCode harness JSONL logs with the real opencode serve", () => {
  it.scopedLive(
    "one turn writes raw and normalized JSON lines under the data dir, and no secret reaches them",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* setup([
          { kind: "bash", command },
          { kind: "text", text: "Neither key is visible." }
        ])
        const environment = { ...ws.env, OPENROUTER_API_KEY: openRouterKey }
        const harness = yield* openCodeHarness(
          ws,
          { harness_log_raw_events: true, harness_log_normalized_events: true },
          environment
        )
        const handle = yield* harness.spawn(spec(ws))
        yield* handle.sendInput(prompt)
        const streamed = yield* eventsUntil(handle, turnCompleted)
        expect(streamed.at(-1)).toMatchObject({ _tag: "TurnCompleted", status: "completed" })
        const ran = streamed.find((e) => e._tag === "CommandExecution" && e.status === "completed")
        // The command ran and its output was seen: the keys were kept from the agent, not just from the log.
        expect(ran?._tag === "CommandExecution" && ran.output).toContain("key=absent lin=absent")
        const [pid] = yield* openCodeServers(ws)
        const password = serverPassword(pid ?? 0)
        expect(password).toMatch(/^[0-9a-f]{48}$/)

        const paths = harnessLogPaths(ws.dataDir, "ses-test")
        expect(path.dirname(paths.raw)).toBe(path.join(ws.dataDir, "logs", "harness"))
        const raw = jsonLines(paths.raw, RawLine)
        const normalized = jsonLines(paths.normalized, NormalizedLine)
        expect(raw.length).toBeGreaterThan(3)

        for (const line of [...raw, ...normalized]) {
          for (const secret of [openRouterKey, linearKey, password ?? "no password read"]) {
            expect(line.text).not.toContain(secret)
          }
        }

        // The normalized log holds exactly what the handle delivered, TurnStarted through TurnCompleted.
        const logged = normalized.map((line) => line.value.event)
        const end = logged.findIndex(turnCompleted)
        expect(logged.slice(0, end + 1)).toEqual(streamed)
        expect(logged[0]).toEqual({ _tag: "TurnStarted", turnId: "turn-1" })

        // The raw log holds the prompt sent and the server's events for this session, both ways.
        const sent = raw.flatMap((line) => (line.value.direction === "out" ? [line.value.message] : []))
        expect(sent).toEqual([{ prompt_async: { parts: [{ type: "text", text: prompt }] } }])
        const incoming = raw.flatMap((line) => (line.value.direction === "in" ? [line.value.message] : []))
        expect(new Set(incoming.map((frame) => frame.directory))).toEqual(new Set([ws.repo]))
        const types = incoming.map((frame) => frame.payload.type)
        expect(types).toContain("message.part.updated")
        expect(types).toContain("session.idle")
        expect(raw.some((line) => line.text.includes("key=absent lin=absent"))).toBe(true)
        yield* handle.kill
      }),
    120_000
  )

  it.scopedLive(
    "killing a session closes its log files while the server lives on, so long runs do not pile up open files",
    () =>
      Effect.gen(function* () {
        const { ws } = yield* setup([
          { kind: "text", text: "First." },
          { kind: "text", text: "Second." }
        ])
        const harness = yield* openCodeHarness(ws, { harness_log_raw_events: true, harness_log_normalized_events: true })
        const logDir = path.join(ws.dataDir, "logs", "harness")
        for (const name of ["ses-one", "ses-two"]) {
          const handle = yield* harness.spawn(spec(ws, { sessionId: SessionId.make(name) }))
          yield* handle.sendInput("hello")
          yield* eventsUntil(handle, turnCompleted)
          const paths = harnessLogPaths(ws.dataDir, name)
          expect([...openFilesUnder(logDir)].sort()).toEqual([paths.normalized, paths.raw])
          yield* handle.kill
          expect(openFilesUnder(logDir)).toEqual([])
          expect(fs.readFileSync(paths.normalized, "utf8")).toContain('"TurnCompleted"')
        }
        expect(yield* openCodeServers(ws)).toHaveLength(1)
      }),
    120_000
  )
})
