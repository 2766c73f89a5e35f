import { Command, type CommandExecutor, type FileSystem } from "@effect/platform"
import { Deferred, type Duration, Effect, Exit, Mailbox, Option, Ref, Scope } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import type { WorkerEvent } from "../../../domain/workerEvent.js"
import type { ApprovalDecision, HarnessHandle, SessionSpec } from "../../../services/Harness.js"
import { makeSessionEvents } from "../sessionEvents.js"
import { agentEnvironment } from "../secrets.js"
import { stopProcess } from "../stopProcess.js"
import { type CanUseTool, controlRequest, controlSuccess, type OutputLine, type PermissionResult, userMessage } from "./protocol.js"
import { makeClaudeStdio } from "./stdio.js"
import { addUsage, makeTranslator } from "./translate.js"

const harness = "harness.claude"

export interface ClaudeSessionOptions {
  readonly binary: string
  readonly spec: SessionSpec
  /** Claude Code's session id: a fresh UUID for a new session, the stored one to resume. */
  readonly claudeSessionId: string
  readonly resume: boolean
  readonly requestTimeout: Duration.DurationInput
  readonly parentEnv: Readonly<Record<string, string | undefined>>
  /** `runtime.agent_env_remove`: names the agent's environment loses besides the secrets. */
  readonly envRemove: ReadonlyArray<string>
  readonly dataDir: string
  readonly logRaw: boolean
  readonly logNormalized: boolean
}

type Pending = { readonly kind: "approval" | "input"; readonly request: CanUseTool }

/**
 * Defaults the agent's environment starts from: TodoWrite instead of the task tools (its list is
 * the plan orchestrator shows), and no self-update of the installed binary.
 */
const agentDefaults: Readonly<Record<string, string>> = { CLAUDE_CODE_ENABLE_TASKS: "false", DISABLE_AUTOUPDATER: "1" }

const editTools = "Write,Edit,MultiEdit,NotebookEdit"

export const claudeArgs = (options: Pick<ClaudeSessionOptions, "spec" | "claudeSessionId" | "resume">): ReadonlyArray<string> => {
  const { spec } = options
  return [
    "--print",
    "--input-format", "stream-json",
    "--output-format", "stream-json",
    "--verbose",
    "--include-partial-messages",
    // Every permission prompt comes to orchestrator as a `can_use_tool` control request.
    "--permission-prompt-tool", "stdio",
    ...(options.resume ? ["--resume", options.claudeSessionId] : ["--session-id", options.claudeSessionId]),
    ...(spec.model === null ? [] : ["--model", spec.model]),
    ...(spec.instructions === "" ? [] : ["--append-system-prompt", spec.instructions]),
    ...(spec.sandbox === "read-only" ? ["--disallowed-tools", editTools] : [])
  ]
}

const commandTools = new Set(["Bash"])
const fileTools = new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"])

/** What the person is asked to approve, from the tool and its input. */
const approvalEvent = (requestId: string, request: CanUseTool, cwd: string): WorkerEvent => {
  const field = (key: string) => (typeof request.input[key] === "string" ? request.input[key] : null)
  const kind = commandTools.has(request.tool_name) ? "command" : fileTools.has(request.tool_name) ? "fileChange" : "permission"
  const subject = kind === "command"
    ? (field("command") ?? "(a command)")
    : kind === "fileChange"
    ? (field("file_path") ?? field("notebook_path") ?? "(a file)")
    : `${request.tool_name} ${JSON.stringify(request.input).slice(0, 300)}`
  return { _tag: "ApprovalRequested", requestId, kind, subject, cwd, reason: request.decision_reason ?? request.description ?? null }
}

/**
 * The CLI suggests rules to remember an approval, some saved in the worktree's
 * `.claude/settings.local.json`; "for this session" keeps them in the session only.
 */
const forThisSession = (suggestion: unknown): unknown =>
  typeof suggestion === "object" && suggestion !== null && "destination" in suggestion ? { ...suggestion, destination: "session" } : suggestion

const questionEvent = (requestId: string, request: CanUseTool): WorkerEvent => {
  const questions = Array.isArray(request.input["questions"]) ? request.input["questions"] : []
  return {
    _tag: "NeedsInput",
    requestId,
    questions: questions.flatMap((q: unknown) => {
      if (typeof q !== "object" || q === null || !("question" in q) || typeof q.question !== "string") return []
      const options = "options" in q && Array.isArray(q.options) ? q.options : []
      return [{
        // AskUserQuestion's answers are keyed by the question's text.
        id: q.question,
        question: q.question,
        options: options.flatMap((o: unknown) =>
          typeof o === "object" && o !== null && "label" in o && typeof o.label === "string"
            ? [{ label: o.label, description: "description" in o && typeof o.description === "string" ? o.description : null }]
            : []
        )
      }]
    })
  }
}

/**
 * One `claude --print` process in stream-json mode driving one Claude Code session. Everything it
 * starts lives in `scope`; closing the scope kills the process group.
 */
export const startClaudeSession = (
  options: ClaudeSessionOptions,
  scope: Scope.CloseableScope
): Effect.Effect<HarnessHandle, HarnessError, CommandExecutor.CommandExecutor | FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const { spec } = options
    const cwd = spec.worktreePath
    const error = (operation: string, detail: string) => new HarnessError({ harness, operation, detail })
    const translator = makeTranslator(cwd)
    const { activeTurn, end, events, finish, live, log, publish, usage } = yield* makeSessionEvents({
      harness,
      dataDir: options.dataDir,
      sessionId: spec.sessionId,
      logRaw: options.logRaw,
      logNormalized: options.logNormalized,
      scope,
      openItems: () => translator.closeOpen("failed")
    })
    const turns = yield* Ref.make(0)
    const interrupting = yield* Ref.make(false)
    const pending = new Map<string, Pending>()
    const controlAnswers = new Map<string, Deferred.Deferred<void, HarnessError>>()
    const controlIds = yield* Ref.make(0)

    const publishAll = (list: ReadonlyArray<WorkerEvent>) => Effect.forEach(list, publish, { discard: true })

    const startTurn = Effect.gen(function* () {
      const turnId = `turn-${(yield* Ref.updateAndGet(turns, (n) => n + 1))}`
      yield* Ref.set(activeTurn, Option.some(turnId))
      yield* Ref.set(interrupting, false)
      yield* publish({ _tag: "TurnStarted", turnId })
    })

    const onResult = (line: Extract<OutputLine, { _tag: "result" }>) =>
      Effect.gen(function* () {
        const turn = yield* Ref.getAndSet(activeTurn, Option.none())
        // Outside a turn (a resume of an unknown session): the CLI exits next and says why on stderr.
        if (Option.isNone(turn)) return yield* Effect.logWarning(`${harness}: a result outside a turn: ${line.result ?? line.subtype}`)
        const total = yield* Ref.updateAndGet(usage, (before) => addUsage(before, line.usage))
        const interrupted = (yield* Ref.get(interrupting)) && line.subtype !== "success"
        const status = interrupted ? "interrupted" : line.is_error ? "failed" : "completed"
        const reason = status === "failed" ? (line.result ?? line.errors?.join("; ") ?? `the turn ended with ${line.subtype}`) : null
        if (status !== "completed") yield* publishAll(translator.closeOpen("failed"))
        // A request the CLI still had open is void once its turn is over.
        pending.clear()
        yield* publish({ _tag: "TurnCompleted", turnId: turn.value, status, usage: total, error: reason })
        if (reason !== null) return yield* finish(reason)
        if ((line.queued_turn_count ?? 0) > 0) yield* startTurn
      })

    const onToolRequest = (requestId: string, request: CanUseTool) => {
      if (request.tool_name === "AskUserQuestion") {
        pending.set(requestId, { kind: "input", request })
        return publish(questionEvent(requestId, request))
      }
      // `never`: nothing is put to the person; every tool Claude Code asks about may run.
      if (spec.approvalPolicy === "never") return reply(requestId, { behavior: "allow", updatedInput: request.input }).pipe(Effect.ignore)
      pending.set(requestId, { kind: "approval", request })
      return publish(approvalEvent(requestId, request, cwd))
    }

    const onLine = (line: OutputLine): Effect.Effect<void> => {
      switch (line._tag) {
        case "result":
          return onResult(line)
        case "control_request":
          return "tool_name" in line.request
            ? onToolRequest(line.request_id, line.request)
            : stdio.write({ type: "control_response", response: { subtype: "error", request_id: line.request_id, error: `orchestrator does not handle ${line.request.subtype}` } }).pipe(Effect.ignore)
        case "control_response": {
          const waiter = controlAnswers.get(line.response.request_id)
          if (waiter === undefined) return Effect.void
          controlAnswers.delete(line.response.request_id)
          return line.response.subtype === "success"
            ? Deferred.succeed(waiter, undefined)
            : Deferred.fail(waiter, error("control request", line.response.error ?? "refused"))
        }
        case "control_cancel_request":
          // The CLI withdrew the question (its turn was interrupted): it can no longer be answered.
          return Effect.sync(() => void pending.delete(line.request_id))
        default:
          return publishAll(translator.translate(line))
      }
    }

    const child = yield* Command.make(options.binary, ...claudeArgs(options)).pipe(
      Command.workingDirectory(cwd),
      Command.env(agentEnvironment(options.parentEnv, { ...agentDefaults, ...spec.env }, options.envRemove), { extendEnv: false }),
      Command.start,
      Effect.mapError((cause) => error("start claude", cause.message))
    )
    // Runs before the platform's own finalizer, whose SIGTERM wait has no bound.
    yield* Effect.addFinalizer(() => stopProcess(child))

    const stdio = yield* makeClaudeStdio({ process: child, log, writeTimeout: options.requestTimeout, onLine })
    const reply = (requestId: string, result: PermissionResult) => stdio.write(controlSuccess(requestId, result))

    /** Sends a control request and waits for the CLI's answer. */
    const control = (subtype: string) =>
      Effect.gen(function* () {
        const id = `orchestrator-${yield* Ref.updateAndGet(controlIds, (n) => n + 1)}`
        const answered = yield* Deferred.make<void, HarnessError>()
        controlAnswers.set(id, answered)
        yield* stdio.write(controlRequest(id, { subtype }))
        yield* Deferred.await(answered).pipe(
          Effect.raceFirst(Effect.flatMap(stdio.closed, (reason) => Effect.fail(error(subtype, reason)))),
          Effect.timeoutFail({ duration: options.requestTimeout, onTimeout: () => error(subtype, "claude did not answer") }),
          Effect.ensuring(Effect.sync(() => controlAnswers.delete(id)))
        )
      })

    // The process exiting on its own (not through kill) is a crash with its reason.
    yield* stdio.closed.pipe(Effect.flatMap(finish), Effect.forkIn(scope))
    // The CLI answers `initialize` once it is up: a binary that cannot start fails the spawn.
    yield* control("initialize")

    const sendInput = (text: string) =>
      Effect.gen(function* () {
        // Input during a turn is queued by the CLI and runs as the next turn (see onResult).
        if (Option.isNone(yield* Ref.get(activeTurn))) yield* startTurn
        yield* stdio.write(userMessage(text))
      })

    const take = (requestId: string, kind: Pending["kind"]) =>
      Effect.suspend(() => {
        const request = pending.get(requestId)
        if (request === undefined || request.kind !== kind) return Effect.fail(error(`answer ${kind} request`, `no pending ${kind} request ${requestId}`))
        pending.delete(requestId)
        return Effect.succeed(request.request)
      })

    const decide = (request: CanUseTool, decision: ApprovalDecision): PermissionResult =>
      decision === "decline"
        ? { behavior: "deny", message: "The person declined this." }
        : decision === "acceptForSession" && request.permission_suggestions !== undefined
        ? { behavior: "allow", updatedInput: request.input, updatedPermissions: request.permission_suggestions.map(forThisSession) }
        : { behavior: "allow", updatedInput: request.input }

    const handle: HarnessHandle = {
      sessionId: spec.sessionId,
      harnessSessionId: options.claudeSessionId,
      events: Mailbox.toStream(events),
      sendInput: (text) => live("send input", sendInput(text)),
      interrupt: live("interrupt", Effect.flatMap(Ref.get(activeTurn), (active) =>
        Option.isNone(active) ? Effect.void : Effect.zipRight(Ref.set(interrupting, true), control("interrupt"))
      )),
      answerInput: (requestId, answers) =>
        live("answer input request", Effect.flatMap(take(requestId, "input"), (request) =>
          reply(requestId, { behavior: "allow", updatedInput: { ...request.input, answers } })
        )),
      answerApproval: (requestId, decision) =>
        live("answer approval request", Effect.flatMap(take(requestId, "approval"), (request) => reply(requestId, decide(request, decision)))),
      kill: Effect.zipRight(end(null), Scope.close(scope, Exit.void))
    }
    return handle
  }).pipe(Scope.extend(scope))
