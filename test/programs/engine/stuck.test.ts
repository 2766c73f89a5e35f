import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"
import { InboxItemCreated, TicketSynced, WorkflowTransition, WorkItemCreated, WorktreeCreated, WorktreeRemoved } from "../../../src/domain/events.js"
import { InboxItemId, TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { progress } from "../../../src/programs/engine/stuck.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { makeTicket } from "../../support/sampleEvents.js"

const unscripted = () => Effect.die("not scripted")

/** No session at all: what is left to decide is the work items' own. */
const NoSessions = Layer.succeed(
  SessionRuntime,
  SessionRuntime.of({
    start: unscripted,
    resume: unscripted,
    markCrashed: unscripted,
    sendInput: unscripted,
    instruct: unscripted,
    interrupt: unscripted,
    answerInput: unscripted,
    answerApproval: unscripted,
    kill: unscripted,
    finish: unscripted,
    focus: unscripted,
    focused: Effect.succeed(Option.none()),
    sessions: Effect.succeed([]),
    session: () => Effect.succeed(Option.none())
  })
)

const workItemId = WorkItemId.make("wi-done")
const path = "/tmp/worktrees/repo/ENG-1-x"

/** A work item just merged: Done, its worktree still recorded. */
const mergedJustNow = Effect.flatMap(EventStore, (store) => {
  const ticket = makeTicket({ id: TicketId.make("local:1"), identifier: "LOCAL-1", title: "x" })
  return store.append([
    new TicketSynced({ ticket }),
    new WorkItemCreated({ workItemId, ticketId: ticket.id, repoPath: "/tmp/repo" }),
    new WorktreeCreated({ workItemId, repoPath: "/tmp/repo", path, branch: "orchestrator/ENG-1-x", baseBranch: "main" }),
    new WorkflowTransition({ workItemId, from: "New", to: "Planning", reason: "test" }),
    new WorkflowTransition({ workItemId, from: "Planning", to: "Implementing", reason: "test" }),
    new WorkflowTransition({ workItemId, from: "Implementing", to: "PRDrafted", reason: "test" }),
    new WorkflowTransition({ workItemId, from: "PRDrafted", to: "ReadyForReview", reason: "test" }),
    new WorkflowTransition({ workItemId, from: "ReadyForReview", to: "PendingMerge", reason: "test" }),
    new WorkflowTransition({ workItemId, from: "PendingMerge", to: "Done", reason: "merged" })
  ])
})


describe("--until-idle's progress after a merge", () => {
  it.effect("a work item just Done whose worktree is not removed yet keeps the run going; its removal finishes it", () =>
    Effect.gen(function* () {
      yield* mergedJustNow
      expect((yield* progress(true))._tag).toBe("Moving")
      yield* Effect.flatMap(EventStore, (store) => store.append([new WorktreeRemoved({ workItemId, path, savedRef: null })]))
      expect((yield* progress(true))._tag).toBe("Finished")
    }).pipe(Effect.provide(Layer.merge(EventStoreTest, NoSessions))))

  it.effect("a worktree kept on purpose (the inbox says why) does not hold the run", () =>
    Effect.gen(function* () {
      yield* mergedJustNow
      yield* Effect.flatMap(EventStore, (store) =>
        store.append([
          new InboxItemCreated({
            inboxItemId: InboxItemId.make(`${workItemId}:worktree-kept:abc`),
            workItemId,
            sessionId: null,
            lane: "fyi",
            urgency: 10,
            title: `Worktree kept after merge: ${path}`,
            body: "uncommitted changes",
            requestId: null
          })
        ])
      )
      expect((yield* progress(true))._tag).toBe("Finished")
    }).pipe(Effect.provide(Layer.merge(EventStoreTest, NoSessions))))

  it.effect("the wait is bounded: a minute after Done the run finishes even with the worktree left", () =>
    Effect.gen(function* () {
      yield* mergedJustNow
      yield* TestClock.adjust("61 seconds")
      expect((yield* progress(true))._tag).toBe("Finished")
    }).pipe(Effect.provide(Layer.merge(EventStoreTest, NoSessions))))
})
