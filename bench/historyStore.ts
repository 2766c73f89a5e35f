// A store after months of use, built quickly through the real append path (numbered events and
// their projections in the same transactions) so that every projection is consistent with the log.
import { Effect } from "effect"
import {
  AgentInstructed,
  ArtifactCreated,
  type DomainEvent,
  HarnessBound,
  InboxItemCreated,
  InboxItemResolved,
  SessionEvent,
  SessionSpawned,
  SessionStateChanged,
  TicketSynced,
  TrackerUpdated,
  WorkflowTransition,
  WorkItemCreated,
  WorktreeCreated
} from "../src/domain/events.js"
import { ArtifactId, InboxItemId, SessionId, TicketId, WorkItemId } from "../src/domain/ids.js"
import { Ticket, TicketState } from "../src/domain/ticket.js"
import type { WorkflowState } from "../src/domain/workflow.js"
import { eventStoreOnFile } from "../src/layers/eventStore/EventStoreTest.js"
import { EventStore } from "../src/services/EventStore.js"

export interface HistorySize {
  readonly name: string
  readonly sessions: number
  readonly tickets: number
  readonly events: number
  /** Sessions left live (Running, bound to the scripted harness): what a restart resumes. */
  readonly live: number
}

export const historySizes: Record<string, HistorySize> = {
  s1: { name: "S1", sessions: 10, tickets: 1_000, events: 100_000, live: 3 },
  s2: { name: "S2", sessions: 100, tickets: 5_000, events: 1_000_000, live: 3 },
  s3: { name: "S3", sessions: 1_000, tickets: 20_000, events: 5_000_000, live: 3 }
}

/** Bumped whenever the generated content changes, so cached stores of an older shape are rebuilt. */
export const historyGeneratorVersion = 1

/** Events per append transaction: large enough that commits cost nothing, small enough for memory. */
const BATCH = 20_000

const stateNames = ["Todo", "In Progress", "In Review", "Done", "Backlog"] as const
const stateTypes = { Todo: "unstarted", "In Progress": "started", "In Review": "started", Done: "completed", Backlog: "backlog" } as const

const ticketOf = (n: number, now: number): Ticket => {
  const name = stateNames[n % stateNames.length] ?? "Todo"
  return new Ticket({
    id: TicketId.make(`local:${n}`),
    provider: "local",
    identifier: `LOCAL-${n}`,
    title: `Ticket ${n}: make the history bench realistic`,
    description: `A generated ticket (${n}) with a description of ordinary length. `.repeat(4),
    url: null,
    priority: ((n % 5) as 0 | 1 | 2 | 3 | 4),
    state: new TicketState({ name, type: stateTypes[name] }),
    project: "demo",
    team: null,
    labels: ["bench"],
    assignee: null,
    updatedAt: now - n * 60_000
  })
}

/** The moves of a merged work item, in the order the workflow writer records them. */
const mergedPath: ReadonlyArray<WorkflowState> = ["New", "Planning", "Implementing", "PRDrafted", "ReadyForReview", "PendingMerge", "Done"]
/** A live one stops in review. */
const livePath: ReadonlyArray<WorkflowState> = ["New", "Planning", "Implementing", "PRDrafted", "ReadyForReview", "InReview"]

/** One work item's whole life: the head (records), `body` worker events in turns, the tail. */
function* workItemEvents(i: number, body: number, live: boolean, repo: string): Generator<DomainEvent> {
  const ticketId = TicketId.make(`local:${i + 1}`)
  const workItemId = WorkItemId.make(`wi-bench-${i}`)
  const sessionId = SessionId.make(`ses-bench-${i}`)
  const path = `${repo}/.worktrees/bench-${i}`
  const url = `https://github.com/bench/repo/pull/${i + 1}`
  yield new WorkItemCreated({ workItemId, ticketId, repoPath: repo })
  yield new WorktreeCreated({ workItemId, repoPath: repo, path, branch: `orchestrator/bench-${i}`, baseBranch: "main" })
  yield new SessionSpawned({ sessionId, workItemId, ticketId, harness: "harness.scripted", model: null, worktreePath: path })
  yield new HarnessBound({ sessionId, harness: "harness.scripted", harnessSessionId: `thread-${i}` })
  yield new SessionStateChanged({ sessionId, from: "Starting", to: "Running", reason: "spawned" })
  const path_ = live ? livePath : mergedPath
  // The tracker mirrored every move (as the writer does), so a repair has nothing to do.
  const moves = (from: number, to: number) =>
    path_.slice(from, to).flatMap((state, k): ReadonlyArray<DomainEvent> => {
      const next = path_[from + k + 1]
      if (next === undefined) return []
      return [
        new WorkflowTransition({ workItemId, from: state, to: next, reason: "bench" }),
        new TrackerUpdated({ ticketId, workItemId, action: "state", key: `state:${next}:${workItemId}:1`, detail: next })
      ]
    })
  yield* moves(0, 3)
  yield new AgentInstructed({ sessionId, workItemId, reason: "workflow", attempt: 1, text: "Implement the plan." })
  // Turns of about 100 events: a turn start, deltas, a full message, a command, the completion.
  for (let done = 0, turn = 0; done < body; turn++) {
    const turnId = `turn-${i}-${turn}`
    const size = Math.min(100, body - done)
    for (let k = 0; k < size; k++) {
      const event =
        k === 0
          ? { _tag: "TurnStarted" as const, turnId }
          : k === size - 1
            ? { _tag: "TurnCompleted" as const, turnId, status: "completed" as const, usage: null, error: null }
            : k === size - 2
              ? { _tag: "Message" as const, itemId: `m-${turn}`, text: `Turn ${turn} of work item ${i}: done, tests pass.` }
              : k % 10 === 5
                ? { _tag: "CommandExecution" as const, itemId: `c-${turn}-${k}`, command: "npm test", cwd: path, status: "completed" as const, output: "ok ".repeat(40), exitCode: 0 }
                : { _tag: "TextDelta" as const, itemId: `m-${turn}`, text: `chunk ${k} of the streamed answer ` }
      yield new SessionEvent({ sessionId, event })
    }
    done += size
  }
  yield new ArtifactCreated({ artifactId: ArtifactId.make(`art-bench-${i}`), workItemId, sessionId, kind: "pullRequest", title: `PR #${i + 1}`, uri: url })
  yield new TrackerUpdated({ ticketId, workItemId, action: "link", key: `link:${url}`, detail: url })
  yield new TrackerUpdated({ ticketId, workItemId, action: "comment", key: `comment:pr-opened:${i + 1}`, detail: "Draft pull request opened" })
  const inboxItemId = InboxItemId.make(`inbox-bench-${i}`)
  yield new InboxItemCreated({ inboxItemId, workItemId, sessionId, lane: "reviews", urgency: 2, title: "Review the draft", body: url, requestId: null })
  yield* moves(3, path_.length)
  if (live) return
  yield new InboxItemResolved({ inboxItemId, resolution: "merged" })
  yield new SessionStateChanged({ sessionId, from: "Running", to: "Done", reason: "its work item is Done" })
}

/** Every event of the store, in order: the tickets first, then the work items one after another. */
function* historyEvents(size: HistorySize, now: number, repo: string): Generator<DomainEvent> {
  for (let n = 1; n <= size.tickets; n++) yield new TicketSynced({ ticket: ticketOf(n, now) })
  // Records besides the worker events: about 30 per work item.
  const body = Math.max(100, Math.floor((size.events - size.tickets) / size.sessions) - 30)
  for (let i = 0; i < size.sessions; i++) yield* workItemEvents(i, body, i >= size.sessions - size.live, repo)
}

/** Builds the store at `file` (which must not exist yet); answers the number of events written. */
export const buildHistoryStore = (file: string, size: HistorySize, repo: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    let batch: Array<DomainEvent> = []
    let written = 0
    for (const event of historyEvents(size, Date.now(), repo)) {
      batch.push(event)
      if (batch.length < BATCH) continue
      written += (yield* store.append(batch)).length
      batch = []
    }
    written += (yield* store.append(batch)).length
    return written
  }).pipe(Effect.provide(eventStoreOnFile(file)))
