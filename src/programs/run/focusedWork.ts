import { type Context, Effect } from "effect"
import type { DomainEventTag } from "../../domain/events.js"
import type { WorkItemId } from "../../domain/ids.js"
import type { EventStore } from "../../services/EventStore.js"

/**
 * What the workflow and the PR pipeline record about a work item. They append these to the store
 * directly (not to the bus), so the bridge reads them for the focused session's work item.
 */
export const workEventTypes: ReadonlyArray<DomainEventTag> = ["WorkflowTransition", "ArtifactCreated", "PullRequestObserved"]

type Store = Context.Tag.Service<typeof EventStore>

/** Where the focused work item was last read up to (the store's global sequence). */
export interface WorkCursor {
  readonly workItemId: WorkItemId
  readonly afterSeq: number
}

/**
 * The work item's newest pull-request observation and the cursor after it: read when a session gets
 * focus, so PR and CI show at once and later records are read from there on.
 */
export const readWorkStart = (store: Store, workItemId: WorkItemId) =>
  Effect.gen(function* () {
    const afterSeq = yield* store.lastSeq
    const observed = yield* store.events({ workItemId, types: ["PullRequestObserved"], limit: 1, newestFirst: true })
    return { cursor: { workItemId, afterSeq } satisfies WorkCursor, events: observed.map((stored) => stored.event) }
  })

/** Records about the cursor's work item since it, and the cursor moved past them. */
export const readWorkSince = (store: Store, cursor: WorkCursor) =>
  Effect.map(store.events({ workItemId: cursor.workItemId, afterSeq: cursor.afterSeq, types: workEventTypes }), (stored) => ({
    cursor: { workItemId: cursor.workItemId, afterSeq: stored.reduce((seq, s) => Math.max(seq, s.seq), cursor.afterSeq) } satisfies WorkCursor,
    events: stored.map((s) => s.event)
  }))
