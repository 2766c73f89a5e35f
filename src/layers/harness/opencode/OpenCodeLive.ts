import type { CommandExecutor, FileSystem, HttpClient } from "@effect/platform"
import { Deferred, Duration, Effect, ExecutionStrategy, Exit, Layer, Option, Queue, Schedule, Scope, Stream, SynchronizedRef } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import type { TokenUsage, WorkerEvent } from "../../../domain/workerEvent.js"
import { AppConfig } from "../../../services/AppConfig.js"
import { type ApprovalDecision, Harness, type HarnessHandle, type SessionSpec } from "../../../services/Harness.js"
import { type HarnessLog, makeHarnessLog } from "../jsonlLog.js"
import { harnessName, makeOpenCodeClient, type OpenCodeClient, serverHeaders } from "./client.js"
import { runEventSubscription } from "./eventSubscription.js"
import { acquireServer, type RunningServer } from "./server.js"
import { SessionTranslator } from "./translate.js"
import { decodeFrameData, eventSessionId } from "./wire.js"

export interface OpenCodeOptions {
  /** The environment orchestrator runs in (the spawned server gets it minus the secrets). */
  readonly environment: Readonly<Record<string, string | undefined>>
  /** Silence on the event stream longer than this reconnects it; OpenCode beats every ~10 s. */
  readonly heartbeatTimeout?: Duration.DurationInput
}

/** Events waiting for a slow consumer; the event reader waits (never drops) when it is full. */
const sessionQueueCapacity = 1024
const reconnectAttempts = 6

interface Registered {
  readonly id: string
  readonly directory: string
  readonly translator: SessionTranslator
  readonly queue: Queue.Queue<WorkerEvent>
  readonly log: HarnessLog
  /** Holds the log files; closed by `kill`, or with the connection. */
  readonly scope: Scope.CloseableScope
}

interface Connection {
  readonly server: RunningServer
  readonly client: OpenCodeClient
  /** Completes with the reason when the server or its event stream is gone for good. */
  readonly dead: Deferred.Deferred<string>
  readonly scope: Scope.CloseableScope
}

const replies: Readonly<Record<ApprovalDecision, "once" | "always" | "reject">> = {
  accept: "once",
  acceptForSession: "always",
  decline: "reject"
}

/** OpenCode has no sandbox: approval policy and sandbox become the session's permission rules. */
const permissionRules = (spec: SessionSpec): ReadonlyArray<{ permission: string; pattern: string; action: string }> => {
  const rules = [{ permission: "*", pattern: "*", action: "allow" }]
  if (spec.approvalPolicy !== "never") {
    rules.push({ permission: "bash", pattern: "*", action: "ask" }, { permission: "edit", pattern: "*", action: "ask" })
  }
  if (spec.sandbox === "read-only") rules.push({ permission: "edit", pattern: "*", action: "deny" })
  return rules
}

/** `provider/model` → OpenCode's model reference; anything else leaves the server's default. */
const modelRef = (model: string | null) => {
  const slash = model?.indexOf("/") ?? -1
  if (model === null || slash <= 0) return {}
  return { model: { providerID: model.slice(0, slash), modelID: model.slice(slash + 1) } }
}

const isTerminal = (event: WorkerEvent) => event._tag === "Done" || event._tag === "Crashed"

export const makeOpenCodeHarness = (options: OpenCodeOptions) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const runtime = config.settings.runtime
    const layerScope = yield* Effect.scope
    const context = yield* Effect.context<CommandExecutor.CommandExecutor | FileSystem.FileSystem | HttpClient.HttpClient>()
    const sessions = new Map<string, Registered>()
    const connection = yield* SynchronizedRef.make(Option.none<Connection>())

    const deliver = (session: Registered, events: ReadonlyArray<WorkerEvent>) =>
      Effect.forEach(events, (event) => session.log.normalized(event).pipe(Effect.zipRight(Queue.offer(session.queue, event))), {
        discard: true
      })

    // The turn in flight fails with the reason (closing its running commands), then the session ends.
    const crashAll = (reason: string) =>
      Effect.forEach(
        [...sessions.values()],
        (session) => deliver(session, [...session.translator.failTurn(reason), { _tag: "Crashed", reason }]),
        { discard: true }
      )

    const onFrame = (json: unknown) =>
      Effect.gen(function* () {
        const frame = decodeFrameData(json)
        if (frame._tag === "Ignored") return
        if (frame._tag === "Undecodable") {
          return yield* Effect.logWarning(`${harnessName}: cannot read a ${frame.type} event: ${frame.detail}`)
        }
        const id = eventSessionId(frame.event)
        const session = id === undefined ? undefined : sessions.get(id)
        if (session === undefined) return
        yield* session.log.raw("in", json)
        yield* deliver(session, session.translator.translate(frame.event))
      })

    /** After a reconnect an idle may have been missed: ask the server who is still busy. */
    const reconcile = (client: OpenCodeClient) =>
      Effect.forEach(
        [...sessions.values()].filter((session) => session.translator.turnActive),
        (session) =>
          client.statuses(session.directory).pipe(
            Effect.flatMap((statuses) =>
              statuses[session.id]?.type === "busy" ? Effect.void : deliver(session, session.translator.settleIfIdle())
            ),
            Effect.catchAll((error) => Effect.logWarning(error.message))
          ),
        { discard: true }
      )

    const connect = Effect.gen(function* () {
      const scope = yield* Scope.fork(layerScope, ExecutionStrategy.sequential)
      const server = yield* acquireServer({
        attachUrl: runtime.opencode_server_base_url,
        binary: runtime.opencode_binary,
        allowUnsafeCommandPaths: runtime.allow_unsafe_command_paths,
        startupTimeout: Duration.seconds(runtime.harness_server_startup_timeout_secs),
        environment: options.environment,
        environmentRemove: runtime.agent_env_remove,
        workingDirectory: config.dataDir
      }).pipe(Scope.extend(scope), Effect.onError((cause) => Scope.close(scope, Exit.failCause(cause))))
      const client = yield* makeOpenCodeClient(server.address)
      const dead = yield* Deferred.make<string>()
      const die = (reason: string) =>
        Deferred.succeed(dead, reason).pipe(
          Effect.zipRight(crashAll(reason)),
          // The scope holds this very fiber: close it from outside.
          Effect.zipRight(Effect.forkDaemon(Scope.close(scope, Exit.void)))
        )
      const subscription = runEventSubscription({
        url: `${server.address.baseUrl}/global/event`,
        headers: serverHeaders(server.address),
        heartbeatTimeout: options.heartbeatTimeout ?? Duration.seconds(30),
        maxAttempts: reconnectAttempts,
        baseDelay: Duration.millis(200),
        maxDelay: Duration.seconds(5),
        onFrame,
        onConnected: reconcile(client),
        onGarbage: (text) => Effect.logWarning(`${harnessName}: unreadable event: ${text.slice(0, 200)}`)
      })
      yield* Effect.forkIn(
        Effect.raceFirst(
          subscription.pipe(Effect.map((reason) => `lost the opencode event stream: ${reason}`)),
          server.exited
        ).pipe(Effect.flatMap(die)),
        scope
      )
      const live: Connection = { server, client, dead, scope }
      return live
    })

    const ensureConnection = SynchronizedRef.modifyEffect(connection, (current) =>
      Effect.gen(function* () {
        if (Option.isSome(current) && !(yield* Deferred.isDone(current.value.dead))) return [current.value, current] as const
        const fresh = yield* connect
        return [fresh, Option.some(fresh)] as const
      })
    ).pipe(Effect.provide(context))

    const register = (spec: SessionSpec, live: Connection, id: string, usage: TokenUsage | undefined) =>
      Effect.gen(function* () {
        // The session's own scope: an attached server's connection can outlive any number of sessions.
        const scope = yield* Scope.fork(live.scope, ExecutionStrategy.sequential)
        const log = yield* makeHarnessLog({
          harness: harnessName,
          dataDir: config.dataDir,
          sessionId: spec.sessionId,
          raw: runtime.harness_log_raw_events,
          normalized: runtime.harness_log_normalized_events
        }).pipe(Scope.extend(scope), Effect.provide(context), Effect.onError((cause) => Scope.close(scope, Exit.failCause(cause))))
        const session: Registered = {
          scope,
          id,
          directory: spec.worktreePath,
          translator: new SessionTranslator(spec.worktreePath, usage),
          queue: yield* Queue.bounded<WorkerEvent>(sessionQueueCapacity),
          log
        }
        sessions.set(id, session)
        return makeHandle(spec, live, session)
      })

    const makeHandle = (spec: SessionSpec, live: Connection, session: Registered): HarnessHandle => {
      const { client } = live
      const dir = session.directory
      // Once the server is gone every call would fail anyway: refuse at once, saying why.
      const whileServing = <A>(operation: string, effect: Effect.Effect<A, HarnessError>) =>
        Effect.flatMap(Deferred.poll(live.dead), (dead) =>
          Option.match(dead, {
            // A killed session fails the call; its shut-down queue would interrupt the caller instead.
            onNone: () =>
              sessions.has(session.id) ? effect : new HarnessError({ harness: harnessName, operation, detail: "the session was killed" }),
            onSome: Effect.flatMap((reason) =>
              new HarnessError({ harness: harnessName, operation, detail: `the session has ended: ${reason}` })
            )
          })
        )
      const settled = client.statuses(dir).pipe(
        Effect.map((statuses) => statuses[session.id]?.type !== "busy"),
        Effect.repeat({ schedule: Schedule.spaced(Duration.millis(100)), until: (idle) => idle }),
        Effect.timeout(Duration.seconds(5)),
        Effect.ignore
      )
      const sendInput = (text: string) =>
        Effect.gen(function* () {
          const body = {
            parts: [{ type: "text", text }],
            ...modelRef(spec.model),
            ...(spec.instructions === "" ? {} : { system: spec.instructions })
          }
          // OpenCode announces idle a moment before it is ready; a prompt in that gap is lost.
          if (!session.translator.turnActive) yield* settled
          yield* deliver(session, session.translator.beginTurn())
          yield* session.log.raw("out", { prompt_async: body })
          yield* client.promptAsync(dir, session.id, body).pipe(
            Effect.tapError((error) => deliver(session, session.translator.failTurn(error.detail)))
          )
        })
      return {
        sessionId: spec.sessionId,
        harnessSessionId: session.id,
        events: Stream.fromQueue(session.queue).pipe(Stream.takeUntil(isTerminal)),
        sendInput: (text) => whileServing("send a prompt", sendInput(text)),
        interrupt: whileServing("abort the turn", client.abort(dir, session.id)),
        answerApproval: (requestId, decision) =>
          whileServing("answer a permission", client.replyPermission(dir, requestId, replies[decision])),
        answerInput: (requestId, answers) => {
          const ordered = Object.keys(answers)
            .sort((a, b) => Number(a) - Number(b))
            .map((key) => [answers[key] ?? ""])
          return whileServing("answer a question", client.replyQuestion(dir, requestId, ordered))
        },
        kill: Effect.gen(function* () {
          yield* client.abort(dir, session.id).pipe(Effect.ignore)
          sessions.delete(session.id)
          yield* Queue.shutdown(session.queue)
          yield* Scope.close(session.scope, Exit.void)
        })
      }
    }

    return Harness.of({
      id: "harness.opencode",
      capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true },
      health: ensureConnection.pipe(Effect.map((live) => live.server.description)),
      spawn: (spec) =>
        Effect.gen(function* () {
          const live = yield* ensureConnection
          const created = yield* live.client.createSession(spec.worktreePath, {
            title: `orchestrator ${spec.sessionId}`,
            permission: permissionRules(spec)
          })
          return yield* register(spec, live, created.id, undefined)
        }),
      resume: (spec, harnessSessionId) =>
        Effect.gen(function* () {
          const live = yield* ensureConnection
          const info = yield* live.client.getSession(spec.worktreePath, harnessSessionId)
          const tokens = info.tokens
          const usage =
            tokens === undefined
              ? undefined
              : { input: tokens.input, output: tokens.output, total: tokens.input + tokens.output + tokens.reasoning }
          return yield* register(spec, live, info.id, usage)
        })
    })
  })


/** The live OpenCode harness, spawning or attaching to `opencode serve` on first use. */
export const OpenCodeLive = (options: OpenCodeOptions) => Layer.scoped(Harness, makeOpenCodeHarness(options))
