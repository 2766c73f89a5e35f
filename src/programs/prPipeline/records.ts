import { Effect, Option } from "effect"
import { type DomainEvent, InboxItemCreated, InboxItemResolved, PullRequestObserved } from "../../domain/events.js"
import { NotFound } from "../../domain/errors.js"
import { InboxItemId, type WorkItemId } from "../../domain/ids.js"
import { isTerminalWorkflowState, type WorkflowState } from "../../domain/workflow.js"
import { EventStore, type InboxItem } from "../../services/EventStore.js"
import { type Action, type Observation, REVIEW_DRAFT_KEY } from "./decision.js"

/** A row that must exist, as a NotFound naming it. */
export const required =
  <A>(what: string, id: string) =>
  (found: Option.Option<A>): Effect.Effect<A, NotFound> =>
    Option.match(found, { onNone: () => Effect.fail(new NotFound({ what, id })), onSome: Effect.succeed })

/** Reading and writing the PR pipeline's own records in the event store. */

type InboxAction = Extract<Action, { _tag: "Inbox" }>

/** Deterministic ids: the same reason on the same head never makes a second inbox item. */
export const inboxEvent = (workItemId: WorkItemId, action: Omit<InboxAction, "_tag">, requestId: string | null = null) =>
  new InboxItemCreated({
    inboxItemId: InboxItemId.make(`${workItemId}:${action.key}`),
    workItemId,
    sessionId: null,
    lane: action.lane,
    urgency: action.urgency,
    title: action.title,
    body: action.body,
    requestId
  })

export const observedEvent = (workItemId: WorkItemId, pr: Observation) =>
  new PullRequestObserved({
    workItemId,
    number: pr.number,
    url: pr.url,
    state: pr.state,
    isDraft: pr.isDraft,
    reviewDecision: pr.reviewDecision,
    checks: pr.checks,
    failingChecks: pr.failingChecks,
    headSha: pr.headSha
  })

export const lastObservation = (workItemId: WorkItemId) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const found = yield* store.events({ workItemId, types: ["PullRequestObserved"], newestFirst: true, limit: 1 })
    return Option.flatMap(Option.fromNullable(found[0]), (stored) =>
      stored.event._tag === "PullRequestObserved" ? Option.some<Observation>(stored.event) : Option.none()
    )
  })

/** How many times orchestrator already asked the agent, per reason: the bound on retries. */
export const instructionCounts = (workItemId: WorkItemId) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const found = yield* store.events({ workItemId, types: ["AgentInstructed"], limit: 1000 })
    const count = (reason: string) =>
      found.filter((stored) => stored.event._tag === "AgentInstructed" && stored.event.reason === reason).length
    return { ciFixAttempts: count("ciFailed"), reviewRounds: count("changesRequested") }
  })

/** Why one of the pipeline's own open inbox items is moot once the work item is in `state`, if it is. */
const mootBecause = (entry: InboxItem, workItemId: WorkItemId, state: WorkflowState): string | undefined => {
  if (isTerminalWorkflowState(state)) return "the work item is finished"
  if (entry.requestId?.startsWith(MERGE_REQUEST_PREFIX) === true) return "superseded: the pull request changed"
  if (entry.id.startsWith(`${workItemId}:${REVIEW_DRAFT_KEY}`) && state !== "PRDrafted" && state !== "AwaitingYourReview") {
    return "the draft was marked ready"
  }
  return undefined
}

/**
 * The pipeline's own open inbox items that are moot with the work item in `state` after `events`:
 * merge asks for an older head or state, a draft review once the draft is ready, and all of them once
 * the work item is Done or Abandoned. Items `events` create stay.
 */
export const supersededInboxItems = (workItemId: WorkItemId, events: ReadonlyArray<DomainEvent>, state: WorkflowState) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const created = new Set(events.flatMap((event) => (event._tag === "InboxItemCreated" ? [event.inboxItemId] : [])))
    const open = yield* store.inbox({ openOnly: true })
    return open.flatMap((entry) => {
      if (entry.workItemId !== workItemId || !entry.id.startsWith(`${workItemId}:`) || created.has(entry.id)) return []
      const resolution = mootBecause(entry, workItemId, state)
      return resolution === undefined ? [] : [new InboxItemResolved({ inboxItemId: entry.id, resolution })]
    })
  })

export const MERGE_REQUEST_PREFIX = "pr-merge:"
