import { Clock, Effect, Ref } from "effect"
import type { WorkItemId } from "../../domain/ids.js"
import { EventStore } from "../../services/EventStore.js"
import { inboxEvent } from "./records.js"
import { cappedBackoffMs } from "../../domain/backoff.js"

/** Failed polls in a row after which the person is told (the polls go on, at the capped wait). */
export const FAILURES_BEFORE_INBOX = 5

const BASE_DELAY_MS = 30_000

interface Failing {
  readonly count: number
  readonly retryAt: number
}

/**
 * The pipeline's memory of work items whose poll keeps failing (gh errors, a deleted branch…): each
 * failure doubles the wait before the next poll of that item (from 30 s, at most `capMs`), so one
 * broken item neither floods GitHub nor the log; after FAILURES_BEFORE_INBOX in a row one inbox item
 * says why. A poll that succeeds forgets it all.
 */
export const makeItemFailures = (capMs: number) =>
  Effect.map(Ref.make(new Map<string, Failing>()), (failing) => ({
    due: (workItemId: WorkItemId) =>
      Effect.gen(function* () {
        const known = (yield* Ref.get(failing)).get(workItemId)
        return known === undefined || known.retryAt <= (yield* Clock.currentTimeMillis)
      }),
    failed: (workItemId: WorkItemId, reason: string) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const count = ((yield* Ref.get(failing)).get(workItemId)?.count ?? 0) + 1
        const wait = cappedBackoffMs(BASE_DELAY_MS, count, capMs)
        yield* Ref.update(failing, (map) => new Map(map).set(workItemId, { count, retryAt: now + wait }))
        yield* Effect.logWarning(`PR pipeline: work item ${workItemId}: ${reason} (failure ${count}; next poll in ${Math.round(wait / 1000)} s)`)
        if (count !== FAILURES_BEFORE_INBOX) return
        yield* Effect.flatMap(EventStore, (store) =>
          store.append([
            inboxEvent(workItemId, {
              key: "pipeline-failing",
              lane: "decide",
              urgency: 70,
              title: `The PR pipeline keeps failing for this work item`,
              body: `${count} polls in a row failed; the last: ${reason}. It goes on polling every ${Math.round(wait / 1000)} s.`
            })
          ])
        )
      }),
    succeeded: (workItemId: WorkItemId) => Ref.update(failing, (map) => (map.has(workItemId) ? new Map([...map].filter(([id]) => id !== workItemId)) : map))
  }))

export type ItemFailures = Effect.Effect.Success<ReturnType<typeof makeItemFailures>>
