import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { ArtifactCreated, type DomainEvent, TicketSynced, TrackerUpdated, WorkflowTransition, WorkItemCreated } from "../../../src/domain/events.js"
import { ArtifactId, TicketId, WorkItemId } from "../../../src/domain/ids.js"
import type { WorkflowState } from "../../../src/domain/workflow.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { makeLocal } from "../../../src/layers/ticketing/Local.js"
import { repairTrackerMirror } from "../../../src/programs/workflow/trackerMirror.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Ticketing } from "../../../src/services/Ticketing.js"
import { sampleTicket } from "../../support/sampleEvents.js"

const merged: ReadonlyArray<WorkflowState> = ["New", "Planning", "Implementing", "PRDrafted", "ReadyForReview", "PendingMerge", "Done"]

/**
 * Work item `n` moved along `path`, each move mirrored on the tracker unless it is in `unmirrored`,
 * with a pull request whose link and comment were never recorded (an old store's leftovers).
 */
const item = (n: number, path: ReadonlyArray<WorkflowState>, unmirrored: ReadonlyArray<WorkflowState> = []): ReadonlyArray<DomainEvent> => {
  const ticketId = TicketId.make(`local:${n}`)
  const workItemId = WorkItemId.make(`wi-${n}`)
  return [
    new TicketSynced({ ticket: sampleTicket(n) }),
    new WorkItemCreated({ workItemId, ticketId, repoPath: "/repo" }),
    new ArtifactCreated({ artifactId: ArtifactId.make(`art-${n}`), workItemId, sessionId: null, kind: "pullRequest", title: "PR", uri: `https://github.com/o/r/pull/${n}` }),
    ...path.flatMap((from, index): ReadonlyArray<DomainEvent> => {
      const to = path[index + 1]
      if (to === undefined) return []
      const move = new WorkflowTransition({ workItemId, from, to, reason: "setup" })
      return unmirrored.includes(to) ? [move] : [move, new TrackerUpdated({ ticketId, workItemId, action: "state", key: `state:${to}:${workItemId}:1`, detail: to })]
    })
  ]
}

/** Local tickets on a real in-memory store; every tracker call, as `<call> <ticket>`. */
const layer = (calls: Ref.Ref<ReadonlyArray<string>>) => {
  const ticketing = Layer.effect(
    Ticketing,
    Effect.map(makeLocal(defaultWorkflowStateMap), (local) =>
      Ticketing.of({
        ...local,
        updateState: (id, state) => Effect.zipRight(Ref.update(calls, (all) => [...all, `state ${id} ${state}`]), local.updateState(id, state)),
        attachLink: (id, url, title) => Effect.zipRight(Ref.update(calls, (all) => [...all, `link ${id}`]), local.attachLink(id, url, title)),
        addComment: (id, body) => Effect.zipRight(Ref.update(calls, (all) => [...all, `comment ${id}`]), local.addComment(id, body))
      })
    )
  )
  const config = Layer.effect(AppConfig, Effect.orDie(configFromValue({ ticketing_provider: "ticketing.local" }, "/tmp")))
  return Layer.mergeAll(ticketing, config).pipe(Layer.provideMerge(EventStoreTest))
}

describe("repairTrackerMirror on a long history", () => {
  it.effect("visits open work items and finished ones whose last move was never mirrored, not the finished history", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<ReadonlyArray<string>>([])
      yield* Effect.gen(function* () {
        const store = yield* EventStore
        yield* store.append([
          // Finished and mirrored: history, never visited (so its unrecorded PR link stays as it was).
          ...item(1, merged),
          ...item(2, merged),
          // Finished, but the process died between recording Done and telling the tracker.
          ...item(3, merged, ["Done"]),
          // Open: always looked at.
          ...item(4, ["New", "Planning", "Implementing", "PRDrafted"])
        ])
        expect((yield* store.workItemsForTrackerRepair).map((w) => w.id)).toEqual(["wi-3", "wi-4"])
        yield* repairTrackerMirror
        expect([...(yield* Ref.get(calls))].sort()).toEqual(["comment local:3", "comment local:4", "link local:3", "link local:4", "state local:3 Done"])
        // Repaired: the next start finds nothing left to do for item 3.
        expect((yield* store.workItemsForTrackerRepair).map((w) => w.id)).toEqual(["wi-4"])
        yield* Ref.set(calls, [])
        yield* repairTrackerMirror
        expect(yield* Ref.get(calls)).toEqual([])
      }).pipe(Effect.provide(layer(calls)))
    }))
})
