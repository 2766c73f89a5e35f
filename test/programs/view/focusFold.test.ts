import { describe, expect, it } from "@effect/vitest"
import { skipMarkerText } from "../../../src/domain/bus.js"
import { foldFocused, skippedText } from "../../../src/programs/view/focusFold.js"
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
})
