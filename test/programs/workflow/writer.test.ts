import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Layer, Ref } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { ArtifactCreated, type DomainEvent, TicketSynced, TrackerUpdated, WorkflowTransition, WorkItemCreated } from "../../../src/domain/events.js"
import { ArtifactId, TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { Ticket, TicketState } from "../../../src/domain/ticket.js"
import type { WorkflowState } from "../../../src/domain/workflow.js"
import type { WorkItem } from "../../../src/domain/workItem.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { makeLocal } from "../../../src/layers/ticketing/Local.js"
import { decide } from "../../../src/programs/prPipeline/decision.js"
import { repairTrackerMirror } from "../../../src/programs/workflow/trackerMirror.js"
import { decideAndRecord, stay } from "../../../src/programs/workflow/writer.js"
import { sampleTicket } from "../../support/sampleEvents.js"
import { openGreenPullRequest } from "../../support/sampleObservation.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Ticketing } from "../../../src/services/Ticketing.js"

const workItemId = WorkItemId.make("wi-race")
const ticketId = TicketId.make("local:1")
const ticket = new Ticket({
  id: ticketId,
  provider: "local",
  identifier: "LOCAL-1",
  title: "Race",
  description: "",
  state: new TicketState({ name: "In Review", type: "started" }),
  priority: 0,
  labels: [],
  assignee: null,
  project: "demo",
  team: null,
  url: null,
  updatedAt: 0
})

/** Local tickets on a real in-memory SQLite store; every tracker call in order: a state by its name, a link or comment by its ticket. */
const layer = (calls: Ref.Ref<ReadonlyArray<string>>) => {
  const ticketing = Layer.effect(
    Ticketing,
    Effect.map(makeLocal(defaultWorkflowStateMap), (local) =>
      Ticketing.of({
        ...local,
        updateState: (id, state) => Effect.zipRight(Ref.update(calls, (all) => [...all, state]), local.updateState(id, state)),
        attachLink: (id, url, title) => Effect.zipRight(Ref.update(calls, (all) => [...all, `link ${id}`]), local.attachLink(id, url, title)),
        addComment: (id, body) => Effect.zipRight(Ref.update(calls, (all) => [...all, `comment ${id}`]), local.addComment(id, body))
      })
    )
  )
  const config = Layer.effect(AppConfig, Effect.orDie(configFromValue({ ticketing_provider: "ticketing.local" }, "/tmp")))
  return Layer.mergeAll(ticketing, config).pipe(Layer.provideMerge(EventStoreTest))
}

/** A work item in AwaitingYourReview, reached by recorded moves. */
const awaitingReview = Effect.flatMap(EventStore, (store) =>
  store.append([
    new TicketSynced({ ticket }),
    new WorkItemCreated({ workItemId, ticketId, repoPath: "/repo" }),
    ...(["New", "Planning", "Implementing", "PRDrafted", "AwaitingYourReview"] as const).flatMap((from, index, all) => {
      const to = all[index + 1]
      return to === undefined ? [] : [new WorkflowTransition({ workItemId, from, to, reason: "setup" })]
    })
  ])
)

const moves = Effect.flatMap(EventStore, (store) =>
  Effect.map(store.events({ workItemId, types: ["WorkflowTransition"] }), (events) =>
    events.flatMap((stored) => (stored.event._tag === "WorkflowTransition" ? [`${stored.event.from}>${stored.event.to}`] : []))
  )
)

const state = Effect.flatMap(EventStore, (store) => Effect.map(store.workItem(workItemId), (item) => (item._tag === "Some" ? item.value.state : "missing")))

const prFacts = { hasWorktree: true, hasSession: true, hasPullRequest: true, pullRequestMerged: false }

/**
 * A decision that, the first time, waits until the other decider has read the item too: both decide
 * from the same reading, as dispatch and the pipeline did.
 */
const gated = <A>(
  mine: Deferred.Deferred<void>,
  theirs: Deferred.Deferred<void>,
  seen: Ref.Ref<ReadonlyArray<WorkflowState>>,
  choose: (item: WorkItem) => ReturnType<typeof stay<A>>
) =>
  (item: WorkItem) =>
    Effect.gen(function* () {
      const before = yield* Ref.getAndUpdate(seen, (all) => [...all, item.state])
      if (before.length === 0) {
        yield* Deferred.succeed(mine, undefined)
        yield* Deferred.await(theirs)
      }
      return choose(item)
    })

describe("the workflow writer", () => {
  it.effect("a person's advance and a pipeline tick decided from one reading: one move recorded, the other decided again", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<ReadonlyArray<string>>([])
      yield* Effect.gen(function* () {
        yield* awaitingReview
        const [personRead, pipelineRead] = [yield* Deferred.make<void>(), yield* Deferred.make<void>()]
        const personSaw = yield* Ref.make<ReadonlyArray<WorkflowState>>([])
        const pipelineSaw = yield* Ref.make<ReadonlyArray<WorkflowState>>([])
        // The person's `w n` on a draft waiting for review: mark it ready (open.ts's decision).
        const person = decideAndRecord(
          workItemId,
          gated(personRead, pipelineRead, personSaw, (item) =>
            item.state === "AwaitingYourReview" || item.state === "PRDrafted"
              ? { moves: [{ to: "ReadyForReview", reason: "the person approved the draft" }], facts: prFacts, events: [], value: "person" }
              : stay("person")
          )
        )
        // The pipeline saw the pull request marked ready on GitHub: its own decision from the same reading.
        const pipeline = decideAndRecord(
          workItemId,
          gated(pipelineRead, personRead, pipelineSaw, (item) => {
            const decision = decide({ state: item.state, observation: openGreenPullRequest, ciFixAttempts: 0, reviewRounds: 0, maxCiFixAttempts: 3, autoMerge: false })
            return { moves: decision.moves, facts: prFacts, events: [], value: "pipeline" }
          })
        )
        const [byPerson, byPipeline] = yield* Effect.all([person, pipeline], { concurrency: 2 })

        const recorded = yield* moves
        expect(recorded.filter((move) => move === "AwaitingYourReview>ReadyForReview")).toHaveLength(1)
        // Exactly one of them won the reading; the other read again and decided from where the winner left it.
        expect([byPerson.decidedFrom.state, byPipeline.decidedFrom.state].filter((s) => s === "AwaitingYourReview")).toHaveLength(1)
        const [personStates, pipelineStates] = [yield* Ref.get(personSaw), yield* Ref.get(pipelineSaw)]
        expect(personStates.length + pipelineStates.length).toBe(3)
        // Every recorded move starts where the one before it ended.
        const chain = recorded.map((move) => move.split(">"))
        chain.slice(1).forEach(([from], index) => expect(from).toBe(chain[index]?.[1]))
        expect(yield* state).toBe("InReview")
      }).pipe(Effect.provide(layer(calls)))
    }))

  it.effect("a move the transition table forbids is refused and nothing is recorded", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<ReadonlyArray<string>>([])
      yield* Effect.gen(function* () {
        yield* awaitingReview
        const before = yield* moves
        const error = yield* Effect.flip(
          decideAndRecord(workItemId, () => Effect.succeed({ moves: [{ to: "Done", reason: "skip ahead" }], facts: prFacts, events: [], value: null }))
        )
        expect(error._tag).toBe("ForbiddenTransition")
        expect(yield* moves).toEqual(before)
        expect(yield* Ref.get(calls)).toEqual([])
      }).pipe(Effect.provide(layer(calls)))
    }))

  it.effect("a recorded move is mirrored to the tracker through the state map", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<ReadonlyArray<string>>([])
      yield* Effect.gen(function* () {
        yield* awaitingReview
        yield* decideAndRecord(workItemId, () =>
          Effect.succeed({ moves: [{ to: "ReadyForReview", reason: "approved" }], facts: prFacts, events: [], value: null })
        )
        expect(yield* Ref.get(calls)).toEqual(["ReadyForReview"])
        const synced = yield* Effect.flatMap(EventStore, (store) => store.ticket(ticketId))
        expect(synced._tag === "Some" ? synced.value.state.name : "").toBe(defaultWorkflowStateMap["ReadyForReview"])
      }).pipe(Effect.provide(layer(calls)))
    }))

  it.effect("a crash between a move and its tracker call is repaired once at the next start", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<ReadonlyArray<string>>([])
      yield* Effect.gen(function* () {
        yield* awaitingReview
        // What a crash leaves: the move is in the store, the tracker was never told.
        yield* Effect.flatMap(EventStore, (store) =>
          store.appendDecided({ workItemId, state: "AwaitingYourReview" }, [
            new WorkflowTransition({ workItemId, from: "AwaitingYourReview", to: "ReadyForReview", reason: "approved" })
          ])
        )
        expect(yield* Ref.get(calls)).toEqual([])
        yield* repairTrackerMirror
        expect(yield* Ref.get(calls)).toEqual(["ReadyForReview"])
        // The next start finds it done.
        yield* repairTrackerMirror
        expect(yield* Ref.get(calls)).toEqual(["ReadyForReview"])
      }).pipe(Effect.provide(layer(calls)))
    }))
})

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
        expect([...(yield* Ref.get(calls))].sort()).toEqual(["Done", "comment local:3", "comment local:4", "link local:3", "link local:4"])
        // Repaired: the next start finds nothing left to do for item 3.
        expect((yield* store.workItemsForTrackerRepair).map((w) => w.id)).toEqual(["wi-4"])
        yield* Ref.set(calls, [])
        yield* repairTrackerMirror
        expect(yield* Ref.get(calls)).toEqual([])
      }).pipe(Effect.provide(layer(calls)))
    }))
})
