import { type Context, Effect } from "effect"
import type { DomainEventTag } from "../../domain/events.js"
import type { EventStore } from "../../services/EventStore.js"
import type { StoreSnapshot } from "../view/listFold.js"

type Store = Context.Tag.Service<typeof EventStore>

/** Which projection of the snapshot each kind of event changes (sessions join tickets, work items and PRs). */
const changes: Record<keyof StoreSnapshot, ReadonlyArray<DomainEventTag>> = {
  sessions: [
    "SessionSpawned",
    "SessionStateChanged",
    "HarnessBound",
    "SessionEvent",
    "UserResponded",
    "AgentInstructed",
    "WorkflowTransition",
    "ArtifactCreated",
    "PullRequestObserved",
    "TicketSynced"
  ],
  tickets: ["TicketSynced", "TicketUnlisted"],
  workItems: ["WorkItemCreated", "WorkflowTransition", "ArtifactCreated", "PullRequestObserved"],
  inbox: ["InboxItemCreated", "InboxItemResolved"]
}

/** The snapshot as last read, and the store sequence it is current up to. */
export interface SnapshotAt {
  readonly seq: number
  readonly snapshot: StoreSnapshot
}

const readAll = (store: Store) =>
  Effect.map(
    Effect.all([store.sessions({}), store.tickets({}), store.workItems, store.inbox({ openOnly: true })], { concurrency: 1 }),
    ([sessions, tickets, workItems, inbox]): StoreSnapshot => ({ sessions, tickets, workItems, inbox })
  )

/** The whole snapshot, and the sequence read before it (a change appended during the read is read again next time). */
export const readSnapshot = (store: Store) =>
  Effect.gen(function* () {
    const seq = yield* store.lastSeq
    return { seq, snapshot: yield* readAll(store) } satisfies SnapshotAt
  })

/**
 * The snapshot moved on to the store's newest sequence, re-reading only the projections that the
 * events appended since `current.seq` can change. `undefined` when nothing was appended: then the
 * only read was of the log's newest keys.
 */
export const readChangedSnapshot = (store: Store, current: SnapshotAt) =>
  Effect.gen(function* () {
    const changed = yield* store.changesSince(current.seq)
    if (changed.lastSeq === current.seq) return undefined
    const stale = (part: keyof StoreSnapshot) => changes[part].some((tag) => changed.types.has(tag))
    const before = current.snapshot
    const snapshot: StoreSnapshot = {
      sessions: stale("sessions") ? yield* store.sessions({}) : before.sessions,
      tickets: stale("tickets") ? yield* store.tickets({}) : before.tickets,
      workItems: stale("workItems") ? yield* store.workItems : before.workItems,
      inbox: stale("inbox") ? yield* store.inbox({ openOnly: true }) : before.inbox
    }
    return { seq: changed.lastSeq, snapshot } satisfies SnapshotAt
  })
