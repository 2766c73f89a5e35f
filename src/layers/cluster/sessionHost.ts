// The runner's side of an agent-session entity: the real harness (Codex, OpenCode, Claude Code) runs
// the agent here, in the worktree on this machine's disk. Events wait in a queue until a coordinator
// reads them, so a coordinator that restarts picks up what it had not yet read; a second reader
// replaces the first (the first one's coordinator is gone). The agents and their queues belong to the
// runner, not to an entity instance: the cluster interrupts every entity of a runner whose shard locks
// it cannot refresh (a PostgreSQL restart), and the next instance carries on with the same agent.
import { Entity } from "@effect/cluster"
import { Cause, Chunk, Deferred, Duration, Effect, Layer, Option, Queue, Schedule, type Scope, Stream } from "effect"
import { HarnessError } from "../../domain/errors.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"
import { Harness, type HarnessHandle } from "../../services/Harness.js"
import { AgentSessionEntity, Opened, SessionNotOnRunner, SessionPlacement } from "./agentSessionEntity.js"

type Item =
  | { readonly _tag: "Event"; readonly event: WorkerEvent }
  | { readonly _tag: "End" }
  | { readonly _tag: "Failed"; readonly error: HarnessError }

interface Live {
  readonly handle: HarnessHandle
  readonly queue: Queue.Queue<Item>
  turnRunning: boolean
  ended: boolean
}

/** At most this many events in one reply of the event stream. */
const EVENTS_PER_REPLY = 512

/**
 * A command waits up to 30 s for its session to come back (a Resume on its way after this runner
 * restarted). Commands are persisted messages: one this runner's previous process died in is delivered
 * again here, where its agent is gone; it runs once the coordinator has resumed the session (the
 * coordinator does not send that input itself then), and fails as not live if nobody does.
 */
const WAIT_FOR_LIVE = Schedule.intersect(Schedule.spaced(Duration.millis(250)), Schedule.recurs(120))

/** This runner's agents running now, against its max_concurrent_sessions (shared by all its session entities). */
interface Slots {
  running: number
  readonly max: number
}

/** One session's agent on this runner and its current reader, kept across instances of its entity. */
interface Hosted {
  live: Live | null
  reader: Deferred.Deferred<void> | null
  /** Inputs waiting for the agent to be back (delivered again after this runner restarted). */
  inputsWaiting: number
}

/**
 * What this runner hosts, outside any one entity instance. The cluster interrupts a runner's entities
 * when it cannot refresh their shard locks (a PostgreSQL restart); the agents must outlive that: the
 * next instance of an entity finds its agent here, still running, and its unread events.
 */
export interface RunnerSessions {
  readonly slots: Slots
  readonly hosted: Map<string, Hosted>
  /** The runner's own scope: agents' event pumps run in it, not in an entity's. */
  readonly scope: Scope.Scope
  /** One start or resume at a time on this runner (the limit is checked and taken together). */
  readonly opening: Effect.Semaphore
}

export const sessionHandlers = (runner: string, host: string, sessions: RunnerSessions) =>
  Effect.gen(function* () {
    const harness = yield* Harness
    const address = yield* Entity.CurrentAddress
    const { opening, scope, slots } = sessions
    const hosted: Hosted = sessions.hosted.get(address.entityId) ?? { live: null, reader: null, inputsWaiting: 0 }
    sessions.hosted.set(address.entityId, hosted)

    const notLive = (operation: string) => new SessionNotOnRunner({ runner, operation })

    const open = <E>(acquire: Effect.Effect<HarnessHandle, E>) =>
      opening.withPermits(1)(
        Effect.gen(function* () {
          if (hosted.live !== null && !hosted.live.ended) {
            return new Opened({
              harnessSessionId: hosted.live.handle.harnessSessionId,
              attached: true,
              turnRunning: hosted.live.turnRunning,
              unread: yield* Queue.size(hosted.live.queue),
              inputWaiting: false
            })
          }
          // This runner's own limit (its max_concurrent_sessions): a start beyond it is refused at once,
          // and the coordinator places the work again later.
          if (slots.running >= slots.max) {
            return yield* new HarnessError({
              harness: harness.id,
              operation: "start",
              detail: `runner ${runner} runs ${slots.running} agents already (its max_concurrent_sessions is ${slots.max})`
            })
          }
          slots.running++
          const release = Effect.sync(() => {
            slots.running--
          })
          const handle = yield* Effect.onError(acquire, () => release)
          const entry: Live = { handle, queue: yield* Queue.unbounded<Item>(), turnRunning: false, ended: false }
          hosted.live = entry
          const track = (event: WorkerEvent) => {
            if (event._tag === "TurnStarted") entry.turnRunning = true
            if (event._tag === "TurnCompleted") entry.turnRunning = false
            return entry.queue.offer({ _tag: "Event", event })
          }
          yield* handle.events.pipe(
            Stream.runForEach(track),
            Effect.matchCauseEffect({
              onSuccess: () => entry.queue.offer({ _tag: "End" }),
              onFailure: (cause) => {
                const error = Cause.squash(cause)
                return entry.queue.offer({
                  _tag: "Failed",
                  error: error instanceof HarnessError ? error : new HarnessError({ harness: harness.id, operation: "events", detail: String(error) })
                })
              }
            }),
            Effect.ensuring(
              Effect.zipRight(
                Effect.sync(() => {
                  entry.ended = true
                }),
                release
              )
            ),
            Effect.forkIn(scope)
          )
          return new Opened({ harnessSessionId: handle.harnessSessionId, attached: false, turnRunning: false, unread: 0, inputWaiting: hosted.inputsWaiting > 0 })
        })
      )

    /** The live session, waiting a while for one on its way. */
    const whenLive = (operation: string) =>
      Effect.suspend(() => (hosted.live !== null && !hosted.live.ended ? Effect.succeed(hosted.live) : Effect.fail(notLive(operation)))).pipe(
        Effect.retry(WAIT_FOR_LIVE)
      )

    const events = Stream.unwrap(
      Effect.gen(function* () {
        const entry = hosted.live
        if (entry === null) return Stream.fail(notLive("events"))
        const mine = yield* Deferred.make<void>()
        if (hosted.reader !== null) yield* Deferred.succeed(hosted.reader, undefined)
        hosted.reader = mine
        // Everything waiting goes in one reply (the stream's chunks cross the cluster one round trip each).
        const superseded: Chunk.Chunk<Item> = Chunk.of({ _tag: "End" })
        const next = Effect.raceFirst(Queue.takeBetween(entry.queue, 1, EVENTS_PER_REPLY), Effect.as(Deferred.await(mine), superseded)).pipe(
          Effect.flatMap((items): Effect.Effect<Chunk.Chunk<WorkerEvent>, Option.Option<HarnessError | SessionNotOnRunner>> => {
            const events: Array<WorkerEvent> = []
            for (const item of items) {
              if (item._tag === "Event") {
                events.push(item.event)
                continue
              }
              // The end stays in the queue for the next read (and the next reader); the events before it go now.
              const keep = Deferred.isDone(mine).pipe(Effect.flatMap((gone) => (gone && item === Chunk.unsafeHead(superseded) ? Effect.void : entry.queue.offer(item))))
              if (events.length > 0) return Effect.as(keep, Chunk.unsafeFromArray(events))
              return Effect.zipRight(keep, Effect.fail(item._tag === "End" ? Option.none() : Option.some(item.error)))
            }
            return Effect.succeed(Chunk.unsafeFromArray(events))
          })
        )
        return Stream.repeatEffectChunkOption(next)
      })
    )

    return AgentSessionEntity.of({
      Locate: () => Effect.succeed(new SessionPlacement({ entityId: address.entityId, runner, host, pid: process.pid })),
      // Delivered again after a restart (the agent died with the previous process), it spawns the agent
      // again for the coordinator still waiting on it; a Start of a live session attaches to it.
      Start: ({ payload }) => open(harness.spawn(payload.spec)),
      Resume: ({ payload }) => open(harness.resume(payload.spec, payload.harnessSessionId)),
      Events: () => events,
      // An input waiting for its agent is told to the coordinator that resumes it (Opened.inputWaiting).
      Input: ({ payload }) =>
        Effect.acquireUseRelease(
          Effect.sync(() => hosted.inputsWaiting++),
          () => whenLive("input"),
          () => Effect.sync(() => hosted.inputsWaiting--)
        ).pipe(Effect.flatMap((entry) => entry.handle.sendInput(payload.text))),
      Interrupt: () => Effect.flatMap(whenLive("interrupt"), (entry) => entry.handle.interrupt),
      AnswerInput: ({ payload }) => Effect.flatMap(whenLive("answer"), (entry) => entry.handle.answerInput(payload.requestId, payload.answers)),
      AnswerApproval: ({ payload }) =>
        Effect.flatMap(whenLive("approve"), (entry) => entry.handle.answerApproval(payload.requestId, payload.decision)),
      Kill: () => Effect.suspend(() => (hosted.live === null || hosted.live.ended ? Effect.void : hosted.live.handle.kill))
    })
  })

/**
 * The agent-session entities of this runner's shard group, at most `maxSessions` agents running at once;
 * commands run side by side (the event stream stays open).
 */
export const agentSessionsLayer = (runner: string, host: string, maxSessions: number) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const sessions: RunnerSessions = {
        slots: { running: 0, max: maxSessions },
        hosted: new Map(),
        scope: yield* Effect.scope,
        opening: yield* Effect.makeSemaphore(1)
      }
      return AgentSessionEntity.toLayer(sessionHandlers(runner, host, sessions), { concurrency: "unbounded", maxIdleTime: Duration.infinity })
    })
  )
