import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { FAILURES_BEFORE_INBOX, makeItemFailures } from "../../../src/programs/prPipeline/itemFailures.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { startedWork, workItemId } from "../../support/sampleEvents.js"

describe("a work item whose PR polls keep failing", () => {
  it.effect("waits longer after each failure, goes to the inbox once after five in a row, and is forgotten after a success", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append(startedWork(1))
      const failures = yield* makeItemFailures(120_000)
      const id = workItemId(1)
      const waits: Array<number> = []
      for (let n = 1; n <= FAILURES_BEFORE_INBOX + 1; n++) {
        yield* failures.failed(id, "gh: could not resolve to a PullRequest")
        let waited = 0
        while (!(yield* failures.due(id))) {
          yield* TestClock.adjust("1 second")
          waited += 1
        }
        waits.push(waited)
      }
      // 30 s doubling, capped at 120 s.
      expect(waits).toEqual([30, 60, 120, 120, 120, 120])
      const asks = (yield* store.inbox({ openOnly: true })).filter((entry) => entry.id === `${id}:pipeline-failing`)
      expect(asks).toHaveLength(1)
      expect(asks[0]?.body).toContain("5 polls in a row failed; the last: gh: could not resolve to a PullRequest")
      yield* failures.failed(id, "again")
      yield* failures.succeeded(id)
      expect(yield* failures.due(id)).toBe(true)
    }).pipe(Effect.provide(EventStoreTest)))
})
