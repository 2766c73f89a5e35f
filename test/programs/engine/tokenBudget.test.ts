import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { InboxItemResolved, SessionEvent } from "../../../src/domain/events.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { budgetInboxId, withinTokenBudget } from "../../../src/programs/engine/tokenBudget.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { sessionId, startedWork, workItemId } from "../../support/sampleEvents.js"

const turn = (total: number) =>
  new SessionEvent({
    sessionId: sessionId(1),
    event: { _tag: "TurnCompleted", turnId: `turn-${total}`, status: "completed", usage: { input: total - 100, output: 100, total }, error: null }
  })

describe("token budget per work item", () => {
  it.effect("over max_tokens_per_work_item the work waits on one inbox item with the figure, until the person resolves it", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append([...startedWork(1), turn(800)])
      expect(yield* withinTokenBudget(workItemId(1), "LOC-1", 1000)).toBe(true)
      // Totals are absolute per session: the newest turn's figure counts, not the sum of turns.
      yield* store.append([turn(1500)])
      expect(yield* withinTokenBudget(workItemId(1), "LOC-1", 1000)).toBe(false)
      expect(yield* withinTokenBudget(workItemId(1), "LOC-1", 1000)).toBe(false)
      const asks = (yield* store.inbox({ openOnly: true })).filter((entry) => entry.id === budgetInboxId(workItemId(1)))
      expect(asks.map((entry) => entry.title)).toEqual(["LOC-1 used 1,500 tokens"])
      expect(asks[0]?.body).toContain("max_tokens_per_work_item = 1,000")
      // 0 is no limit.
      expect(yield* withinTokenBudget(workItemId(1), "LOC-1", 0)).toBe(true)
      // Resolved by the person, the work may go on (with a raised budget).
      yield* store.append([new InboxItemResolved({ inboxItemId: budgetInboxId(workItemId(1)), resolution: "go on" })])
      expect(yield* withinTokenBudget(workItemId(1), "LOC-1", 5000)).toBe(true)
    }).pipe(Effect.provide(EventStoreTest)))
})
