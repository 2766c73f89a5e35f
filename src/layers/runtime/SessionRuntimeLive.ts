import { Cause, type Chunk, Clock, Duration, Effect, Either, Exit, Fiber, Layer, Option, Scope, Stream } from "effect"
import { type BusEnvelope, envelope } from "../../domain/bus.js"
import {
  AgentInstructed,
  type DomainEvent,
  HarnessBound,
  InboxItemResolved,
  SessionEvent,
  SessionSpawned,
  SessionStateChanged,
  UserResponded
} from "../../domain/events.js"
import { HarnessError } from "../../domain/errors.js"
import type { SessionId, TicketId, WorkItemId } from "../../domain/ids.js"
import { stateAfterEvent, transition } from "../../domain/lifecycle.js"
import { SessionAlreadyLive, SessionNotLive } from "../../domain/runtimeErrors.js"
import { isTerminalSessionState, type SessionState } from "../../domain/session.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventBus } from "../../services/EventBus.js"
import { Harness, type HarnessHandle, type SessionSpec } from "../../services/Harness.js"
import { Scheduler } from "../../services/Scheduler.js"
import { type Instruction, SessionRuntime, type SessionView } from "../../services/SessionRuntime.js"
import { inboxItemFor, requestInboxId, stallInboxItem } from "./inboxItems.js"
import { checkStall, notStalled, type StallPolicy, type StallState } from "./stallWatch.js"

export interface RuntimeOptions {
  readonly stall: StallPolicy
  /** How often the scheduler looks for stalled sessions. */
  readonly stallCheckEvery: Duration.DurationInput
  readonly checkpointEvery: Duration.DurationInput
  /** A spawn or resume that takes longer fails. */
  readonly spawnTimeout: Duration.DurationInput
  /** Time a killed session's reader gets to store the events already emitted. */
  readonly killGrace: Duration.DurationInput
}

interface Live {
  readonly sessionId: SessionId
  readonly workItemId: WorkItemId | null
  readonly ticketId: TicketId | null
  readonly harnessSessionId: string
  readonly handle: HarnessHandle
  /** Holds the concurrency slot; closed once the session ends. */
  readonly slot: Scope.CloseableScope
  state: SessionState
  lastEventAt: number
  stall: StallState
  checkpoints: number
  reader: Fiber.RuntimeFiber<void> | null
}

/** Ended sessions kept for `session(id)` lookups before the oldest are forgotten. */
const MAX_ENDED = 1000
const CHECKPOINT_TEXT =
  "Checkpoint: in a few lines, say what you have done since the last checkpoint, what you are doing now, and anything blocking you. Then continue."

const stallText = (silentMs: number) =>
  `You have produced no output for ${Math.round(silentMs / 1000)} s. Continue the task, or say what is blocking you.`

const describe = (error: { readonly message: string }): string => error.message

export const makeSessionRuntime = (options: RuntimeOptions) =>
  Effect.gen(function* () {
    const bus = yield* EventBus
    const harness = yield* Harness
    const scheduler = yield* Scheduler
    const layerScope = yield* Effect.scope
    const sessions = new Map<SessionId, Live>()
    let focusedId: SessionId | null = null
    let inboxSeq = 0

    const view = (live: Live): SessionView => ({
      sessionId: live.sessionId,
      state: live.state,
      harnessSessionId: live.harnessSessionId,
      lastEventAt: live.lastEventAt,
      stalled: live.stall.stalledAt !== null,
      stallRetries: live.stall.retries,
      focused: focusedId === live.sessionId,
      ...(live.handle.kept === undefined ? {} : { kept: live.handle.kept })
    })

    /** Moves the session if the lifecycle allows it; a refused move (e.g. after a terminal state) is dropped. */
    const move = (live: Live, to: SessionState, reason: string): SessionStateChanged | undefined => {
      if (live.state === to) return undefined
      const next = transition(live.state, to)
      if (Either.isLeft(next)) return undefined
      const change = new SessionStateChanged({ sessionId: live.sessionId, from: live.state, to, reason })
      live.state = to
      return change
    }

    const publish = (events: ReadonlyArray<DomainEvent | undefined>) => {
      const out: Array<BusEnvelope> = []
      for (const event of events) if (event !== undefined) out.push(envelope(event))
      return bus.publishAll(out)
    }

    /** Releases the slot once the session has ended, and forgets the oldest ended sessions. */
    const settle = (live: Live) =>
      Effect.suspend(() => {
        if (!isTerminalSessionState(live.state)) return Effect.void
        const ended = Array.from(sessions.values()).filter((s) => isTerminalSessionState(s.state))
        for (const old of ended.slice(0, Math.max(0, ended.length - MAX_ENDED))) sessions.delete(old.sessionId)
        return Scope.close(live.slot, Exit.void)
      })

    const onEvents = (live: Live, chunk: Chunk.Chunk<WorkerEvent>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        live.lastEventAt = now
        live.stall = notStalled
        const out: Array<DomainEvent | undefined> = []
        for (const event of chunk) {
          out.push(new SessionEvent({ sessionId: live.sessionId, event }, true))
          const next = stateAfterEvent(event)
          if (next !== undefined) out.push(move(live, next.to, next.reason))
          out.push(inboxItemFor(live.sessionId, live.workItemId, event, ++inboxSeq))
        }
        return Effect.zipRight(publish(out), settle(live))
      })

    const onStreamEnd = (live: Live, exit: Exit.Exit<void, HarnessError>) => {
      if (Exit.isInterrupted(exit)) return Effect.void
      const reason = Exit.match(exit, {
        onSuccess: () => "the harness event stream ended without Done",
        onFailure: (cause) =>
          `the harness failed: ${Option.match(Cause.failureOption(cause), { onNone: () => Cause.pretty(cause), onSome: describe })}`
      })
      return Effect.zipRight(publish([move(live, "Crashed", reason)]), settle(live))
    }

    const attach = (live: Live) =>
      Effect.gen(function* () {
        sessions.set(live.sessionId, live)
        const reader = live.handle.events.pipe(
          Stream.runForEachChunk((chunk) => onEvents(live, chunk)),
          Effect.exit,
          Effect.flatMap((exit) => onStreamEnd(live, exit))
        )
        live.reader = yield* Effect.forkIn(reader, layerScope)
      })

    /** Runs `open` holding a slot; on failure or interruption the slot is given back and the start is recorded as Crashed. */
    const admit = <E extends { readonly message: string }>(
      sessionId: SessionId,
      from: SessionState,
      before: ReadonlyArray<DomainEvent>,
      open: Effect.Effect<HarnessHandle, E>,
      label: string
    ) =>
      Effect.gen(function* () {
        const existing = sessions.get(sessionId)
        if (existing !== undefined && !isTerminalSessionState(existing.state)) {
          return yield* Effect.fail(new SessionAlreadyLive({ sessionId, state: existing.state }))
        }
        const slot = yield* Scope.make()
        return yield* Effect.gen(function* () {
          yield* Scope.extend(scheduler.acquireSessionSlot(sessionId), slot)
          yield* publish(before)
          const handle = yield* open.pipe(
            Effect.timeoutFail({
              duration: options.spawnTimeout,
              onTimeout: () =>
                new HarnessError({ harness: harness.id, operation: label, detail: `no answer within ${Duration.format(Duration.decode(options.spawnTimeout))}` })
            }),
            Effect.tapError((error) =>
              publish([
                new SessionStateChanged({
                  sessionId,
                  from,
                  to: "Crashed",
                  reason: `${label} failed: ${describe(error)}`
                })
              ])
            )
          )
          return { handle, slot }
        }).pipe(Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : Scope.close(slot, Exit.void))))
      })

    const newLive = (
      handle: HarnessHandle,
      slot: Scope.CloseableScope,
      meta: { readonly workItemId: WorkItemId | null; readonly ticketId: TicketId | null },
      state: SessionState,
      now: number
    ): Live => ({
      sessionId: handle.sessionId,
      workItemId: meta.workItemId,
      ticketId: meta.ticketId,
      harnessSessionId: handle.harnessSessionId,
      handle,
      slot,
      state,
      lastEventAt: now,
      stall: notStalled,
      checkpoints: 0,
      reader: null
    })

    const liveSession = (sessionId: SessionId) =>
      Effect.suspend(() => {
        const live = sessions.get(sessionId)
        return live === undefined || isTerminalSessionState(live.state)
          ? Effect.fail(new SessionNotLive({ sessionId, state: live?.state ?? null }))
          : Effect.succeed(live)
      })

    const instructLive = (live: Live, instruction: Instruction) =>
      Effect.zipRight(
        publish([
          new AgentInstructed({
            sessionId: live.sessionId,
            workItemId: live.workItemId,
            reason: instruction.reason,
            attempt: instruction.attempt,
            text: instruction.text
          })
        ]),
        live.handle.sendInput(instruction.text)
      )

    const start = (request: { readonly spec: SessionSpec; readonly workItemId: WorkItemId | null; readonly ticketId: TicketId | null; readonly prompt: string | null }) =>
      Effect.gen(function* () {
        const { spec } = request
        const spawned = new SessionSpawned({
          sessionId: spec.sessionId,
          workItemId: request.workItemId,
          ticketId: request.ticketId,
          harness: harness.id,
          model: spec.model,
          worktreePath: spec.worktreePath
        })
        const { handle, slot } = yield* admit(spec.sessionId, "Starting", [spawned], harness.spawn(spec), "spawn")
        const live = newLive(handle, slot, request, "Starting", yield* Clock.currentTimeMillis)
        const first =
          request.prompt === null ? move(live, "Idle", "spawned; waiting for input") : move(live, "Running", "spawned; first turn sent")
        yield* publish([new HarnessBound({ sessionId: live.sessionId, harness: harness.id, harnessSessionId: handle.harnessSessionId }), first])
        yield* attach(live)
        if (request.prompt !== null) {
          yield* instructLive(live, { reason: "workflow", attempt: 1, text: request.prompt }).pipe(
            Effect.catchAll((error) => Effect.zipRight(publish([move(live, "Crashed", `the first turn failed: ${describe(error)}`)]), settle(live)))
          )
        }
        return view(live)
      })

    const resume = (request: {
      readonly spec: SessionSpec
      readonly workItemId: WorkItemId | null
      readonly ticketId: TicketId | null
      readonly state: SessionState
      readonly harnessSessionId: string
    }) =>
      Effect.gen(function* () {
        const { spec } = request
        const { handle, slot } = yield* admit(spec.sessionId, request.state, [], harness.resume(spec, request.harnessSessionId), "resume")
        const live = newLive(handle, slot, request, request.state, yield* Clock.currentTimeMillis)
        const rebound =
          handle.harnessSessionId === request.harnessSessionId
            ? undefined
            : new HarnessBound({ sessionId: live.sessionId, harness: harness.id, harnessSessionId: handle.harnessSessionId })
        // The turn that was running died with the previous process; the agent waits for new input.
        // An agent a runner kept is another matter: its turn goes on, or the events it kept (a turn
        // that ended meanwhile) follow and move the session as they come.
        const kept = handle.kept
        const settled =
          kept === undefined
            ? request.state === "Starting" || request.state === "Running"
              ? move(live, "Idle", "resumed after a restart; the turn in flight was lost")
              : undefined
            : kept.turnRunning
              ? move(live, "Running", "reattached while its turn runs")
              : kept.unread === 0 && !kept.inputWaiting && (request.state === "Starting" || request.state === "Running")
                ? move(live, "Idle", "reattached; its agent is idle")
                : undefined
        yield* publish([rebound, settled])
        yield* attach(live)
        return view(live)
      })

    const markCrashed = (sessionId: SessionId, from: SessionState, reason: string) =>
      Effect.suspend(() => {
        const live = sessions.get(sessionId)
        if (live !== undefined) return Effect.zipRight(publish([move(live, "Crashed", reason)]), settle(live))
        return isTerminalSessionState(from) ? Effect.void : publish([new SessionStateChanged({ sessionId, from, to: "Crashed", reason })])
      })

    const respond = (live: Live, kind: UserResponded["kind"], requestId: string | null, text: string) =>
      publish([new UserResponded({ sessionId: live.sessionId, kind, requestId, text })])

    const sendInput = (sessionId: SessionId, text: string) =>
      Effect.gen(function* () {
        const live = yield* liveSession(sessionId)
        yield* respond(live, live.state === "Running" ? "steer" : "message", null, text)
        yield* live.handle.sendInput(text)
      })

    const answered = (live: Live, requestId: string, resolution: string) =>
      publish([
        new InboxItemResolved({ inboxItemId: requestInboxId(live.sessionId, requestId), resolution }),
        move(live, "Running", `answered ${requestId}`)
      ])

    const answerInput = (sessionId: SessionId, requestId: string, answers: Readonly<Record<string, string>>) =>
      Effect.gen(function* () {
        const live = yield* liveSession(sessionId)
        yield* respond(live, "answer", requestId, JSON.stringify(answers))
        yield* live.handle.answerInput(requestId, answers)
        yield* answered(live, requestId, "answered")
      })

    const answerApproval = (sessionId: SessionId, requestId: string, decision: "accept" | "acceptForSession" | "decline") =>
      Effect.gen(function* () {
        const live = yield* liveSession(sessionId)
        yield* respond(live, "approval", requestId, decision)
        yield* live.handle.answerApproval(requestId, decision)
        yield* answered(live, requestId, decision)
      })

    const interrupt = (sessionId: SessionId) =>
      Effect.gen(function* () {
        const live = yield* liveSession(sessionId)
        yield* respond(live, "interrupt", null, "")
        yield* live.handle.interrupt
      })

    /** Stops the agent: Killed when the person asks, Done when its work item finished. */
    const stop = (sessionId: SessionId, to: "Killed" | "Done", reason: string) =>
      Effect.gen(function* () {
        const live = yield* liveSession(sessionId)
        if (to === "Killed") yield* respond(live, "kill", null, "")
        // Terminal first, so events still arriving cannot move the session any more.
        const change = move(live, to, reason)
        yield* live.handle.kill
        const reader = live.reader
        if (reader !== null) {
          // The reader stores what was emitted before the kill, within a bounded grace period.
          yield* Fiber.await(reader).pipe(Effect.timeout(options.killGrace), Effect.ignore)
          yield* Fiber.interrupt(reader)
        }
        yield* publish([change])
        yield* settle(live)
      })

    const focus = (sessionId: SessionId | null) =>
      sessionId === null
        ? Effect.sync(() => {
            focusedId = null
          })
        : Effect.flatMap(liveSession(sessionId), (live) =>
            Effect.sync(() => {
              focusedId = live.sessionId
            })
          )

    const running = () => Array.from(sessions.values()).filter((live) => live.state === "Running")

    const stallCheck = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      for (const live of running()) {
        const step = checkStall(options.stall, live.stall, live.lastEventAt, now)
        live.stall = step.state
        const action = step.action
        if (action._tag === "Retry") {
          yield* instructLive(live, { reason: "stallRetry", attempt: action.attempt, text: stallText(action.silentMs) }).pipe(
            Effect.catchAll((error) => Effect.logWarning(`stall retry of ${live.sessionId} failed: ${describe(error)}`))
          )
        } else if (action._tag === "Escalate") {
          yield* publish([stallInboxItem(live.sessionId, live.workItemId, action.retries, action.silentMs, now)])
        }
      }
    })

    // Checkpoints go to sessions at work that the person is not watching.
    const checkpoint = Effect.suspend(() =>
      Effect.forEach(
        running().filter((live) => live.sessionId !== focusedId),
        (live) => {
          live.checkpoints++
          return instructLive(live, { reason: "checkpoint", attempt: live.checkpoints, text: CHECKPOINT_TEXT }).pipe(
            Effect.catchAll((error) => Effect.logWarning(`checkpoint of ${live.sessionId} failed: ${describe(error)}`))
          )
        },
        { discard: true }
      )
    )

    yield* scheduler.register({
      name: "runtime.stall-check",
      every: options.stallCheckEvery,
      policy: { _tag: "Retry", times: 3, delay: options.stallCheckEvery },
      run: stallCheck
    })
    yield* scheduler.register({
      name: "runtime.checkpoint",
      every: options.checkpointEvery,
      policy: { _tag: "Backoff", initial: "10 seconds", cap: options.checkpointEvery },
      run: checkpoint
    })
    yield* Effect.addFinalizer(() => Effect.zipRight(scheduler.cancel("runtime.stall-check"), scheduler.cancel("runtime.checkpoint")))

    return SessionRuntime.of({
      start,
      resume,
      markCrashed,
      sendInput,
      instruct: (sessionId, instruction) => Effect.flatMap(liveSession(sessionId), (live) => instructLive(live, instruction)),
      interrupt,
      answerInput,
      answerApproval,
      kill: (sessionId) => stop(sessionId, "Killed", "killed by the person"),
      finish: (sessionId, reason) => stop(sessionId, "Done", reason),
      focus,
      focused: Effect.sync(() => Option.fromNullable(focusedId)),
      sessions: Effect.sync(() => Array.from(sessions.values(), view)),
      session: (sessionId) => Effect.sync(() => Option.map(Option.fromNullable(sessions.get(sessionId)), view))
    })
  })

export const runtimeOptionsFrom = (runtime: {
  readonly stall_timeout_secs: number
  readonly max_retry_backoff_secs: number
  readonly max_stall_retries: number
  readonly checkpoint_interval_secs: number
  readonly harness_server_startup_timeout_secs: number
}): RuntimeOptions => ({
  stall: {
    timeoutMs: runtime.stall_timeout_secs * 1000,
    baseMs: 10_000,
    capMs: runtime.max_retry_backoff_secs * 1000,
    maxRetries: runtime.max_stall_retries
  },
  stallCheckEvery: "1 second",
  checkpointEvery: Duration.seconds(runtime.checkpoint_interval_secs),
  spawnTimeout: Duration.seconds(runtime.harness_server_startup_timeout_secs),
  killGrace: "5 seconds"
})

export const sessionRuntimeLayer = (options: RuntimeOptions) => Layer.scoped(SessionRuntime, makeSessionRuntime(options))

export const SessionRuntimeLive = Layer.scoped(
  SessionRuntime,
  Effect.flatMap(AppConfig, (config) => makeSessionRuntime(runtimeOptionsFrom(config.settings.runtime)))
)
