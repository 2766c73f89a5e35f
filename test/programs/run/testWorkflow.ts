import { Effect, Layer, Option } from "effect"
import { WorkItemCreated, WorkflowTransition } from "../../../src/domain/events.js"
import { SessionId, type TicketId, WorkItemId } from "../../../src/domain/ids.js"
import { WorkflowError } from "../../../src/domain/workflowErrors.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { Workflow } from "../../../src/services/Workflow.js"

const fail = (operation: string, detail: string) => new WorkflowError({ operation, detail })

/**
 * A Workflow without git: starting a ticket records a work item and starts a session in a fixed
 * directory; advance moves Planning → Implementing; diff returns a fixed text; merge and archive fail.
 */
export const testWorkflowLayer = (diffText: string) =>
  Layer.effect(
    Workflow,
    Effect.gen(function* () {
      const store = yield* EventStore
      const runtime = yield* SessionRuntime
      let counter = 0
      const storeStep = <A, E>(operation: string, effect: Effect.Effect<A, E>) => Effect.mapError(effect, (e) => fail(operation, String(e)))
      return Workflow.of({
        startTicket: (ticketId: TicketId) =>
          Effect.gen(function* () {
            const ticket = yield* storeStep("read the ticket", store.ticket(ticketId))
            if (Option.isNone(ticket)) return yield* fail("start the ticket", `ticket ${ticketId} is not in the store`)
            counter += 1
            const workItemId = WorkItemId.make(`wi-${counter}`)
            const sessionId = SessionId.make(`ses-${counter}`)
            yield* storeStep("record", store.append([new WorkItemCreated({ workItemId, ticketId, repoPath: "/repo" })]))
            yield* runtime
              .start({
                spec: { sessionId, worktreePath: "/repo", model: null, instructions: "", env: {}, approvalPolicy: "on-request", sandbox: "workspace-write" },
                workItemId,
                ticketId,
                prompt: `Plan ${ticket.value.title}`
              })
              .pipe(Effect.mapError((e) => fail("start the agent", e.message)))
            yield* storeStep("record", store.append([new WorkflowTransition({ workItemId, from: "New", to: "Planning", reason: "started" })]))
            return { workItemId, sessionId }
          }),
        advance: (workItemId) =>
          storeStep("record", store.append([new WorkflowTransition({ workItemId, from: "Planning", to: "Implementing", reason: "advanced" })])).pipe(Effect.asVoid),
        merge: () => Effect.fail(fail("merge", "no pull request")),
        archive: () => Effect.fail(fail("archive", "not in this test")),
        diff: () => Effect.succeed(diffText)
      })
    })
  )
