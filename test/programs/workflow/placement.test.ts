import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { WorkItemCreated } from "../../../src/domain/events.js"
import { TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { RUNNER_OFFLINE_AFTER_MS, RunnerRow } from "../../../src/domain/runner.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { resolveRepository } from "../../../src/programs/workflow/repository.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket } from "../../support/sampleEvents.js"

const NOW = 1_000_000

const runner = (name: string, projects: Record<string, string>, maxSessions: number, seenAt = NOW) =>
  new RunnerRow({ name, host: `${name}.lan`, pid: 1, projects, maxSessions, startedAt: 0, seenAt })

const ticket = (n: number, team: string) =>
  makeTicket({ id: TicketId.make(`linear:${n}`), provider: "linear", identifier: `${team}-${n}`, title: `Issue ${n}`, team })

/** A work item already placed on `path` (a located repository path). */
const placed = (n: number, path: string) =>
  new WorkItemCreated({ workItemId: WorkItemId.make(`wi-${n}`), ticketId: TicketId.make(`linear:${n}`), repoPath: path })

describe("placement on a cluster ([cluster] enabled)", () => {
  it.effect("a new work item goes to the online runner with the ticket's project and the most free slots; a full or offline one is passed over", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(NOW)
      const config = yield* configFromValue({ cluster: { enabled: true } }, "/")
      const store = yield* EventStore
      yield* store.recordRunner(runner("alpha", { ENG: "/srv/a/eng" }, 2))
      yield* store.recordRunner(runner("beta", { ENG: "/home/b/eng", OPS: "/home/b/ops" }, 2))
      yield* store.recordRunner(runner("gamma", { ENG: "/g/eng" }, 8, NOW - RUNNER_OFFLINE_AFTER_MS - 1))

      // Both have two free slots: the first by name.
      expect(yield* resolveRepository(config, store, ticket(1, "ENG"), undefined)).toBe("alpha:/srv/a/eng")
      yield* store.append([placed(1, "alpha:/srv/a/eng")])
      expect(yield* resolveRepository(config, store, ticket(2, "ENG"), undefined)).toBe("beta:/home/b/eng")
      yield* store.append([placed(2, "beta:/home/b/eng"), placed(3, "beta:/home/b/eng")])
      // beta is full now; gamma has room but is offline.
      expect(yield* resolveRepository(config, store, ticket(4, "ENG"), undefined)).toBe("alpha:/srv/a/eng")
      yield* store.append([placed(4, "alpha:/srv/a/eng")])
      const busy = yield* Effect.flip(resolveRepository(config, store, ticket(5, "ENG"), undefined))
      expect(busy.message).toContain("every online runner with project ENG is busy (alpha 2/2, beta 2/2)")
      // Only beta has OPS.
      const none = yield* Effect.flip(resolveRepository(config, store, ticket(6, "WEB"), undefined))
      expect(none.message).toContain("no online runner has WEB in its [projects] (offline: gamma)")
      // A repository the person chose must be on a runner that joined.
      expect(yield* resolveRepository(config, store, ticket(7, "OPS"), "beta:/home/b/ops")).toBe("beta:/home/b/ops")
      const elsewhere = yield* Effect.flip(resolveRepository(config, store, ticket(8, "OPS"), "/home/b/ops"))
      expect(elsewhere.message).toContain("is not runner:/path on a known runner (alpha, beta, gamma)")
    }).pipe(Effect.provide(EventStoreTest))
  )
})
