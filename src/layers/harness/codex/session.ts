import { Command, type CommandExecutor, type FileSystem } from "@effect/platform"
import { type Duration, Effect, Either, Exit, Mailbox, Option, Ref, Schema, Scope } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import type { WorkerEvent } from "../../../domain/workerEvent.js"
import type { ApprovalDecision, HarnessHandle, SessionSpec } from "../../../services/Harness.js"
import { makeSessionEvents } from "../sessionEvents.js"
import { agentEnvironment } from "../secrets.js"
import { stopProcess } from "../stopProcess.js"
import { normalizeNotification } from "./normalize.js"
import {
  CommandApprovalParams,
  FileApprovalParams,
  ItemParams,
  type RequestId,
  ResolvedParams,
  ThreadResult,
  TurnResult,
  UserInputParams
} from "./protocol.js"
import { makeRpcConnection, type RpcConnection } from "./rpc.js"

const harness = "harness.codex"
const methodNotFound = -32601

export interface CodexSessionOptions {
  readonly binary: string
  readonly spec: SessionSpec
  /** A stored thread id to resume, or null for a new thread. */
  readonly resumeThreadId: string | null
  readonly requestTimeout: Duration.DurationInput
  readonly parentEnv: Readonly<Record<string, string | undefined>>
  /** `runtime.agent_env_remove`: names the agent's environment loses besides the secrets. */
  readonly envRemove: ReadonlyArray<string>
  readonly clientVersion: string
  readonly dataDir: string
  readonly logRaw: boolean
  readonly logNormalized: boolean
}

type PendingRequest =
  | { readonly kind: "approval"; readonly id: RequestId }
  | { readonly kind: "input"; readonly id: RequestId }

const harnessError = (operation: string, detail: string) => new HarnessError({ harness, operation, detail })

const decodeResult = <A, I>(schema: Schema.Schema<A, I>, operation: string) => (value: unknown) =>
  Schema.decodeUnknown(schema)(value).pipe(
    Effect.mapError(() => harnessError(operation, `unexpected answer: ${JSON.stringify(value).slice(0, 300)}`))
  )

const textInput = (text: string) => [{ type: "text", text, text_elements: [] }]

/**
 * One `codex app-server` process driving one thread. Everything it starts lives in `scope`;
 * closing the scope kills the process group.
 */
export const startCodexSession = (
  options: CodexSessionOptions,
  scope: Scope.CloseableScope
): Effect.Effect<HarnessHandle, HarnessError, CommandExecutor.CommandExecutor | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const { spec } = options
    const { activeTurn, end, events, finish, live, log, publish, usage } = yield* makeSessionEvents({
      harness,
      dataDir: options.dataDir,
      sessionId: spec.sessionId,
      logRaw: options.logRaw,
      logNormalized: options.logNormalized,
      scope
    })
    const lastCompletedTurn = yield* Ref.make<string | null>(null)
    const pending = new Map<string, PendingRequest>()
    // What a file-change approval is about: the paths its item announced when it started.
    const filePaths = new Map<string, string>()

    const child = yield* Command.make(options.binary, "app-server").pipe(
      Command.workingDirectory(spec.worktreePath),
      Command.env(agentEnvironment(options.parentEnv, spec.env, options.envRemove), { extendEnv: false }),
      Command.start,
      Effect.mapError((error) => harnessError("start codex app-server", error.message))
    )
    // Runs before the platform's own finalizer, whose SIGTERM wait has no bound.
    yield* Effect.addFinalizer(() => stopProcess(child))

    const onNotification = (method: string, params: unknown): Effect.Effect<void> =>
      Effect.gen(function* () {
        if (method === "item/started" || method === "item/completed") {
          const item = Schema.decodeUnknownOption(ItemParams)(params)
          if (Option.isSome(item) && "changes" in item.value.item) {
            const { id, changes } = item.value.item
            if (method === "item/started") filePaths.set(id, changes.map((change) => change.path).join(", "))
            else filePaths.delete(id)
          }
        }
        // A request the server withdrew (its turn ended) can no longer be answered.
        if (method === "serverRequest/resolved") {
          Option.map(Schema.decodeUnknownOption(ResolvedParams)(params), ({ requestId }) => pending.delete(String(requestId)))
        }
        const normalized = normalizeNotification(method, params, yield* Ref.get(usage))
        if (Either.isLeft(normalized)) {
          return yield* Effect.logWarning(`${harness}: ${method} did not decode: ${JSON.stringify(params).slice(0, 300)}`)
        }
        yield* Ref.set(usage, normalized.right.usage)
        for (const event of normalized.right.events) {
          if (event._tag === "TurnStarted") yield* Ref.set(activeTurn, Option.some(event.turnId))
          if (event._tag === "TurnCompleted") {
            yield* Ref.set(activeTurn, Option.none())
            yield* Ref.set(lastCompletedTurn, event.turnId)
          }
          yield* publish(event)
        }
        if (normalized.right.failure !== null) yield* finish(normalized.right.failure)
      })

    const rememberRequest = (id: RequestId, request: PendingRequest["kind"]) => {
      const key = String(id)
      pending.set(key, { kind: request, id })
      return key
    }

    const onServerRequest = (id: RequestId, method: string, params: unknown): Effect.Effect<void> => {
      const refuse = (detail: string) => rpc.respondError(id, methodNotFound, detail).pipe(Effect.ignore)
      // Decodes the request and shows it to the person; their answer goes back under the same id.
      const ask = <A, I>(schema: Schema.Schema<A, I>, kind: PendingRequest["kind"], toEvent: (p: A, requestId: string) => WorkerEvent) =>
        Schema.decodeUnknown(schema)(params).pipe(
          Effect.matchEffect({
            onFailure: () => refuse(`cannot read ${method}`),
            onSuccess: (p) => publish(toEvent(p, rememberRequest(id, kind)))
          })
        )
      switch (method) {
        case "item/commandExecution/requestApproval":
          return ask(CommandApprovalParams, "approval", (p, requestId) => ({
            _tag: "ApprovalRequested",
            requestId,
            kind: "command",
            subject: p.command ?? "(a command)",
            cwd: p.cwd ?? null,
            reason: p.reason ?? null
          }))
        case "item/fileChange/requestApproval":
          return ask(FileApprovalParams, "approval", (p, requestId) => ({
            _tag: "ApprovalRequested",
            requestId,
            kind: "fileChange",
            subject: filePaths.get(p.itemId) ?? "(file changes)",
            cwd: p.grantRoot ?? null,
            reason: p.reason ?? null
          }))
        case "item/tool/requestUserInput":
          return ask(UserInputParams, "input", (p, requestId) => ({
            _tag: "NeedsInput",
            requestId,
            questions: p.questions.map((q) => ({
              id: q.id,
              question: q.question,
              options: (q.options ?? []).map((o) => ({ label: o.label, description: o.description }))
            }))
          }))
        default:
          return refuse(`orchestrator does not handle ${method}`)
      }
    }

    const rpc: RpcConnection = yield* makeRpcConnection({
      process: child,
      log,
      requestTimeout: options.requestTimeout,
      handlers: { onNotification, onServerRequest }
    })

    // The process exiting on its own (not through kill) is a crash with its reason.
    yield* rpc.closed.pipe(Effect.flatMap(finish), Effect.forkIn(scope))

    yield* rpc.request("initialize", {
      clientInfo: { name: "orchestrator", title: "orchestrator", version: options.clientVersion },
      capabilities: { experimentalApi: true, requestAttestation: false }
    })
    yield* rpc.notify("initialized")

    const threadParams = {
      cwd: spec.worktreePath,
      approvalPolicy: spec.approvalPolicy,
      sandbox: spec.sandbox,
      ...(spec.model === null ? {} : { model: spec.model }),
      ...(spec.instructions === "" ? {} : { developerInstructions: spec.instructions })
    }
    const threadId = options.resumeThreadId === null
      ? (yield* rpc.request("thread/start", threadParams).pipe(Effect.flatMap(decodeResult(ThreadResult, "thread/start")))).thread.id
      : (yield* rpc.request("thread/resume", { ...threadParams, threadId: options.resumeThreadId, excludeTurns: true }).pipe(
        Effect.flatMap(decodeResult(ThreadResult, "thread/resume"))
      )).thread.id

    const startTurn = (text: string) =>
      rpc.request("turn/start", { threadId, input: textInput(text) }).pipe(
        Effect.flatMap(decodeResult(TurnResult, "turn/start")),
        Effect.flatMap(({ turn }) =>
          // turn/completed may already have been read by the time this answer is handled.
          Effect.flatMap(Ref.get(lastCompletedTurn), (last) =>
            last === turn.id ? Effect.void : Ref.set(activeTurn, Option.some(turn.id))
          )
        )
      )

    const sendInput = (text: string) =>
      Effect.flatMap(Ref.get(activeTurn), (active) =>
        Option.match(active, {
          onNone: () => startTurn(text),
          onSome: (turnId) =>
            rpc.request("turn/steer", { threadId, expectedTurnId: turnId, input: textInput(text) }).pipe(
              // The turn ended between our look and the server's: the input starts the next one.
              Effect.catchAll(() => startTurn(text))
            )
        })
      )

    const answer = (requestId: string, kind: PendingRequest["kind"], result: unknown) =>
      live(`answer ${kind} request`, Effect.gen(function* () {
        const request = pending.get(requestId)
        if (request === undefined || request.kind !== kind) {
          return yield* harnessError(`answer ${kind} request`, `no pending ${kind} request ${requestId}`)
        }
        pending.delete(requestId)
        yield* rpc.respond(request.id, result)
      }))

    const handle: HarnessHandle = {
      sessionId: spec.sessionId,
      harnessSessionId: threadId,
      events: Mailbox.toStream(events),
      sendInput: (text) => live("send input", sendInput(text)),
      interrupt: live("interrupt", Effect.flatMap(Ref.get(activeTurn), (active) =>
        Option.match(active, {
          onNone: () => Effect.void,
          onSome: (turnId) => Effect.asVoid(rpc.request("turn/interrupt", { threadId, turnId }))
        })
      )),
      answerInput: (requestId, answers) =>
        answer(requestId, "input", {
          answers: Object.fromEntries(Object.entries(answers).map(([question, value]) => [question, { answers: [value] }]))
        }),
      answerApproval: (requestId, decision: ApprovalDecision) => answer(requestId, "approval", { decision }),
      kill: Effect.zipRight(end(null), Scope.close(scope, Exit.void))
    }
    return handle
  }).pipe(Scope.extend(scope))

