import { Duration, Effect, FiberMap, Option } from "effect"
import { cappedBackoffMs } from "../../domain/backoff.js"
import type { BusDelivery } from "../../domain/bus.js"
import type { DomainEvent, SessionEvent } from "../../domain/events.js"
import type { WorkItemId } from "../../domain/ids.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventBus } from "../../services/EventBus.js"
import { EventStore } from "../../services/EventStore.js"
import { Workflow } from "../../services/Workflow.js"
import { withinTokenBudget } from "./tokenBudget.js"

/** Tries of a step that failed: after 5 s, doubling, at most a minute apart (about 2.5 min in all). */
const RETRIES = 5
const RETRY_BASE_MS = 5_000
const RETRY_CAP_MS = 60_000

const isCompletedTurn = (event: DomainEvent): event is SessionEvent =>
  event._tag === "SessionEvent" && event.event._tag === "TurnCompleted" && event.event.status === "completed"

/**
 * Moves work on when an agent finishes a turn: after the planning turn (only with
 * `auto_advance_to_implementing`) it starts implementation; after an implementation turn that left
 * changes it pushes and opens the draft pull request. Nothing happens while the agent still works,
 * nor once the work item is over its token budget (tokenBudget.ts). A step that failed is tried again.
 */
export const autoAdvance = Effect.gen(function* () {
  const bus = yield* EventBus
  const store = yield* EventStore
  const workflow = yield* Workflow
  const config = yield* AppConfig
  // Only completed turns matter: the filter keeps the stream of deltas out of this buffer, so
  // harness readers never wait on auto-advance.
  const subscription = yield* bus.subscribe({
    name: "auto-advance",
    policy: "lossless",
    capacity: 256,
    filter: ({ event }) => isCompletedTurn(event)
  })

  const onTurnCompleted = (workItemId: WorkItemId) =>
    Effect.gen(function* () {
      const item = yield* store.workItem(workItemId)
      if (Option.isNone(item)) return
      const key = Option.match(yield* store.ticket(item.value.ticketId), { onNone: () => item.value.ticketId, onSome: (t) => t.identifier })
      if (!(yield* withinTokenBudget(workItemId, key, config.settings.runtime.max_tokens_per_work_item))) return
      if (item.value.state === "Planning" && config.settings.runtime.auto_advance_to_implementing) yield* workflow.advance(workItemId)
      else if (item.value.state === "Implementing") yield* workflow.advance(workItemId)
    })

  // One step at a time, whether a turn just completed or a retry is due: two advances of one item never overlap.
  const oneAtATime = yield* Effect.makeSemaphore(1)
  /** Whether the step went through (or had nothing to do); a failure is logged. */
  const tryOnce = (workItemId: WorkItemId) =>
    oneAtATime.withPermits(1)(onTurnCompleted(workItemId)).pipe(
      Effect.as(true),
      Effect.catchAll((error) => Effect.as(Effect.logInfo(`auto-advance of ${workItemId}: ${error.message}`), false))
    )
  // A step that failed (the database restarting, GitHub away) is tried again a few times, later and in
  // the background: the agent is idle and no other event would move the work on.
  const retries = yield* FiberMap.make<WorkItemId>()
  const retryLater = (workItemId: WorkItemId) =>
    FiberMap.run(
      retries,
      workItemId,
      Effect.gen(function* () {
        for (let attempt = 1; attempt <= RETRIES; attempt++) {
          yield* Effect.sleep(Duration.millis(cappedBackoffMs(RETRY_BASE_MS, attempt, RETRY_CAP_MS)))
          if (yield* tryOnce(workItemId)) return
        }
        yield* Effect.logWarning(`auto-advance of ${workItemId} gave up after ${RETRIES} more tries: move it on by hand`)
      }),
      { onlyIfMissing: true }
    )

  const handle = (deliveries: ReadonlyArray<BusDelivery>) =>
    Effect.forEach(
      deliveries,
      (delivery) =>
        Effect.gen(function* () {
          if (delivery._tag !== "Event") return
          const event = delivery.envelope.event
          if (!isCompletedTurn(event)) return
          const session = yield* Effect.orElseSucceed(store.session(event.sessionId), () => Option.none())
          const workItemId = Option.flatMap(session, (row) => Option.fromNullable(row.workItemId))
          if (Option.isSome(workItemId) && !(yield* tryOnce(workItemId.value))) yield* retryLater(workItemId.value)
        }),
      { discard: true }
    )

  return yield* Effect.forever(Effect.flatMap(subscription.take(64), handle))
})
