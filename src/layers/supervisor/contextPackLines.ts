import type { StoredEvent } from "../../domain/events.js"
import type { SessionRow } from "../../domain/session.js"
import type { Ticket } from "../../domain/ticket.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"
import type { WorkItem } from "../../domain/workItem.js"
import type { InboxItem } from "../../services/EventStore.js"

/** One line of at most `max` characters: whitespace folded, the cut marked. */
export const clip = (text: string, max: number): string => {
  const folded = text.replace(/\s+/g, " ").trim()
  return folded.length <= max ? folded : `${folded.slice(0, Math.max(0, max - 1))}…`
}

const time = (at: number): string => new Date(at).toISOString().slice(0, 19).replace("T", " ")

const describeWorker = (event: WorkerEvent): string => {
  switch (event._tag) {
    case "TextDelta":
    case "ReasoningDelta":
    case "CommandOutputDelta":
      return `${event._tag} ${event.text}`
    case "Message":
      return `agent said: ${event.text}`
    case "Reasoning":
      return `agent reasoned: ${event.text}`
    case "CommandExecution":
      return `command ${event.status}${event.exitCode === null ? "" : ` (exit ${event.exitCode})`}: ${event.command} ${event.output}`
    case "FileChange":
      return `files ${event.status}: ${event.changes.map((change) => `${change.kind} ${change.path}`).join(", ")}`
    case "PlanUpdated":
      return `plan: ${event.steps.map((step) => `[${step.status}] ${step.step}`).join("; ")}`
    case "Checkpoint":
      return `checkpoint: ${event.summary}`
    case "NeedsInput":
      return `needs input (${event.requestId}): ${event.questions.map((question) => question.question).join(" / ")}`
    case "ApprovalRequested":
      return `approval requested (${event.kind}, ${event.requestId}): ${event.subject}`
    case "Blocked":
      return `blocked: ${event.reason}`
    case "WorkerArtifact":
      return `artifact ${event.kind}: ${event.title}${event.uri === null ? "" : ` ${event.uri}`}`
    case "TurnStarted":
      return `turn ${event.turnId} started`
    case "TurnCompleted":
      return `turn ${event.turnId} ${event.status}${event.error === null ? "" : `: ${event.error}`}`
    case "Done":
      return `done: ${event.reason}`
    case "Crashed":
      return `crashed: ${event.reason}`
  }
}

const describe = (stored: StoredEvent): string => {
  const event = stored.event
  switch (event._tag) {
    case "TicketSynced":
      return `ticket ${event.ticket.identifier} synced (${event.ticket.state.name}): ${event.ticket.title}`
    case "TicketUnlisted":
      return `ticket ${event.ticketId} no longer listed`
    case "TicketSyncCheckpoint":
      return `${event.provider} tickets synced (${event.scope})`
    case "WorkItemCreated":
      return `work item ${event.workItemId} created for ${event.ticketId} in ${event.repoPath}`
    case "WorktreeCreated":
      return `worktree ${event.path} on branch ${event.branch} (base ${event.baseBranch})`
    case "WorktreeRemoved":
      return `worktree ${event.path} removed${event.savedRef === null ? "" : `, work saved at ${event.savedRef}`}`
    case "SessionSpawned":
      return `session ${event.sessionId} spawned (${event.harness}) in ${event.worktreePath}`
    case "SessionStateChanged":
      return `session ${event.sessionId} ${event.from} → ${event.to}: ${event.reason}`
    case "HarnessBound":
      return `session ${event.sessionId} bound to ${event.harness}`
    case "SessionEvent":
      return `session ${event.sessionId}: ${describeWorker(event.event)}`
    case "WorkflowTransition":
      return `work item ${event.workItemId} ${event.from} → ${event.to}: ${event.reason}`
    case "ArtifactCreated":
      return `artifact ${event.kind}: ${event.title}${event.uri === null ? "" : ` ${event.uri}`}`
    case "InboxItemCreated":
      return `inbox (${event.lane}, urgency ${event.urgency}): ${event.title}: ${event.body}`
    case "InboxItemResolved":
      return `inbox item ${event.inboxItemId} resolved: ${event.resolution}`
    case "UserResponded":
      return `person ${event.kind} to session ${event.sessionId}: ${event.text}`
    case "SupervisorQueryStarted":
      return `supervisor asked: ${event.question}`
    case "SupervisorQueryChunk":
      return `supervisor answered: ${event.text}`
    case "SupervisorToolCalled":
      return `supervisor called ${event.tool}(${event.arguments}) → ${event.result}`
    case "SupervisorQueryFinished":
      return `supervisor query ${event.status}`
    case "PullRequestObserved":
      return describePullRequest(event)
    case "TrackerUpdated":
      return `tracker ${event.action} on ${event.ticketId}: ${event.detail}`
    case "AgentInstructed":
      return `orchestrator instructed ${event.sessionId} (${event.reason}, attempt ${event.attempt}): ${event.text}`
  }
}

export const describePullRequest = (
  pr: Extract<StoredEvent["event"], { _tag: "PullRequestObserved" }>
): string => {
  const failing = pr.failingChecks.length === 0 ? "" : `; failing: ${pr.failingChecks.map((check) => check.name).join(", ")}`
  const review = pr.reviewDecision === "" ? "no review decision" : pr.reviewDecision
  return `PR #${pr.number} ${pr.state}${pr.isDraft ? " draft" : ""}, checks ${pr.checks}, ${review}${failing} ${pr.url}`
}

export const eventLine = (stored: StoredEvent, max: number): string =>
  clip(`#${stored.seq} ${time(stored.at)} ${describe(stored)}`, max)

/** Streaming chunks say nothing a pack needs: their finished message or answer is recorded too. */
export const isNoise = (stored: StoredEvent): boolean =>
  stored.event._tag === "SupervisorQueryChunk" ||
  (stored.event._tag === "SessionEvent" &&
    (stored.event.event._tag === "TextDelta" ||
      stored.event.event._tag === "ReasoningDelta" ||
      stored.event.event._tag === "CommandOutputDelta"))

export const sessionLine = (row: SessionRow, max: number): string =>
  clip(
    `session ${row.id}${row.ticketIdentifier === null ? "" : ` [${row.ticketIdentifier}]`} ${row.state}` +
      `${row.workflowState === null ? "" : `, workflow ${row.workflowState}`}, ${row.harness}` +
      `${row.pullRequestUrl === null ? "" : `, PR ${row.pullRequestUrl}`}, last activity ${time(row.lastActivityAt)}`,
    max
  )

export const inboxLine = (item: InboxItem, max: number): string =>
  clip(
    `(${item.lane}, urgency ${item.urgency}${item.sessionId === null ? "" : `, session ${item.sessionId}`}) ${item.title}: ${item.body}`,
    max
  )

export const ticketLine = (ticket: Ticket, max: number): string =>
  clip(
    `${ticket.identifier} "${ticket.title}" state ${ticket.state.name} (${ticket.state.type}), priority ${ticket.priority}` +
      `${ticket.url === null ? "" : `, ${ticket.url}`}. ${ticket.description}`,
    max
  )

export const workItemLine = (item: WorkItem, max: number): string =>
  clip(
    `work item ${item.id} for ${item.ticketId}: ${item.state}` +
      `${item.pullRequestUrl === null ? "" : `, PR ${item.pullRequestUrl}`}, repo ${item.repoPath}`,
    max
  )
