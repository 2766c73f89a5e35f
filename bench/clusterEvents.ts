// Events/s from agents on 2 runner processes × 10 sessions each, through the cluster (each session's
// event stream from its runner to this process, the coordinator's side) into the PostgreSQL store:
// the path a coordinator's events take. The agents are the scripted harness (no model, no agent binary),
// so what is measured is orchestrator's own cost: runner, cluster transport, decode and store append.
import { Effect, Layer, Redacted, Schema, Stream } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { performance } from "node:perf_hooks"
import { DatabaseSettings } from "../src/domain/config.js"
import { SessionEvent, SessionSpawned } from "../src/domain/events.js"
import { SessionId } from "../src/domain/ids.js"
import { clusterClient } from "../src/layers/cluster/runner.js"
import { configFromValue } from "../src/layers/config/ConfigLive.js"
import { clusterPostgres, eventStoreOnPostgres } from "../src/layers/eventStore/postgres/postgresStore.js"
import { clusterHarnessFrom } from "../src/layers/harness/cluster/ClusterHarness.js"
import { harnessProviders } from "../src/layers/harness/providers.js"
import { AppConfig } from "../src/services/AppConfig.js"
import { EventStore } from "../src/services/EventStore.js"
import { Harness } from "../src/services/Harness.js"
import { freePort } from "../test/support/postgres.js"
import { binPath } from "../test/support/runBin.js"

export const RUNNERS = ["alpha", "beta"] as const
export const SESSIONS_PER_RUNNER = 10
export const EVENTS_PER_SESSION = 1_000
/** Events the coordinator hands the store at once (its store writer batches the same way). */
const BATCH = 20

const db = Schema.decodeUnknownSync(DatabaseSettings)({ max_connections: SESSIONS_PER_RUNNER })

const script = {
  script: [
    ...Array.from({ length: EVENTS_PER_SESSION - 1 }, (_, i) => ({ event: { _tag: "TextDelta", itemId: `msg-${Math.floor(i / 50)}`, text: `token ${i} ` } })),
    { event: { _tag: "Done", reason: "scripted" } }
  ]
}

/** `orchestrator runner --name NAME` with the scripted agent; resolves once it joined. */
const startRunner = (name: string, url: string, dir: string) =>
  Effect.promise(async () => {
    const port = await freePort()
    const config = NodePath.join(dir, `${name}.toml`)
    writeFileSync(config, `[runtime]\nmax_concurrent_sessions = ${SESSIONS_PER_RUNNER}\n[projects]\nBENCH = "/tmp"\n`)
    const child = spawn(process.execPath, [binPath, "runner", "--name", name, "--host", "127.0.0.1", "--port", String(port)], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: dir,
        ORCHESTRATOR_CONFIG: config,
        ORCHESTRATOR_DATABASE_URL: url,
        ORCHESTRATOR_SCRIPTED_HARNESS: NodePath.join(dir, "script.json")
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes(`runner ${name} joined the cluster`)) resolve()
      }
      child.stdout?.on("data", read)
      child.stderr?.on("data", read)
      child.once("exit", (code) => reject(new Error(`runner ${name} exited ${code}: ${output}`)))
    })
    return child
  })

const sessionIdOf = (runner: number, n: number) => SessionId.make(`ses-bench-${runner}-${n}`)

export const clusterEventsPerSecond = (url: string) =>
  Effect.gen(function* () {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-bench-cluster-"))),
      (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
    )
    writeFileSync(NodePath.join(dir, "script.json"), JSON.stringify(script))
    yield* Effect.acquireRelease(
      Effect.forEach(RUNNERS, (name) => startRunner(name, url, dir), { concurrency: "unbounded" }),
      (children: ReadonlyArray<ChildProcess>) => Effect.sync(() => children.forEach((child) => child.kill("SIGKILL")))
    )
    const config = yield* configFromValue({ harness_provider: "harness.codex" }, dir)
    const context = yield* Layer.build(
      Layer.merge(
        clusterHarnessFrom(harnessProviders).pipe(Layer.provide(clusterClient.pipe(Layer.provide(clusterPostgres(Redacted.make(url), db.max_connections))))),
        eventStoreOnPostgres(Redacted.make(url), db)
      ).pipe(Layer.provide(Layer.succeed(AppConfig, config)))
    )
    const [agents, store] = yield* Effect.all([Effect.provide(Harness, context), Effect.provide(EventStore, context)])
    const sessions = RUNNERS.flatMap((runner, r) => Array.from({ length: SESSIONS_PER_RUNNER }, (_, n) => ({ runner, id: sessionIdOf(r, n) })))
    yield* store.append(
      sessions.map(({ runner, id }) => new SessionSpawned({ sessionId: id, workItemId: null, ticketId: null, harness: "harness.codex", model: null, worktreePath: `${runner}:/tmp` }))
    )
    const start = performance.now()
    const counts = yield* Effect.forEach(
      sessions,
      ({ runner, id }) =>
        Effect.gen(function* () {
          const handle = yield* agents.spawn({
            sessionId: id,
            worktreePath: `${runner}:/tmp`,
            model: null,
            instructions: "",
            env: {},
            approvalPolicy: "never",
            sandbox: "workspace-write"
          })
          return yield* handle.events.pipe(
            Stream.grouped(BATCH),
            Stream.mapEffect((chunk) => store.append([...chunk].map((event) => new SessionEvent({ sessionId: id, event })))),
            Stream.runFold(0, (sum, stored) => sum + stored.length)
          )
        }),
      { concurrency: "unbounded" }
    )
    const seconds = (performance.now() - start) / 1000
    return { events: counts.reduce((a, b) => a + b, 0), seconds }
  }).pipe(Effect.scoped)
