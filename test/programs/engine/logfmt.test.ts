import { describe, expect, it } from "@effect/vitest"
import { SessionEvent } from "../../../src/domain/events.js"
import { logfmt, logLine } from "../../../src/programs/engine/logfmt.js"
import { hasTerminalControl, hostileTitle } from "../../support/hostileText.js"
import { sessionId } from "../../support/sampleEvents.js"

describe("headless log lines", () => {
  it("an agent's message with an OSC, a CSI colour, an 8-bit CSI, \\r and \\n becomes one plain line", () => {
    const line = logLine(
      { seq: 1, at: 0, event: new SessionEvent({ sessionId: sessionId(1), event: { _tag: "Message", itemId: "m1", text: hostileTitle } }) },
      { ticket: "local:1", workItem: null }
    )
    expect(line).toBe('time=1970-01-01T00:00:00.000Z event=Message ticket=local:1 session=ses-1 text="evil  red a b c  link end"')
    expect(hasTerminalControl(line ?? "")).toBe(false)
  })

  it("keeps plain values bare and quotes the others", () => {
    expect(logfmt([["event", "stopped"], ["reason", "signal SIGINT"], ["empty", ""], ["n", 3]])).toBe('event=stopped reason="signal SIGINT" n=3')
  })
})
