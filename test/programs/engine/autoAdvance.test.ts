import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { envelope } from "../../../src/domain/bus.js"
import { SessionEvent, WorkflowTransition } from "../../../src/domain/events.js"
import { WorkflowError } from "../../../src/domain/workflowErrors.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { autoAdvance } from "../../../src/programs/engine/autoAdvance.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventBus } from "../../../src/services/EventBus.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Workflow } from "../../../src/services/Workflow.js"
import { sessionId, startedWork, workItemId } from "../../support/sampleEvents.js"

const implemented = envelope(
  new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TurnCompleted", turnId: "t2", status: "completed", usage: null, error: null } })
)

/** Lets the watcher fiber take what was published. */
const settle = Effect.repeatN(Effect.yieldNow(), 50)

const unused = () => Effect.dieMessage("not in this test")

/** A workflow whose advance fails while `failing` says so (a database restarting), counting its calls. */
const flakyWorkflow = (failing: () => boolean, calls: Array<string>) =>
  Layer.succeed(
    Workflow,
    Workflow.of({
      startTicket: unused,
      advance: (id) =>
        Effect.suspend(() => {
          calls.push(id)
          return failing() ? Effect.fail(new WorkflowError({ operation: "push the branch", detail: "Connection terminated unexpectedly" })) : Effect.void
        }),
      merge: unused,
      archive: unused,
      diff: unused
    })
  )

describe("auto-advance", () => {
  it.scoped("a step that failed after an implementation turn is tried again later, and stops once it went through", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const bus = yield* EventBus
      yield* store.append([
        ...startedWork(1).slice(0, 7),
        new WorkflowTransition({ workItemId: workItemId(1), from: "Planning", to: "Implementing", reason: "the plan was accepted" })
      ])
      let failing = true
      const calls: Array<string> = []
      const config = yield* configFromValue({}, "/tmp/unused")
      yield* Effect.forkScoped(autoAdvance.pipe(Effect.provide(flakyWorkflow(() => failing, calls)), Effect.provideService(AppConfig, AppConfig.of(config))))
      yield* settle
      yield* bus.publish(implemented)
      yield* settle
      expect(calls).toEqual([workItemId(1)])
      // Still failing 5 s later; going through 10 s after that; then nothing more.
      yield* TestClock.adjust("5 seconds")
      yield* settle
      expect(calls).toHaveLength(2)
      failing = false
      yield* TestClock.adjust("10 seconds")
      yield* settle
      expect(calls).toHaveLength(3)
      yield* TestClock.adjust("5 minutes")
      yield* settle
      expect(calls).toHaveLength(3)
    }).pipe(Effect.provide(Layer.merge(EventStoreTest, EventBusLive))))
})
