import { Clock, Effect, Ref } from "effect"
import { cappedBackoffMs } from "../../domain/backoff.js"
import { InboxItemCreated } from "../../domain/events.js"
import { InboxItemId, type TicketId, type WorkItemId } from "../../domain/ids.js"
import type { InboxItem } from "../../services/EventStore.js"
import { EventStore } from "../../services/EventStore.js"

/** Starts of one ticket dispatch tries before it gives up and asks the person. */
export const MAX_START_ATTEMPTS = 3

const BASE_DELAY_MS = 10_000

const GAVE_UP_PREFIX = "dispatch:"

/**
 * Where the person stands with a ticket dispatch gave up on, read from the inbox once per round:
 * `waiting` while a give-up item is open; once resolved, only sessions started after `resolvedAt`
 * count towards the next give-up, which is item number `given + 1` (a resolved id is never reused).
 */
export interface GiveUps {
  readonly waiting: boolean
  readonly given: number
  readonly resolvedAt: number
}

export const giveUpsFrom = (inbox: ReadonlyArray<InboxItem>) => (ticketId: TicketId): GiveUps => {
  const own = inbox.filter((entry) => entry.id.startsWith(`${GAVE_UP_PREFIX}${ticketId}:`))
  return {
    waiting: own.some((entry) => entry.resolvedAt === null),
    given: own.length,
    resolvedAt: Math.max(0, ...own.map((entry) => entry.resolvedAt ?? 0))
  }
}

interface Attempts {
  readonly failures: number
  readonly retryAt: number
}

/**
 * What dispatch remembers of starts that went wrong in this run: a ticket whose start fails (or
 * whose agent dies before planning got anywhere) waits longer each time (10 s doubling, at most
 * `capMs`), and after MAX_START_ATTEMPTS goes to the inbox and leaves auto-dispatch until the person
 * acts (resolves the item, or starts it themselves).
 */
export const makeStartAttempts = (capMs: number) => Effect.gen(function* () {
  const attempts = yield* Ref.make(new Map<string, Attempts>())
  const backoffMs = (failures: number) => cappedBackoffMs(BASE_DELAY_MS, failures, capMs)

  /** Whether dispatch may try this ticket now: not waiting out a backoff, not handed to the person. */
  const mayTry = (ticketId: TicketId, giveUps: GiveUps) =>
    Effect.gen(function* () {
      if (giveUps.waiting) return false
      const known = (yield* Ref.get(attempts)).get(ticketId)
      return known === undefined || known.retryAt <= (yield* Clock.currentTimeMillis)
    })

  /** The ticket leaves auto-dispatch: one new inbox item says why. The count starts again after it. */
  const giveUp = (ticketId: TicketId, ticketKey: string, workItemId: WorkItemId | null, why: string, giveUps: GiveUps) =>
    Effect.gen(function* () {
      yield* Ref.update(attempts, (map) => new Map(map).set(ticketId, { failures: 0, retryAt: map.get(ticketId)?.retryAt ?? 0 }))
      yield* (yield* EventStore).append([
        new InboxItemCreated({
          inboxItemId: InboxItemId.make(`${GAVE_UP_PREFIX}${ticketId}:${giveUps.given + 1}`),
          workItemId,
          sessionId: null,
          lane: "decide",
          urgency: 80,
          title: `Could not start ${ticketKey}`,
          body: `${why}. Auto-dispatch leaves it until you act: fix the cause, then dismiss this (it tries again) or start it yourself (s).`,
          requestId: null
        })
      ])
    })

  /** Records a failed try; answers whether dispatch gave up on the ticket with this one. */
  const failed = (ticketId: TicketId, ticketKey: string, workItemId: WorkItemId | null, reason: string, giveUps: GiveUps) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const failures = ((yield* Ref.get(attempts)).get(ticketId)?.failures ?? 0) + 1
      yield* Ref.update(attempts, (map) => new Map(map).set(ticketId, { failures, retryAt: now + backoffMs(failures) }))
      if (failures < MAX_START_ATTEMPTS) return false
      yield* giveUp(ticketId, ticketKey, workItemId, `${failures} tries failed; the last: ${reason}`, giveUps)
      return true
    })

  const succeeded = (ticketId: TicketId) => Ref.update(attempts, (map) => (map.has(ticketId) ? new Map([...map].filter(([id]) => id !== ticketId)) : map))

  return { mayTry, failed, giveUp, succeeded, backoffMs }
})

export type StartAttempts = Effect.Effect.Success<ReturnType<typeof makeStartAttempts>>
