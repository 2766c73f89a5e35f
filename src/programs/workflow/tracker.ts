import { Effect } from "effect"
import type { Settings } from "../../domain/config.js"
import { TrackerUpdated } from "../../domain/events.js"
import type { TicketId, WorkItemId } from "../../domain/ids.js"
import type { WorkflowState } from "../../domain/workflow.js"
import type { WorkItem } from "../../domain/workItem.js"
import type { EventStore } from "../../services/EventStore.js"
import type { Ticketing } from "../../services/Ticketing.js"

export interface TrackerDeps {
  readonly store: EventStore["Type"]
  readonly ticketing: Ticketing["Type"]
}

// One tracker change at a time in this process: the workflow and the engine's mirror may reach for
// the same key at once, and "look up the key, then change" must not interleave.
const serial = Effect.unsafeMakeSemaphore(1)

/**
 * Runs a change on the tracker once per idempotency key: the key is recorded right after the change,
 * so a retry (or a restart) never posts a second comment or link once it was recorded. Only a crash
 * between the tracker's answer and the record can repeat it (at least once, never lost). A tracker
 * failure is logged and the workflow goes on: the tracker is a mirror, the store is the record.
 */
const once = (
  deps: TrackerDeps,
  ticketId: TicketId,
  workItemId: WorkItemId | null,
  action: TrackerUpdated["action"],
  key: string,
  detail: string,
  change: Effect.Effect<unknown, { readonly message: string }>
) =>
  Effect.gen(function* () {
    const done = yield* deps.store.events({ ticketId, types: ["TrackerUpdated"] })
    if (done.some((stored) => stored.event._tag === "TrackerUpdated" && stored.event.key === key)) return
    yield* change
    yield* deps.store.append([new TrackerUpdated({ ticketId, workItemId, action, key, detail })])
  }).pipe(
    serial.withPermits(1),
    Effect.catchAll((error) => Effect.logWarning(`tracker update ${key} for ${ticketId} failed: ${error.message}`))
  )

/** `occurrence` counts the work item's moves into `state`, so moving back and forth updates each time. */
export const trackerState = (
  deps: TrackerDeps,
  ticketId: TicketId,
  workItemId: WorkItemId | null,
  state: WorkflowState,
  occurrence: number
) =>
  once(
    deps,
    ticketId,
    workItemId,
    "state",
    `state:${state}:${workItemId ?? "-"}:${occurrence}`,
    state,
    deps.ticketing.updateState(ticketId, state)
  )

export const trackerComment = (deps: TrackerDeps, ticketId: TicketId, workItemId: WorkItemId | null, key: string, body: string) =>
  once(deps, ticketId, workItemId, "comment", `comment:${key}`, body.slice(0, 200), deps.ticketing.addComment(ticketId, body))

export const trackerLink = (deps: TrackerDeps, ticketId: TicketId, workItemId: WorkItemId | null, url: string, title: string) =>
  once(deps, ticketId, workItemId, "link", `link:${url}`, url, deps.ticketing.attachLink(ticketId, url, title))

/** How many times the work item moved into `state`: the occurrence its tracker key names. */
export const moveCount = (deps: TrackerDeps, workItemId: WorkItemId, state: WorkflowState) =>
  Effect.map(deps.store.events({ workItemId, types: ["WorkflowTransition"] }), (events) =>
    events.filter((stored) => stored.event._tag === "WorkflowTransition" && stored.event.to === state).length
  )

/** The tracker side of an opened pull request: its link and a summary comment, each at most once. */
export const trackerPullRequest = (
  deps: TrackerDeps,
  settings: Settings["tracker"],
  item: Pick<WorkItem, "id" | "ticketId">,
  pr: { readonly url: string; readonly number: number },
  summary: string
) =>
  Effect.gen(function* () {
    if (settings.workflow_attach_pr_links) yield* trackerLink(deps, item.ticketId, item.id, pr.url, `PR #${pr.number}`)
    if (settings.workflow_comment_summaries) {
      yield* trackerComment(deps, item.ticketId, item.id, `pr-opened:${pr.number}`, `Draft pull request opened: ${pr.url}\n\n${summary}`.trim())
    }
  })
