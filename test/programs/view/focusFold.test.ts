import { describe, expect, it } from "@effect/vitest"
import { skipMarkerText } from "../../../src/domain/bus.js"
import { eventsAsDeliveries, foldFocused, skippedText } from "../../../src/programs/view/focusFold.js"
import { SessionEvent } from "../../../src/domain/events.js"
import { SessionId } from "../../../src/domain/ids.js"
import type { WorkerEvent } from "../../../src/domain/workerEvent.js"
import { emptySidePanel, type FocusedSession } from "../../../src/programs/view/viewModel.js"

const focused: FocusedSession = {
  sessionId: "s1",
  workItemId: null,
  label: "S1",
  state: "Running",
  workflowState: null,
  turnActive: false,
  blocks: [],
  pending: [],
  side: emptySidePanel
}

describe("focused transcript fold", () => {
  it("marks dropped events with the bus's own wording", () => {
    for (const count of [1, 2, 40]) expect(skippedText(count)).toBe(skipMarkerText(count))
    const folded = foldFocused(focused, [{ _tag: "Skipped", count: 3 }], 10)
    expect(folded.blocks.map((b) => `${b.kind}:${b.text}`)).toEqual(["skipped:3 events skipped"])
  })

  it("the plan checklist ticks with each update and moves to the newest place", () => {
    const plan = (done: number): WorkerEvent => ({
      _tag: "PlanUpdated",
      steps: ["Read", "Write", "Commit"].map((step, i) => ({ step, status: i < done ? "completed" : i === done ? "in_progress" : "pending" }))
    })
    const events = (worker: ReadonlyArray<WorkerEvent>) => eventsAsDeliveries(worker.map((event) => new SessionEvent({ sessionId: SessionId.make("s1"), event })))
    const first = foldFocused(focused, events([plan(1), { _tag: "Message", itemId: "m1", text: "working" }]), 10)
    expect(first.blocks.map((b) => b.id)).toEqual(["plan", "m:m1"])
    const later = foldFocused(first, events([plan(3)]), 10)
    expect(later.blocks.map((b) => b.id)).toEqual(["m:m1", "plan"])
    expect(later.blocks[1]?.text).toBe("plan · 3 of 3 done\n[x] Read\n[x] Write\n[x] Commit")
    expect(first.blocks[0]?.text).toContain("plan · 1 of 3 done\n[x] Read\n[>] Write\n[ ] Commit")
  })
})
