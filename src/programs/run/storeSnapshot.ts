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
  /** False until the tickets were read: the first frame does not wait for thousands of them. */
  readonly ticketsRead: boolean
}

/**
 * What the first frame shows (sessions, the inbox; work items mark started tickets), and the
 * sequence read before it: a change appended during the read is read again next time. The tickets
 * (for the picker) come with the next `readChangedSnapshot`.
 */
export const readFirstSnapshot = (store: Store) =>
  Effect.gen(function* () {
    const seq = yield* store.lastSeq
    const [sessions, workItems, inbox] = yield* Effect.all([store.sessions({}), store.workItems, store.inbox({ openOnly: true })], { concurrency: 1 })
    return { seq, snapshot: { sessions, tickets: [], workItems, inbox }, ticketsRead: false } satisfies SnapshotAt
  })

/**
 * The snapshot moved on to the store's newest sequence, re-reading only the projections that the
 * events appended since `current.seq` can change. `undefined` when nothing was appended: then the
 * only read was of the log's newest keys.
 */
export const readChangedSnapshot = (store: Store, current: SnapshotAt) =>
  Effect.gen(function* () {
    const changed = yield* store.changesSince(current.seq)
    if (changed.lastSeq === current.seq && current.ticketsRead) return undefined
    const stale = (part: keyof StoreSnapshot) => changes[part].some((tag) => changed.types.has(tag))
    const before = current.snapshot
    const snapshot: StoreSnapshot = {
      sessions: stale("sessions") ? yield* store.sessions({}) : before.sessions,
      tickets: stale("tickets") || !current.ticketsRead ? yield* store.tickets({}) : before.tickets,
      workItems: stale("workItems") ? yield* store.workItems : before.workItems,
      inbox: stale("inbox") ? yield* store.inbox({ openOnly: true }) : before.inbox
    }
    return { seq: changed.lastSeq, snapshot, ticketsRead: true } satisfies SnapshotAt
  })
