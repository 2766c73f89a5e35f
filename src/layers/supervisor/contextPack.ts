import { Effect, Option } from "effect"
import type { DomainEventTag, StoredEvent, SupervisorScope } from "../../domain/events.js"
import type { SessionId, TicketId, WorkItemId } from "../../domain/ids.js"
import { isTerminalSessionState } from "../../domain/session.js"
import { isTerminalWorkflowState } from "../../domain/workflow.js"
import { EventStore, type EventFilter, type StoreFailure } from "../../services/EventStore.js"
import {
  clip,
  describePullRequest,
  eventLine,
  inboxLine,
  isNoise,
  sessionLine,
  ticketLine,
  workItemLine
} from "./contextPackLines.js"

/** Every pack is bounded whatever the store holds. */
export interface ContextBounds {
  /** Recent events listed (after dropping streaming chunks). */
  readonly maxEvents: number
  /** Characters per listed item. */
  readonly maxItemChars: number
  /** Items per list other than recent events (sessions, inbox, checkpoints, transitions). */
  readonly maxListItems: number
  /** Characters of the whole rendered pack. */
  readonly maxTotalChars: number
}

export const defaultContextBounds: ContextBounds = {
  maxEvents: 60,
  maxItemChars: 400,
  maxListItems: 20,
  maxTotalChars: 24_000
}

export interface ContextSection {
  readonly title: string
  readonly items: ReadonlyArray<string>
}

export interface ContextPack {
  readonly scope: SupervisorScope
  readonly sections: ReadonlyArray<ContextSection>
  /** The rendered pack, at most `maxTotalChars`. */
  readonly text: string
}

// Streaming chunks are skipped, so read a few times more rows than we keep (still bounded).
const overRead = 4

const recentEvents = (filter: EventFilter, bounds: ContextBounds) =>
  Effect.flatMap(EventStore, (store) =>
    store.events({ ...filter, limit: bounds.maxEvents * overRead, newestFirst: true })
  ).pipe(Effect.map((rows) => rows.filter((row) => !isNoise(row)).slice(0, bounds.maxEvents).reverse()))

const lines = (rows: ReadonlyArray<StoredEvent>, bounds: ContextBounds) => rows.map((row) => eventLine(row, bounds.maxItemChars))

const workerEventsOf = (sessionId: SessionId, tags: ReadonlyArray<string>, bounds: ContextBounds) =>
  Effect.flatMap(EventStore, (store) =>
    store.events({ sessionId, types: ["SessionEvent"], limit: bounds.maxEvents * overRead, newestFirst: true })
  ).pipe(
    Effect.map((rows) =>
      rows
        .filter((row) => row.event._tag === "SessionEvent" && tags.includes(row.event.event._tag))
        .slice(0, bounds.maxListItems)
        .reverse()
    )
  )

const newestOfType = (workItemId: WorkItemId, types: ReadonlyArray<DomainEventTag>, limit: number) =>
  Effect.flatMap(EventStore, (store) => store.events({ workItemId, types, limit, newestFirst: true }))

/** Work item, workflow history, PR and CI state of one work item. */
const workItemSections = (workItemId: WorkItemId, bounds: ContextBounds) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const item = yield* store.workItem(workItemId)
    const history = yield* newestOfType(workItemId, ["WorkflowTransition"], bounds.maxListItems)
    const pr = yield* newestOfType(workItemId, ["PullRequestObserved"], 1)
    const prLines = pr.flatMap((row) =>
      row.event._tag === "PullRequestObserved" ? [clip(describePullRequest(row.event), bounds.maxItemChars)] : []
    )
    return [
      { title: "Work item", items: Option.match(item, { onNone: () => [], onSome: (w) => [workItemLine(w, bounds.maxItemChars)] }) },
      { title: "Workflow history", items: lines([...history].reverse(), bounds) },
      { title: "Pull request and CI", items: prLines }
    ]
  })

const ticketSection = (ticketId: TicketId, bounds: ContextBounds) =>
  Effect.flatMap(EventStore, (store) => store.ticket(ticketId)).pipe(
    Effect.map((ticket) => ({
      title: "Ticket",
      items: Option.match(ticket, { onNone: () => [`${ticketId} is not in the local store`], onSome: (t) => [ticketLine(t, bounds.maxItemChars)] })
    }))
  )

const openInbox = (keep: (item: { readonly sessionId: SessionId | null; readonly workItemId: WorkItemId | null }) => boolean, bounds: ContextBounds) =>
  Effect.flatMap(EventStore, (store) => store.inbox({ openOnly: true })).pipe(
    Effect.map((items) => ({
      title: "Needs input (open inbox)",
      items: items
        .filter(keep)
        .toSorted((a, b) => b.urgency - a.urgency)
        .slice(0, bounds.maxListItems)
        .map((item) => inboxLine(item, bounds.maxItemChars))
    }))
  )

const globalPack = (bounds: ContextBounds) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const sessions = yield* store.sessions({})
    const live = sessions
      .toSorted((a, b) => Number(isTerminalSessionState(a.state)) - Number(isTerminalSessionState(b.state)) || b.lastActivityAt - a.lastActivityAt)
      .slice(0, bounds.maxListItems)
    const items = (yield* store.workItems).filter((item) => !isTerminalWorkflowState(item.state)).slice(0, bounds.maxListItems)
    return [
      { title: "Sessions", items: live.map((row) => sessionLine(row, bounds.maxItemChars)) },
      { title: "Work items in flight", items: items.map((item) => workItemLine(item, bounds.maxItemChars)) },
      yield* openInbox(() => true, bounds),
      { title: "Recent events", items: lines(yield* recentEvents({}, bounds), bounds) }
    ]
  })

const ticketPack = (ticketId: TicketId, bounds: ContextBounds) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const item = yield* store.workItemForTicket(ticketId)
    const sessions = (yield* store.sessions({})).filter((row) => row.ticketId === ticketId).slice(0, bounds.maxListItems)
    const workItem = Option.getOrNull(Option.map(item, (w) => w.id))
    const perItem = workItem === null ? [] : yield* workItemSections(workItem, bounds)
    const filter: EventFilter = workItem === null ? { ticketId } : { workItemId: workItem }
    return [
      yield* ticketSection(ticketId, bounds),
      ...perItem,
      { title: "Sessions", items: sessions.map((row) => sessionLine(row, bounds.maxItemChars)) },
      yield* openInbox((entry) => workItem !== null && entry.workItemId === workItem, bounds),
      { title: "Recent events", items: lines(yield* recentEvents(filter, bounds), bounds) }
    ]
  })

const sessionPack = (sessionId: SessionId, bounds: ContextBounds) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const row = yield* store.session(sessionId)
    if (Option.isNone(row)) {
      return [{ title: "Session", items: [`session ${sessionId} is not in the store`] }]
    }
    const session = row.value
    const ticket = session.ticketId === null ? [] : [yield* ticketSection(session.ticketId, bounds)]
    const perItem = session.workItemId === null ? [] : yield* workItemSections(session.workItemId, bounds)
    return [
      { title: "Session", items: [sessionLine(session, bounds.maxItemChars)] },
      ...ticket,
      ...perItem,
      { title: "Checkpoints", items: lines(yield* workerEventsOf(sessionId, ["Checkpoint", "PlanUpdated"], bounds), bounds) },
      {
        title: "Questions and approvals asked",
        items: lines(yield* workerEventsOf(sessionId, ["NeedsInput", "ApprovalRequested", "Blocked"], bounds), bounds)
      },
      yield* openInbox((entry) => entry.sessionId === sessionId, bounds),
      { title: "Recent events", items: lines(yield* recentEvents({ sessionId }, bounds), bounds) }
    ]
  })

const scopeLine = (scope: SupervisorScope): string => {
  switch (scope._tag) {
    case "Global":
      return "Scope: everything in flight."
    case "Ticket":
      return `Scope: ticket ${scope.ticketId}.`
    case "Session":
      return `Scope: session ${scope.sessionId}.`
  }
}

/** Renders sections in order; whatever would pass `maxTotalChars` is cut with a marker. */
export const renderContext = (scope: SupervisorScope, sections: ReadonlyArray<ContextSection>, maxTotalChars: number): string => {
  const marker = "\n[context truncated]"
  const blocks = [scopeLine(scope), ...sections.map((s) => `## ${s.title}\n${s.items.length === 0 ? "(none)" : s.items.map((i) => `- ${i}`).join("\n")}`)]
  const text = blocks.join("\n\n")
  return text.length <= maxTotalChars ? text : `${text.slice(0, Math.max(0, maxTotalChars - marker.length))}${marker}`
}

/** The bounded context the supervisor answers from: global, per ticket or per session. */
export const buildContextPack = (
  scope: SupervisorScope,
  bounds: ContextBounds = defaultContextBounds
): Effect.Effect<ContextPack, StoreFailure, EventStore> =>
  Effect.gen(function* () {
    const sections: ReadonlyArray<ContextSection> =
      scope._tag === "Global"
        ? yield* globalPack(bounds)
        : scope._tag === "Ticket"
          ? yield* ticketPack(scope.ticketId, bounds)
          : yield* sessionPack(scope.sessionId, bounds)
    return { scope, sections, text: renderContext(scope, sections, bounds.maxTotalChars) }
  })
