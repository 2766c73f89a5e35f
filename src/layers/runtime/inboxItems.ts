import { InboxItemCreated } from "../../domain/events.js"
import { InboxItemId, type SessionId, type WorkItemId } from "../../domain/ids.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"

/** The inbox item a harness request answers to; its id is derived so the answer can resolve it. */
export const requestInboxId = (sessionId: SessionId, requestId: string): InboxItemId =>
  InboxItemId.make(`${sessionId}:${requestId}`)

/** The inbox item a worker event asks for (a question, an approval, a blocker), if any. */
export const inboxItemFor = (
  sessionId: SessionId,
  workItemId: WorkItemId | null,
  event: WorkerEvent,
  seq: number
): InboxItemCreated | undefined => {
  const base = { sessionId, workItemId }
  switch (event._tag) {
    case "NeedsInput":
      return new InboxItemCreated({
        ...base,
        inboxItemId: requestInboxId(sessionId, event.requestId),
        lane: "decide",
        urgency: 80,
        title: event.questions[0]?.question ?? "The agent has a question",
        body: event.questions.map((q) => `${q.question}${q.options.length > 0 ? ` (${q.options.map((o) => o.label).join(" / ")})` : ""}`).join("\n"),
        requestId: event.requestId
      })
    case "ApprovalRequested":
      return new InboxItemCreated({
        ...base,
        inboxItemId: requestInboxId(sessionId, event.requestId),
        lane: "approvals",
        urgency: 70,
        title: `Approve ${event.kind === "command" ? "command" : event.kind === "fileChange" ? "file change" : "permission"}: ${event.subject}`,
        body: [event.subject, event.cwd === null ? "" : `in ${event.cwd}`, event.reason ?? ""].filter((l) => l !== "").join("\n"),
        requestId: event.requestId
      })
    case "Blocked":
      return new InboxItemCreated({
        ...base,
        inboxItemId: InboxItemId.make(`${sessionId}:blocked:${seq}`),
        lane: "decide",
        urgency: 75,
        title: "The agent is blocked",
        body: event.reason,
        requestId: null
      })
    default:
      return undefined
  }
}

export const stallInboxItem = (sessionId: SessionId, workItemId: WorkItemId | null, retries: number, silentMs: number, at: number) =>
  new InboxItemCreated({
    sessionId,
    workItemId,
    inboxItemId: InboxItemId.make(`${sessionId}:stalled:${at}`),
    lane: "decide",
    urgency: 90,
    title: "The agent stopped responding",
    body: `No event for ${Math.round(silentMs / 1000)} s; ${retries} nudge(s) did not help. Look at the session, then send input or kill it.`,
    requestId: null
  })
