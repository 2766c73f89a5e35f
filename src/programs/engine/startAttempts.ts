import { Clock, Effect, Ref } from "effect"
import { InboxItemCreated } from "../../domain/events.js"
import { InboxItemId, type TicketId, type WorkItemId } from "../../domain/ids.js"
import { EventStore } from "../../services/EventStore.js"
import { cappedBackoffMs } from "../../domain/backoff.js"

/** Starts of one ticket dispatch tries before it gives up and asks the person. */
export const MAX_START_ATTEMPTS = 3

const BASE_DELAY_MS = 10_000

/** Exponential, capped: 10 s, 20 s, 40 s … at most `capMs` (`[runtime] max_retry_backoff_secs`). */
export const startBackoffMs = (failures: number, capMs: number): number => cappedBackoffMs(BASE_DELAY_MS, failures, capMs)

/** The inbox item that takes a ticket out of auto-dispatch until the person acts on it. */
export const gaveUpInboxId = (ticketId: TicketId) => InboxItemId.make(`dispatch:${ticketId}`)

interface Attempts {
  readonly failures: number
  readonly retryAt: number
}

/**
 * What dispatch remembers of starts that went wrong in this run: a ticket whose start fails (or
 * whose agent dies before planning got anywhere) waits longer each time, and after
 * MAX_START_ATTEMPTS goes to the inbox and leaves auto-dispatch until the person acts (resolves the
 * item, or starts it themselves).
 */
export const makeStartAttempts = (capMs: number) => Effect.gen(function* () {
  const attempts = yield* Ref.make(new Map<string, Attempts>())
  const backoffMs = (failures: number) => startBackoffMs(failures, capMs)

  /** Whether dispatch may try this ticket now: not waiting out a backoff, not handed to the person. */
  const mayTry = (ticketId: TicketId) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const known = (yield* Ref.get(attempts)).get(ticketId)
      if (known !== undefined && known.retryAt > now) return false
      const open = yield* (yield* EventStore).inbox({ openOnly: true })
      return !open.some((entry) => entry.id === gaveUpInboxId(ticketId))
    })

  /** Records a failed try; answers whether dispatch gave up on the ticket with this one. */
  const failed = (ticketId: TicketId, ticketKey: string, workItemId: WorkItemId | null, reason: string) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const failures = ((yield* Ref.get(attempts)).get(ticketId)?.failures ?? 0) + 1
      yield* Ref.update(attempts, (map) => new Map(map).set(ticketId, { failures, retryAt: now + backoffMs(failures) }))
      if (failures < MAX_START_ATTEMPTS) return false
      yield* giveUp(ticketId, ticketKey, workItemId, `${failures} tries failed; the last: ${reason}`)
      return true
    })

  /** The ticket leaves auto-dispatch: one inbox item (deterministic id) says why. */
  const giveUp = (ticketId: TicketId, ticketKey: string, workItemId: WorkItemId | null, why: string) =>
    Effect.flatMap(EventStore, (store) =>
      store.append([
        new InboxItemCreated({
          inboxItemId: gaveUpInboxId(ticketId),
          workItemId,
          sessionId: null,
          lane: "decide",
          urgency: 80,
          title: `Could not start ${ticketKey}`,
          body: `${why}. Auto-dispatch leaves it until you act: fix the cause, then start it (s) or dismiss this.`,
          requestId: null
        })
      ])
    )

  const succeeded = (ticketId: TicketId) => Ref.update(attempts, (map) => (map.has(ticketId) ? new Map([...map].filter(([id]) => id !== ticketId)) : map))

  return { mayTry, failed, giveUp, succeeded, backoffMs }
})

export type StartAttempts = Effect.Effect.Success<ReturnType<typeof makeStartAttempts>>
