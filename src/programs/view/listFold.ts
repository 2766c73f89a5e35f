import type { DomainEvent } from "../../domain/events.js"
import { runnerOfPath, runnerOnline } from "../../domain/located.js"
import type { RunnerRow } from "../../domain/runner.js"
import type { InboxItem } from "../../services/EventStore.js"
import type { SessionRow } from "../../domain/session.js"
import type { Ticket } from "../../domain/ticket.js"
import type { WorkItem } from "../../domain/workItem.js"
import { linkedPullRequest, observedPullRequest } from "./pullRequestFold.js"
import type { InboxEntry, PullRequestView, SessionItem, Stage, TicketEntry, ViewModel } from "./viewModel.js"

export const stageOf = (workflowState: string | null): Stage => {
  switch (workflowState) {
    case "New":
    case "Planning":
      return "Planning"
    case "Implementing":
      return "Implementing"
    case "PRDrafted":
    case "AwaitingYourReview":
    case "ReadyForReview":
    case "InReview":
    case "PendingMerge":
      return "Review"
    case "Done":
      return "Done"
    case "Abandoned":
      return "Abandoned"
    default:
      return "Other"
  }
}

export const ticketEntry = (ticket: Ticket, started: boolean): TicketEntry => ({
  id: ticket.id,
  identifier: ticket.identifier,
  title: ticket.title,
  project: ticket.project ?? ticket.team ?? "(no project)",
  stateName: ticket.state.name,
  started
})

/** The fields of a stored session the lists show (a `SessionRow`, or the quick path's unbranded row). */
export interface ListedSession {
  readonly id: string
  readonly state: string
  readonly createdAt: number
  readonly workItemId: string | null
  readonly ticketId: string | null
  readonly ticketIdentifier: string | null
  readonly workflowState: string | null
  /** On a cluster, located on its runner (`alpha:/path`). */
  readonly worktreePath: string
}

export const sessionItem = (row: ListedSession, title: string): SessionItem => ({
  sessionId: row.id,
  workItemId: row.workItemId,
  label: row.ticketIdentifier ?? row.id.slice(0, 8),
  title,
  stage: stageOf(row.workflowState),
  state: row.state,
  workflowState: row.workflowState,
  active: row.state === "Running" || row.state === "Starting",
  runner: runnerOfPath(row.worktreePath)
})

const endedStates = new Set(["Done", "Crashed", "Killed"])

/** The runners as the screens show them, at `now` (their live sessions counted from the list). */
export const applyRunners = (vm: ViewModel, rows: ReadonlyArray<RunnerRow>, now: number): ViewModel => ({
  ...vm,
  runners: rows.map((row) => ({
    name: row.name,
    host: row.host,
    online: runnerOnline(row, now),
    live: vm.sessions.filter((s) => s.runner === row.name && !endedStates.has(s.state)).length,
    maxSessions: row.maxSessions
  }))
})

export const inboxEntry = (item: InboxItem): InboxEntry => ({
  id: item.id,
  lane: item.lane,
  urgency: item.urgency,
  title: item.title,
  sessionId: item.sessionId
})

/** What the store says, in view-model form: the periodic background refresh. */
export interface StoreSnapshot {
  readonly sessions: ReadonlyArray<SessionRow>
  readonly tickets: ReadonlyArray<Ticket>
  readonly workItems: ReadonlyArray<WorkItem>
  readonly inbox: ReadonlyArray<InboxItem>
}

/** Stored sessions as the list shows them, newest first; `titles` by ticket id. */
export const storedSessionItems = (sessions: ReadonlyArray<ListedSession>, titles: ReadonlyMap<string, string>): ReadonlyArray<SessionItem> =>
  [...sessions].sort((a, b) => b.createdAt - a.createdAt).map((row) => sessionItem(row, row.ticketId === null ? "" : (titles.get(row.ticketId) ?? "")))

export const applySnapshot = (vm: ViewModel, snapshot: StoreSnapshot): ViewModel => {
  const titles = new Map(snapshot.tickets.map((t) => [t.id as string, t.title]))
  const started = new Set(snapshot.workItems.map((w) => w.ticketId as string))
  const stored = storedSessionItems(snapshot.sessions, titles)
  const storedIds = new Set(stored.map((s) => s.sessionId))
  // Sessions seen on the bus but not yet written by the store writer stay listed.
  const unsaved = vm.sessions.filter((s) => !storedIds.has(s.sessionId))
  return {
    ...vm,
    sessions: [...unsaved, ...stored],
    tickets: snapshot.tickets.map((t) => ticketEntry(t, started.has(t.id))),
    inbox: snapshot.inbox.map(inboxEntry)
  }
}

/** The focused side panel's pull request, when the event is about the focused work item. */
const withPullRequest = (vm: ViewModel, workItemId: string | null, next: (current: PullRequestView | null) => PullRequestView | null): ViewModel => {
  if (vm.focused === null || workItemId === null || vm.focused.workItemId !== workItemId) return vm
  const current = vm.focused.side.pullRequest
  const pullRequest = next(current)
  // Unchanged side data keeps its identity, so the side panel does not re-render.
  return pullRequest === current ? vm : { ...vm, focused: { ...vm.focused, side: { ...vm.focused.side, pullRequest } } }
}

const stateActive = (state: string) => state === "Running" || state === "Starting"

/**
 * The global events that change the lists, applied as they arrive (cheap, so every session's
 * state and the inbox stay current between background refreshes).
 */
export const applyListEvent = (vm: ViewModel, event: DomainEvent): ViewModel => {
  switch (event._tag) {
    case "SessionStateChanged": {
      const focused = vm.focused !== null && vm.focused.sessionId === event.sessionId ? { ...vm.focused, state: event.to } : vm.focused
      return {
        ...vm,
        focused,
        sessions: vm.sessions.map((s) => (s.sessionId === event.sessionId ? { ...s, state: event.to, active: stateActive(event.to) } : s))
      }
    }
    case "SessionSpawned": {
      if (vm.sessions.some((s) => s.sessionId === event.sessionId)) return vm
      const ticket = vm.tickets.find((t) => t.id === event.ticketId)
      const item: SessionItem = {
        sessionId: event.sessionId,
        workItemId: event.workItemId,
        label: ticket?.identifier ?? event.sessionId.slice(0, 8),
        title: ticket?.title ?? "",
        stage: "Planning",
        state: "Starting",
        workflowState: null,
        active: true
      }
      return { ...vm, sessions: [item, ...vm.sessions] }
    }
    case "WorkflowTransition": {
      const focused = vm.focused !== null && vm.focused.workItemId === event.workItemId ? { ...vm.focused, workflowState: event.to } : vm.focused
      return {
        ...vm,
        focused,
        sessions: vm.sessions.map((s) => (s.workItemId === event.workItemId ? { ...s, workflowState: event.to, stage: stageOf(event.to) } : s))
      }
    }
    case "WorkItemCreated":
      return { ...vm, tickets: vm.tickets.map((t) => (t.id === event.ticketId ? { ...t, started: true } : t)) }
    case "TicketSynced": {
      const started = vm.tickets.find((t) => t.id === event.ticket.id)?.started ?? false
      const entry = ticketEntry(event.ticket, started)
      const exists = vm.tickets.some((t) => t.id === entry.id)
      return { ...vm, tickets: exists ? vm.tickets.map((t) => (t.id === entry.id ? entry : t)) : [...vm.tickets, entry] }
    }
    case "TicketUnlisted":
      return { ...vm, tickets: vm.tickets.filter((t) => t.id !== event.ticketId) }
    case "InboxItemCreated": {
      const entry: InboxEntry = { id: event.inboxItemId, lane: event.lane, urgency: event.urgency, title: event.title, sessionId: event.sessionId }
      return { ...vm, inbox: [...vm.inbox.filter((i) => i.id !== entry.id), entry] }
    }
    case "InboxItemResolved":
      return { ...vm, inbox: vm.inbox.filter((i) => i.id !== event.inboxItemId) }
    case "PullRequestObserved":
      return withPullRequest(vm, event.workItemId, () => observedPullRequest(event))
    case "ArtifactCreated":
      return withPullRequest(vm, event.workItemId, (current) => linkedPullRequest(current, event))
    default:
      return vm
  }
}

/** The focused work item's records read from the store (workflow state, PR link, PR observations). */
export const applyWorkEvents = (vm: ViewModel, events: ReadonlyArray<DomainEvent>): ViewModel => events.reduce(applyListEvent, vm)
