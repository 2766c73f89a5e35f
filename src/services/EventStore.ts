import { Context, type Effect, type Option } from "effect"
import type { InboxLane } from "../domain/events.js"
import type { DomainEvent, DomainEventTag, StoredEvent } from "../domain/events.js"
import type { StoreCorrupt, StoreError } from "../domain/errors.js"
import type { LeaseHolder, StoreLeased, StoreLeaseLost } from "../domain/storeErrors.js"
import type { InboxItemId, SessionId, TicketId, WorkItemId } from "../domain/ids.js"
import type { RunnerRow } from "../domain/runner.js"
import type { SessionRow, SessionState } from "../domain/session.js"
import type { Ticket, TicketProvider } from "../domain/ticket.js"
import type { WorkflowState } from "../domain/workflow.js"
import type { StaleState } from "../domain/workflowErrors.js"
import type { Artifact, WorkItem, Worktree } from "../domain/workItem.js"

export type StoreFailure = StoreError | StoreCorrupt

export interface EventFilter {
  readonly afterSeq?: number
  readonly sessionId?: SessionId
  readonly workItemId?: WorkItemId
  readonly ticketId?: TicketId
  readonly types?: ReadonlyArray<DomainEventTag>
  /** At most this many; with `newestFirst` the newest ones. */
  readonly limit?: number
  readonly newestFirst?: boolean
}

/** Which tickets, in list order (priority, no-priority last, then most recently updated). */
export interface TicketFilter {
  readonly provider?: TicketProvider
  readonly includeUnlisted?: boolean
  /** The tracker's state name, in any case. */
  readonly state?: string
  /** At most this many, the first in list order. */
  readonly limit?: number
}

/** The state a decision about a work item was made from: the compare in compare-and-set. */
export interface DecidedFrom {
  readonly workItemId: WorkItemId
  readonly state: WorkflowState
}

export interface InboxItem {
  readonly id: InboxItemId
  readonly workItemId: WorkItemId | null
  readonly sessionId: SessionId | null
  readonly lane: InboxLane
  readonly urgency: number
  readonly title: string
  readonly body: string
  readonly requestId: string | null
  readonly createdAt: number
  readonly resolvedAt: number | null
  readonly resolution: string | null
}

/** The answer of `changesSince`. */
export interface StoreChanges {
  readonly lastSeq: number
  readonly types: ReadonlySet<string>
}

/** What taking the store's lease found: a lease of a process that is gone is taken over. */
export interface LeaseTaken {
  readonly holder: LeaseHolder
  readonly tookOverFrom: Option.Option<LeaseHolder>
}

export interface HarnessBinding {
  readonly sessionId: SessionId
  readonly harness: string
  readonly harnessSessionId: string
  readonly boundAt: number
}

/**
 * The append-only event log and the projections kept from it in the same transaction.
 * The global sequence is gap-free: appends are serialized and numbered inside their transaction.
 */
export class EventStore extends Context.Tag("orchestrator/EventStore")<
  EventStore,
  {
    /**
     * Appends all events in one transaction and returns them numbered. A WorkflowTransition whose
     * `from` is not the work item's state at that point is refused (the whole append fails): moves
     * are recorded only by the workflow writer, through `appendDecided`.
     */
    readonly append: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<ReadonlyArray<StoredEvent>, StoreError>
    /**
     * Compare-and-set: appends `events` only while the work item is still in `decidedFrom.state`,
     * checked in the same transaction; every move in `events` must start where the one before ended.
     * Otherwise nothing is written and it fails with StaleState.
     */
    readonly appendDecided: (
      decidedFrom: DecidedFrom,
      events: ReadonlyArray<DomainEvent>
    ) => Effect.Effect<ReadonlyArray<StoredEvent>, StoreError | StaleState>
    /**
     * Takes the next number of the named sequence (1, 2, ..., but at least `atLeast`) and appends the
     * events built from it, in one transaction: no two callers, in any process, get the same number.
     */
    readonly appendNumbered: (
      sequence: string,
      build: (n: number) => ReadonlyArray<DomainEvent>,
      atLeast?: number
    ) => Effect.Effect<{ readonly n: number; readonly stored: ReadonlyArray<StoredEvent> }, StoreError>
    /**
     * Takes the store's one lease for this process (pid, host, now). A lease of a process on this
     * host that no longer runs is taken over; any other holder refuses with StoreLeased.
     */
    readonly acquireLease: Effect.Effect<LeaseTaken, StoreLeased | StoreError>
    /** Gives back this process's lease (a no-op when it holds none). */
    readonly releaseLease: Effect.Effect<void, StoreError>
    /**
     * Keeps a taken lease: never completes while this process holds it, fails with StoreLeaseLost once
     * another run took it. On PostgreSQL it checks the lease's connection every few seconds and takes
     * the lock again after the server comes back; a SQLite file's lease cannot be taken from a live run.
     */
    readonly watchLease: Effect.Effect<never, StoreLeaseLost>
    readonly events: (filter: EventFilter) => Effect.Effect<ReadonlyArray<StoredEvent>, StoreFailure>
    readonly lastSeq: Effect.Effect<number, StoreError>
    /**
     * What was appended after `afterSeq`: the kinds of events and the newest seq (`afterSeq` when
     * nothing was). A range read of the log's key and type column: no payload is decoded.
     */
    readonly changesSince: (afterSeq: number) => Effect.Effect<StoreChanges, StoreError>
    /** Sessions most recently active first: every one, those in one state, or (`live`) those not ended. */
    readonly sessions: (filter: { readonly state?: SessionState; readonly live?: boolean }) => Effect.Effect<ReadonlyArray<SessionRow>, StoreFailure>
    readonly session: (id: SessionId) => Effect.Effect<Option.Option<SessionRow>, StoreFailure>
    /** One work item's sessions, most recently active first (an indexed read). */
    readonly workItemSessions: (workItemId: WorkItemId) => Effect.Effect<ReadonlyArray<SessionRow>, StoreFailure>
    readonly tickets: (filter: TicketFilter) => Effect.Effect<ReadonlyArray<Ticket>, StoreFailure>
    /** How many tickets `tickets` would give without a limit. */
    readonly ticketCount: (filter: Omit<TicketFilter, "limit">) => Effect.Effect<number, StoreError>
    readonly ticket: (id: TicketId) => Effect.Effect<Option.Option<Ticket>, StoreFailure>
    readonly workItems: Effect.Effect<ReadonlyArray<WorkItem>, StoreFailure>
    /** Work items in any of `states`, oldest first (indexed by state: finished history is not read). */
    readonly workItemsIn: (states: ReadonlyArray<WorkflowState>) => Effect.Effect<ReadonlyArray<WorkItem>, StoreFailure>
    /**
     * What a tracker repair must look at, without visiting finished history: every work item not
     * finished (Done, Abandoned), and finished ones whose newest move is newer than their newest
     * tracker update (indexed reads per work item, never the worker events).
     */
    readonly workItemsForTrackerRepair: Effect.Effect<ReadonlyArray<WorkItem>, StoreFailure>
    readonly workItem: (id: WorkItemId) => Effect.Effect<Option.Option<WorkItem>, StoreFailure>
    readonly workItemForTicket: (id: TicketId) => Effect.Effect<Option.Option<WorkItem>, StoreFailure>
    readonly worktree: (workItemId: WorkItemId) => Effect.Effect<Option.Option<Worktree>, StoreFailure>
    readonly artifacts: (filter: { readonly workItemId?: WorkItemId; readonly sessionId?: SessionId }) => Effect.Effect<ReadonlyArray<Artifact>, StoreFailure>
    readonly harnessBinding: (sessionId: SessionId) => Effect.Effect<Option.Option<HarnessBinding>, StoreFailure>
    readonly inbox: (filter: { readonly openOnly: boolean }) => Effect.Effect<ReadonlyArray<InboxItem>, StoreFailure>
    /** Drops every projection row and replays the whole log into them. */
    readonly rebuildProjections: Effect.Effect<void, StoreFailure>
    /** Deletes events of sessions that ended before `before` (ms); never those of live sessions. */
    /** A runner's own row in a cluster's shared store: written by that runner only. */
    readonly recordRunner: (row: RunnerRow) => Effect.Effect<void, StoreError>
    /** The runners that ever joined, by name. */
    readonly runners: Effect.Effect<ReadonlyArray<RunnerRow>, StoreFailure>
    readonly prune: (before: number) => Effect.Effect<number, StoreError>
  }
>() {}
