// The session commands are persisted messages (SqlMessageStorage). Two runner processes on a
// throwaway PostgreSQL (the real sharding and agent-session entities over a scripted harness,
// test/support/clusterProbeRunner.ts) and this process as the coordinator's cluster client: every
// command is answered within 10 s by the runner its session is pinned to, with one runner, after the
// second joins, and after one is killed (kill -9) mid-command and comes back on a new port; the
// command it died in is delivered again there exactly once, and one sent while it was down waits for it.
// Through the coordinator's harness (ClusterHarness), a turn's input the runner died in runs once.
//
// It stalled for ever before: the cluster shared the event store's pool, whose BIGINT parser gives
// numbers, so a message id above 2^53 was read back rounded and the reply named a request that does
// not exist. The pool the cluster gets now keeps them exact, and the cluster refuses one that does not.
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Redacted, Schema, Stream } from "effect"
import { type ChildProcess, spawnSync } from "node:child_process"
import * as NodePath from "node:path"
import { afterAll, beforeAll } from "vitest"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { StoreError } from "../../../src/domain/errors.js"
import { SessionId } from "../../../src/domain/ids.js"
import { AgentSessionEntity, agentSessionEntityId } from "../../../src/layers/cluster/agentSessionEntity.js"
import { clusterClient } from "../../../src/layers/cluster/runner.js"
import { clusterPostgres, makePostgres } from "../../../src/layers/eventStore/postgres/postgresStore.js"
import { clusterHarnessFrom } from "../../../src/layers/harness/cluster/ClusterHarness.js"
import { harnessProviders } from "../../../src/layers/harness/providers.js"
import { Harness } from "../../../src/services/Harness.js"
import { harnessAppConfig } from "../harness/harnessWorld.js"
import { freePort, startPostgres, type ThrowawayPostgres } from "../../support/postgres.js"
import { type JoinedProcess, spawnJoined } from "../../support/joinedProcess.js"
import { projectRoot } from "../../support/runBin.js"

let server: ThrowawayPostgres
const children: Array<ChildProcess> = []
beforeAll(async () => {
  server = await startPostgres()
}, 60_000)
afterAll(() => {
  for (const child of children) child.kill("SIGKILL")
  server.stop()
})

interface ProbeRunner extends JoinedProcess {
  /** The lines it printed that start with `prefix`. */
  readonly lines: (prefix: string) => ReadonlyArray<string>
}

/** Starts a probe runner and resolves once its entities are registered. */
const startProbe = async (name: string, url: string, mode = ""): Promise<ProbeRunner> => {
  const port = await freePort()
  const script = NodePath.join(projectRoot, "test", "support", "clusterProbeRunner.ts")
  const probe = spawnJoined(`probe ${name}`, process.execPath, ["--import", "tsx", script, name, String(port), url, mode], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "" },
    ready: `probe ${name} joined`
  })
  children.push(probe.child)
  await probe.joined
  return { ...probe, lines: (prefix) => probe.output().split("\n").filter((line) => line.startsWith(prefix)) }
}

const spec = (sessionId: string) => ({
  sessionId: SessionId.make(sessionId),
  worktreePath: `/tmp/${sessionId}`,
  model: null,
  instructions: "",
  env: {},
  approvalPolicy: "never" as const,
  sandbox: "workspace-write" as const
})

const PROMPTLY = Duration.seconds(10)

/** Fails unless answered within 10 s. */
const promptly = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) =>
  Effect.timeoutFail(effect, { duration: PROMPTLY, onTimeout: () => new Error(`${label}: no answer in 10 s`) })

/** What the cluster's tables hold, for a failure's message. */
const tables = (url: string) => {
  const query = (sql: string) => spawnSync("/usr/lib/postgresql/15/bin/psql", [url, "-c", sql], { encoding: "utf8" }).stdout
  return [
    query("SELECT id, request_id, shard_id, entity_id, kind, tag, processed, last_read, last_reply_id FROM cluster_messages ORDER BY rowid"),
    query("SELECT id, kind, request_id, acked FROM cluster_replies ORDER BY rowid"),
    query("SELECT address, healthy, last_heartbeat FROM cluster_runners")
  ].join("\n")
}

const db = Schema.decodeUnknownSync(DatabaseSettings)({})

describe("persisted session commands", () => {
  it.live(
    "are answered within 10 s by the runner each session is pinned to, as a runner joins, dies mid-command and comes back",
    () =>
      Effect.gen(function* () {
        const url = server.createDatabase("persisted")
        const alpha = yield* Effect.promise(() => startProbe("alpha", url, "hold"))
        const probes: Array<ProbeRunner> = [alpha]
        const story = () => `${probes.map((probe) => probe.output()).join("\n---\n")}\n${tables(url)}`
        yield* Effect.gen(function* () {
          const client = yield* AgentSessionEntity.client
          const on = (runner: string, session: string) => client(agentSessionEntityId(runner, session))

          // One runner; this client just started (it may not know yet where alpha's shards are).
          expect((yield* promptly("start alpha/s1", on("alpha", "s1").Start({ spec: spec("s1") }))).attached).toBe(false)
          yield* promptly("input alpha/s1", on("alpha", "s1").Input({ text: "one" }))

          // A second runner joins.
          const beta = yield* Effect.promise(() => startProbe("beta", url))
          probes.push(beta)
          yield* promptly("start beta/s2", on("beta", "s2").Start({ spec: spec("s2") }))
          yield* promptly("input beta/s2", on("beta", "s2").Input({ text: "two" }))
          yield* promptly("input alpha/s1 again", on("alpha", "s1").Input({ text: "three" }))
          // A Start of a live session attaches to it.
          expect((yield* promptly("start alpha/s1 again", on("alpha", "s1").Start({ spec: spec("s1") }))).attached).toBe(true)

          // alpha dies (kill -9) while it runs a command.
          const held = yield* Effect.fork(on("alpha", "s1").Input({ text: "hold me" }))
          yield* Effect.promise(() => waitFor(() => alpha.lines("input s1 hold me").length === 1))
          alpha.child.kill("SIGKILL")
          // beta answers on; a Start for alpha waits for it.
          yield* promptly("start beta/s3 (alpha down)", on("beta", "s3").Start({ spec: spec("s3") }))
          const waiting = yield* Effect.fork(on("alpha", "s4").Start({ spec: spec("s4") }))

          // alpha comes back (a new process on a new port); once it hosts its shards again (Locate),
          // it answers the Start sent while it was down, the command it died in is delivered again
          // (it waits for its session's Resume), and new commands are answered.
          const again = yield* Effect.promise(() => startProbe("alpha", url))
          probes.push(again)
          yield* Effect.timeoutFail(on("alpha", "s0").Locate(), { duration: Duration.seconds(30), onTimeout: () => new Error("alpha did not host its shards again in 30 s") })
          yield* promptly("start alpha/s4 sent while alpha was down", Fiber.join(waiting))
          const resumed = yield* promptly("resume alpha/s1", on("alpha", "s1").Resume({ spec: spec("s1"), harnessSessionId: "thread-s1" }))
          expect(resumed.attached).toBe(false)
          yield* promptly("the held input, delivered again", Fiber.join(held))
          yield* promptly("input alpha/s1 after the resume", on("alpha", "s1").Input({ text: "four" }))
          yield* promptly("start alpha/s5", on("alpha", "s5").Start({ spec: spec("s5") }))

          expect(alpha.lines("input s1")).toEqual(["input s1 one", "input s1 three", "input s1 hold me"])
          expect(again.lines("")).toEqual(expect.arrayContaining(["spawn s4", "resume s1", "input s1 hold me", "input s1 four", "spawn s5"]))
          expect(again.lines("input s1")).toEqual(["input s1 hold me", "input s1 four"])
          expect(again.lines("spawn s4")).toHaveLength(1)
          expect(beta.lines("spawn").concat(beta.lines("input"))).toEqual(["spawn s2", "spawn s3", "input s2 two"])
        }).pipe(
          Effect.tapErrorCause(() => Effect.sync(() => console.log(story()))),
          Effect.provide(clusterClient.pipe(Layer.provide(clusterPostgres(Redacted.make(url), db.max_connections))))
        )
      }),
    180_000
  )

  it.live(
    "a coordinator's harness whose runner died in a turn's input resumes the session there and the input runs once",
    () =>
      Effect.gen(function* () {
        const url = server.createDatabase("redelivery")
        const gamma = yield* Effect.promise(() => startProbe("gamma", url, "hold"))
        const probes: Array<ProbeRunner> = [gamma]
        const story = () => `${probes.map((probe) => probe.output()).join("\n---\n")}\n${tables(url)}`
        yield* Effect.gen(function* () {
          const harness = yield* Harness
          const handle = yield* promptly("spawn", harness.spawn({ ...spec("t1"), worktreePath: "gamma:/tmp/t1" }))
          const seen: Array<string> = []
          yield* Effect.fork(Stream.runForEach(handle.events, (event) => Effect.sync(() => seen.push(event._tag))))
          // The turn starts on gamma (the coordinator sees it) and gamma dies before answering its input.
          const input = yield* Effect.fork(handle.sendInput("hold the turn"))
          yield* Effect.promise(() => waitFor(() => seen.includes("TurnStarted")))
          gamma.child.kill("SIGKILL")
          const again = yield* Effect.promise(() => startProbe("gamma", url))
          probes.push(again)
          // The handle resumes the session on the new gamma, and the cluster delivers the input again.
          yield* Effect.timeoutFail(Fiber.join(input), { duration: Duration.seconds(40), onTimeout: () => new Error("the input was not answered in 40 s") })
          // Time for a second copy, had the handle sent the turn's input again too.
          yield* Effect.sleep("3 seconds")
          expect(again.lines("resume t1")).toHaveLength(1)
          expect(again.lines("input t1")).toEqual(["input t1 hold the turn"])
        }).pipe(
          Effect.tapErrorCause(() => Effect.sync(() => console.log(story()))),
          Effect.provide(
            clusterHarnessFrom(harnessProviders).pipe(
              Layer.provide(clusterClient.pipe(Layer.provide(clusterPostgres(Redacted.make(url), db.max_connections)))),
              Layer.provide(harnessAppConfig(projectRoot, {}))
            )
          )
        )
      }),
    120_000
  )

  it.live("the cluster refuses a SQL client that reads BIGINT as numbers (the store's pool), which would round its message ids", () =>
    Effect.gen(function* () {
      const url = server.createDatabase("rounding")
      const error = yield* Effect.flip(Layer.build(clusterClient.pipe(Layer.provide(makePostgres(Redacted.make(url), db)))).pipe(Effect.scoped))
      expect(error).toBeInstanceOf(StoreError)
      expect(String(error)).toContain("reads BIGINT 9007199254740993 as number 9007199254740992")
    })
  )

  // Last in this file: it restarts the server under the others' databases too.
  it.live(
    "an agent outlives a PostgreSQL restart under its runner: the cluster restarts the runner's entities, which find the same agent",
    () =>
      Effect.gen(function* () {
        const url = server.createDatabase("restart")
        const delta = yield* Effect.promise(() => startProbe("delta", url))
        yield* Effect.gen(function* () {
          const client = yield* AgentSessionEntity.client
          const session = client(agentSessionEntityId("delta", "s1"))
          yield* promptly("start delta/s1", session.Start({ spec: spec("s1") }))
          // Down longer than a shard-lock refresh (3 s): the runner cannot refresh its locks, so the
          // cluster interrupts its entities, then takes them back once the server answers.
          server.restart(5_000)
          yield* Effect.promise(() => waitFor(() => delta.output().includes("Shard lock storage has recovered"), 30_000))
          const after = yield* Effect.timeoutFail(session.Start({ spec: spec("s1") }), { duration: Duration.seconds(30), onTimeout: () => new Error("no answer after the restart") })
          expect(after.attached).toBe(true)
          yield* promptly("input delta/s1", session.Input({ text: "after the restart" }))
          expect(delta.lines("spawn")).toEqual(["spawn s1"])
          expect(delta.lines("input")).toEqual(["input s1 after the restart"])
        }).pipe(
          Effect.tapErrorCause(() => Effect.sync(() => console.log(`${delta.output()}\n${tables(url)}`))),
          Effect.provide(clusterClient.pipe(Layer.provide(clusterPostgres(Redacted.make(url), db.max_connections))))
        )
      }),
    120_000
  )
})

/** Resolves once `check` holds (every 50 ms, up to 10 s unless told). */
const waitFor = (check: () => boolean, withinMs = 10_000) =>
  new Promise<void>((resolve, reject) => {
    const started = Date.now()
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer)
        resolve()
      } else if (Date.now() - started > withinMs) {
        clearInterval(timer)
        reject(new Error(`not within ${withinMs / 1000} s`))
      }
    }, 50)
  })
