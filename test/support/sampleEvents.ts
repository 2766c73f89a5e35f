import { Schema } from "effect"
import {
  ArtifactCreated,
  HarnessBound,
  InboxItemCreated,
  SessionEvent,
  SessionSpawned,
  SessionStateChanged,
  TicketSynced,
  WorkflowTransition,
  WorkItemCreated,
  WorktreeCreated
} from "../../src/domain/events.js"
import { ArtifactId, InboxItemId, SessionId, TicketId, WorkItemId } from "../../src/domain/ids.js"
import { Ticket, TicketState } from "../../src/domain/ticket.js"

export const ticketId = (n: number) => Schema.decodeSync(TicketId)(`local:${n}`)
export const workItemId = (n: number) => Schema.decodeSync(WorkItemId)(`wi-${n}`)
export const sessionId = (n: number) => Schema.decodeSync(SessionId)(`ses-${n}`)

/** A ticket with plain defaults; tests override what they care about. */
export const makeTicket = (fields: Partial<ConstructorParameters<typeof Ticket>[0]> & Pick<Ticket, "id" | "identifier" | "title">) =>
  new Ticket({
    provider: "local",
    description: "",
    url: null,
    priority: 2,
    state: new TicketState({ name: "In Progress", type: "started" }),
    project: null,
    team: null,
    labels: [],
    assignee: null,
    updatedAt: 0,
    ...fields
  })

export const sampleTicket = (n: number, title = `Ticket ${n}`) =>
  makeTicket({
    id: ticketId(n),
    identifier: `LOC-${n}`,
    title,
    description: `Description of ${n}`,
    state: new TicketState({ name: "Todo", type: "unstarted" }),
    project: "demo",
    labels: ["backend"],
    updatedAt: 1_700_000_000_000 + n
  })

export const textDelta = (session: number, text: string, itemId = "msg-1") =>
  new SessionEvent({ sessionId: sessionId(session), event: { _tag: "TextDelta", itemId, text } })

/** A whole small history: a ticket started, a session running, a PR opened, an inbox item. */
export const startedWork = (n: number) => [
  new TicketSynced({ ticket: sampleTicket(n) }),
  new WorkItemCreated({ workItemId: workItemId(n), ticketId: ticketId(n), repoPath: "/repo" }),
  new WorktreeCreated({
    workItemId: workItemId(n),
    repoPath: "/repo",
    path: `/wt/LOC-${n}`,
    branch: `orchestrator/LOC-${n}-ticket`,
    baseBranch: "main"
  }),
  new SessionSpawned({
    sessionId: sessionId(n),
    workItemId: workItemId(n),
    ticketId: ticketId(n),
    harness: "harness.codex",
    model: null,
    worktreePath: `/wt/LOC-${n}`
  }),
  new HarnessBound({ sessionId: sessionId(n), harness: "harness.codex", harnessSessionId: `thread-${n}` }),
  new SessionStateChanged({ sessionId: sessionId(n), from: "Starting", to: "Running", reason: "spawned" }),
  new WorkflowTransition({ workItemId: workItemId(n), from: "New", to: "Planning", reason: "started" }),
  textDelta(n, "Hello "),
  textDelta(n, "world"),
  new ArtifactCreated({
    artifactId: Schema.decodeSync(ArtifactId)(`pr-${n}`),
    workItemId: workItemId(n),
    sessionId: sessionId(n),
    kind: "pullRequest",
    title: `PR for LOC-${n}`,
    uri: `https://github.com/o/r/pull/${n}`
  }),
  new InboxItemCreated({
    inboxItemId: Schema.decodeSync(InboxItemId)(`inbox-${n}`),
    workItemId: workItemId(n),
    sessionId: sessionId(n),
    lane: "approvals",
    urgency: 3,
    title: "Approve `rm -rf build`?",
    body: "",
    requestId: "req-1"
  })
]
