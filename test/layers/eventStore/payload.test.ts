import { describe, expect, it } from "vitest"
import { Schema } from "effect"
import { DomainEvent, SessionEvent, SupervisorQueryChunk, TicketSynced } from "../../../src/domain/events.js"
import { QueryId } from "../../../src/domain/ids.js"
import type { WorkerEvent } from "../../../src/domain/workerEvent.js"
import { eventPayload } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { sampleTicket, sessionId } from "../../support/sampleEvents.js"

/** One of every worker event: the fast path must store exactly what the schema would encode. */
const everyWorkerEvent: ReadonlyArray<WorkerEvent> = [
  { _tag: "TextDelta", itemId: "i", text: "t" },
  { _tag: "Message", itemId: "i", text: "t" },
  { _tag: "ReasoningDelta", itemId: "i", text: "t" },
  { _tag: "Reasoning", itemId: "i", text: "t" },
  { _tag: "CommandExecution", itemId: "i", command: "ls", cwd: null, status: "completed", output: "", exitCode: 0 },
  { _tag: "CommandOutputDelta", itemId: "i", text: "t" },
  { _tag: "FileChange", itemId: "i", status: "applied", changes: [{ path: "a.ts", kind: "update" }] },
  { _tag: "PlanUpdated", steps: [{ step: "s", status: "pending" }] },
  { _tag: "Checkpoint", summary: "s" },
  { _tag: "NeedsInput", requestId: "r", questions: [{ id: "q", question: "?", options: [{ label: "a", description: null }] }] },
  { _tag: "ApprovalRequested", requestId: "r", kind: "command", subject: "rm -rf /", cwd: "/", reason: null },
  { _tag: "Blocked", reason: "r" },
  { _tag: "WorkerArtifact", kind: "diff", title: "t", uri: null, content: "c" },
  { _tag: "TurnStarted", turnId: "t" },
  { _tag: "TurnCompleted", turnId: "t", status: "completed", usage: { input: 1, output: 2, total: 3 }, error: null },
  { _tag: "Done", reason: "r" },
  { _tag: "Crashed", reason: "r" }
]

describe("eventPayload", () => {
  it("stores streaming events exactly as the schema encodes them", () => {
    const encode = Schema.encodeSync(DomainEvent)
    const events = [
      ...everyWorkerEvent.map((event) => new SessionEvent({ sessionId: sessionId(1), event })),
      new SupervisorQueryChunk({ queryId: Schema.decodeSync(QueryId)("q-1"), text: "chunk" }),
      new TicketSynced({ ticket: sampleTicket(7, "Fix `rm -rf ~`; $(touch x) ../../etc 🚀") })
    ]
    for (const event of events) {
      expect(JSON.parse(eventPayload(event))).toEqual(encode(event))
      expect(Schema.decodeUnknownSync(DomainEvent)(JSON.parse(eventPayload(event)))).toEqual(event)
    }
  })
})
