import { Effect, Either, Option } from "effect"
import { type DomainEvent, WorkflowTransition } from "../../domain/events.js"
import { NotFound } from "../../domain/errors.js"
import type { WorkItemId } from "../../domain/ids.js"
import { transition, type TransitionFacts, type WorkflowState } from "../../domain/workflow.js"
import type { WorkItem } from "../../domain/workItem.js"
import { EventStore } from "../../services/EventStore.js"
import { Ticketing } from "../../services/Ticketing.js"
import { moveCount, trackerState } from "./tracker.js"

/** One step of a decision: where the work item goes next, and why (the reason people read). */
export interface Move {
  readonly to: WorkflowState
  readonly reason: string
}

/**
 * What a decision made from one reading of a work item wants recorded: its moves (a chain from the
 * state it was read in), the facts their guards look at, the other events that belong with them
 * (in the same transaction) and a value for the caller.
 */
export interface Decision<A> {
  readonly moves: ReadonlyArray<Move>
  readonly facts: TransitionFacts
  readonly events: ReadonlyArray<DomainEvent>
  readonly value: A
}

export interface Recorded<A> {
  /** The work item as the recorded decision read it. */
  readonly decidedFrom: WorkItem
  /** Where the work item is now: the last move's target, or where it was. */
  readonly state: WorkflowState
  readonly moved: boolean
  readonly value: A
}

/** A decision to record nothing. */
export const stay = <A>(value: A, events: ReadonlyArray<DomainEvent> = []): Decision<A> => ({
  moves: [],
  facts: { hasWorktree: true, hasSession: false, hasPullRequest: false, pullRequestMerged: false },
  events,
  value
})

/** Reads again and decides anew this many times before giving up on a work item that keeps moving. */
const MAX_DECISIONS = 5

const readItem = (workItemId: WorkItemId) =>
  Effect.flatMap(EventStore, (store) =>
    Effect.flatMap(store.workItem(workItemId), (found) =>
      Option.match(found, { onNone: () => Effect.fail(new NotFound({ what: "work item", id: workItemId })), onSome: Effect.succeed })
    )
  )

/** The moves as events, each checked against the transition table from where the one before ended. */
const moveEvents = (item: WorkItem, decision: Decision<unknown>) =>
  Effect.gen(function* () {
    const events: Array<DomainEvent> = []
    let from = item.state
    for (const move of decision.moves) {
      yield* transition(from, move.to, decision.facts)
      events.push(new WorkflowTransition({ workItemId: item.id, from, to: move.to, reason: move.reason }))
      from = move.to
    }
    return { events, state: from }
  })

/**
 * The one writer of workflow state. Reads the work item, lets `decide` choose from that reading,
 * checks every move against the transition table, and appends the moves with the decision's other
 * events only while the item is still in the state it was read in (compare-and-set in the append's
 * transaction). A decision made from a stale reading is never recorded: the item is read again and
 * `decide` runs again, so it must be safe to repeat (side effects in it idempotent; anything that must
 * happen once belongs after the record). A recorded move is then mirrored to the tracker; a crash
 * before that is repaired at the next start (trackerMirror.ts).
 */
export const decideAndRecord = <A, E, R>(workItemId: WorkItemId, decide: (item: WorkItem) => Effect.Effect<Decision<A>, E, R>) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const ticketing = yield* Ticketing
    for (let attempt = 1; ; attempt++) {
      const item = yield* readItem(workItemId)
      const decision = yield* decide(item)
      const moves = yield* moveEvents(item, decision)
      const appended = yield* Effect.either(store.appendDecided({ workItemId, state: item.state }, [...moves.events, ...decision.events]))
      if (Either.isLeft(appended)) {
        if (appended.left._tag === "StaleState" && attempt < MAX_DECISIONS) {
          yield* Effect.logDebug(`workflow: ${appended.left.message}; deciding again`)
          continue
        }
        return yield* appended.left
      }
      const moved = moves.events.length > 0
      if (moved) {
        const deps = { store, ticketing }
        yield* trackerState(deps, item.ticketId, item.id, moves.state, yield* moveCount(deps, item.id, moves.state))
      }
      return { decidedFrom: item, state: moves.state, moved, value: decision.value } satisfies Recorded<A>
    }
  })
