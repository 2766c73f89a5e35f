import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Context, Effect, Layer, Option, Schema, type Scope, Stream, SubscriptionRef } from "effect"
import { rm } from "node:fs/promises"
import * as NodePath from "node:path"
import { SessionId } from "../../../../src/domain/ids.js"
import type { WorkerEvent } from "../../../../src/domain/workerEvent.js"
import { CodexLive } from "../../../../src/layers/harness/codex/CodexLive.js"
import { Harness, type HarnessHandle, type SessionSpec } from "../../../../src/services/Harness.js"
import { makeResponsesServer, type ResponsesServer } from "../../../fakes/modelServer/responsesServer.js"
import type { ResponsesTurn } from "../../../fakes/modelServer/responsesScript.js"
import { harnessAppConfig, makeTestRepo } from "../harnessWorld.js"

/**
 * A temp git repository, a private CODEX_HOME whose only provider is the scripted model server,
 * and the Codex layer configured for them. The real `codex app-server` runs against it offline.
 */
export interface CodexWorld {
  readonly repo: string
  readonly codexHome: string
  readonly dataDir: string
  readonly server: ResponsesServer
  readonly spec: (overrides?: Partial<SessionSpec>) => SessionSpec
}

export const codexConfig = (baseUrl: string) =>
  [
    `model = "m"`,
    `model_provider = "mock"`,
    `[model_providers.mock]`,
    `name = "mock"`,
    `base_url = "${baseUrl}"`,
    `wire_api = "responses"`,
    `env_key = "MOCK_API_KEY"`,
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    ""
  ].join("\n")

export const makeCodexWorld = (
  script: ReadonlyArray<ResponsesTurn>,
  codexHome?: string
): Effect.Effect<CodexWorld, never, Scope.Scope | FileSystem.FileSystem | NodeContext.NodeContext> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    // Removed with retries: codex may still be writing its session files into codex-home while its
    // process goes away, and a single rmdir then fails with ENOTEMPTY.
    const root = yield* Effect.acquireRelease(fs.makeTempDirectory({ prefix: "orch-codex-" }).pipe(Effect.orDie), (dir) =>
      Effect.promise(() => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }))
    )
    const repo = NodePath.join(root, "repo")
    const home = codexHome ?? NodePath.join(root, "codex-home")
    const dataDir = NodePath.join(root, "data")
    const server = yield* makeResponsesServer(script)
    yield* Effect.all([fs.makeDirectory(home, { recursive: true }), fs.makeDirectory(dataDir)]).pipe(Effect.orDie)
    yield* fs.writeFileString(NodePath.join(home, "config.toml"), codexConfig(server.baseUrl)).pipe(Effect.orDie)
    yield* makeTestRepo(repo)
    return {
      repo,
      codexHome: home,
      dataDir,
      server,
      spec: (overrides = {}) => ({
        sessionId: Schema.decodeSync(SessionId)("ses-codex-1"),
        worktreePath: repo,
        model: null,
        instructions: "You work on the test repository.",
        env: { CODEX_HOME: home, MOCK_API_KEY: "mock-key" },
        approvalPolicy: "never",
        sandbox: "workspace-write",
        ...overrides
      })
    }
  })

/** The Codex layer with config from `runtime` overrides and the world's data dir. */
export const codexLayer = (world: CodexWorld, runtime: Record<string, unknown> = {}) =>
  CodexLive.pipe(
    Layer.provide(harnessAppConfig(world.dataDir, { harness_server_startup_timeout_secs: 20, ...runtime })),
    Layer.provide(NodeContext.layer)
  )

/** The Codex harness, built in the test's scope so its sessions live until the test ends. */
export const codexHarness = (world: CodexWorld, runtime: Record<string, unknown> = {}) =>
  Layer.build(codexLayer(world, runtime)).pipe(Effect.map(Context.get(Harness)))

/** Every event the handle emitted so far, and a way to wait for one without polling. */
export interface Recorder {
  readonly events: Effect.Effect<ReadonlyArray<WorkerEvent>>
  readonly waitFor: (predicate: (events: ReadonlyArray<WorkerEvent>) => boolean) => Effect.Effect<ReadonlyArray<WorkerEvent>>
  /** Resolves once the handle's stream has ended. */
  readonly ended: Effect.Effect<void>
}

export const record = (handle: HarnessHandle): Effect.Effect<Recorder, never, Scope.Scope> =>
  Effect.gen(function* () {
    const seen = yield* SubscriptionRef.make<ReadonlyArray<WorkerEvent>>([])
    const ended = yield* SubscriptionRef.make(false)
    yield* handle.events.pipe(
      Stream.runForEach((event) => SubscriptionRef.update(seen, (events) => [...events, event])),
      Effect.ensuring(SubscriptionRef.set(ended, true)),
      Effect.ignore,
      Effect.forkScoped
    )
    const waitFor = (predicate: (events: ReadonlyArray<WorkerEvent>) => boolean) =>
      seen.changes.pipe(
        Stream.filter(predicate),
        Stream.runHead,
        Effect.flatMap(Option.match({ onNone: () => SubscriptionRef.get(seen), onSome: Effect.succeed })),
        Effect.timeoutFail({ duration: "40 seconds", onTimeout: () => "timed out waiting for an event" }),
        Effect.catchAll((message) => Effect.flatMap(SubscriptionRef.get(seen), (events) => Effect.die(`${message}; seen: ${JSON.stringify(events.map((e) => e._tag))}`)))
      )
    return {
      events: SubscriptionRef.get(seen),
      waitFor,
      ended: ended.changes.pipe(Stream.filter((done) => done), Stream.runHead, Effect.asVoid)
    }
  })

export const count = (tag: WorkerEvent["_tag"]) => (events: ReadonlyArray<WorkerEvent>) =>
  events.filter((event) => event._tag === tag).length

export const atLeast = (tag: WorkerEvent["_tag"], n = 1) => (events: ReadonlyArray<WorkerEvent>) => count(tag)(events) >= n

export const runningCommand = (events: ReadonlyArray<WorkerEvent>) =>
  events.some((event) => event._tag === "CommandExecution" && event.status === "running")

/** The tags of the events a person would notice, deltas left out. */
export const visibleTags = (events: ReadonlyArray<WorkerEvent>) =>
  events.filter((event) => !event._tag.endsWith("Delta")).map((event) => event._tag)
