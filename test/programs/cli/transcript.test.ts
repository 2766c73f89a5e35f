import { describe, expect, it } from "@effect/vitest"
import { SessionEvent, type StoredEvent } from "../../../src/domain/events.js"
import { describeStoredEvent, transcriptTail } from "../../../src/programs/cli/transcript.js"
import { hasTerminalControl, hostileTitle } from "../../support/hostileText.js"
import { sessionId } from "../../support/sampleEvents.js"

const stored = (seq: number, event: StoredEvent["event"]): StoredEvent => ({ seq, at: 1_700_000_000_000 + seq, event })

describe("`sessions show` text", () => {
  it("prints agent text, commands and crash reasons without control sequences, one line each", () => {
    const events = [
      stored(1, new SessionEvent({ sessionId: sessionId(1), event: { _tag: "Message", itemId: "m1", text: hostileTitle } })),
      stored(2, new SessionEvent({ sessionId: sessionId(1), event: { _tag: "Crashed", reason: "boom\x1b[2J\rgone" } }))
    ]
    const tail = transcriptTail(events, 40)
    for (const line of tail) expect(hasTerminalControl(line)).toBe(false)
    expect(tail).toContain("! crashed: boom gone")
    expect(tail.filter((line) => line.startsWith("agent: "))).toEqual(["agent: evil  red a", "agent: b", "agent: c  link end"])
    for (const event of events) expect(hasTerminalControl(describeStoredEvent(event))).toBe(false)
  })
})
