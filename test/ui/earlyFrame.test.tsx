import { afterEach, describe, expect, it } from "@effect/vitest"
import { cleanup } from "ink-testing-library"
import type { InboxEntry, SessionItem } from "../../src/programs/view/viewModel.js"
import { EARLY_FRAME_NOTE, earlyFrameFits, earlyFrameText } from "../../src/ui/earlyFrame.js"
import { resolveTheme } from "../../src/ui/theme.js"
import { renderAppSized, vmWith } from "./harness.js"

afterEach(() => cleanup())

const stages: ReadonlyArray<SessionItem["stage"]> = ["Planning", "Implementing", "Review", "Done", "Abandoned", "Other"]
const states = ["Running", "Idle", "WaitingForUser", "Done", "Crashed"]

const sessions = (count: number): ReadonlyArray<SessionItem> =>
  Array.from({ length: count }, (_, i) => ({
    sessionId: `s${i}`,
    workItemId: `wi-${i}`,
    label: `ENG-${i}`,
    title: i % 7 === 0 ? `a title long enough to be cut at the column's edge ${i}` : i % 5 === 1 ? `日本語のタイトル 🚀 é ${i} とても長い` : `title ${i}`,
    stage: stages[i % stages.length] ?? "Other",
    state: states[i % states.length] ?? "Idle",
    workflowState: null,
    active: i % states.length === 0
  }))

const inbox = (count: number): ReadonlyArray<InboxEntry> =>
  Array.from({ length: count }, (_, i) => ({ id: `in${i}`, lane: i % 2 === 0 ? "approvals" : "fyi", urgency: i % 3, title: `inbox item ${i}`, sessionId: null }))

/** The frame's lines as a terminal shows them: each line is drawn at its own row. */
const earlyLines = (text: string): ReadonlyArray<string> =>
  text
    .split(/\u001b\[\d+;1H/)
    .slice(1)
    .map((line) => line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ""))

describe("the early frame", () => {
  const cases = [
    { name: "an empty store at 80×24", columns: 80, rows: 24, sessions: 0, inbox: 0 },
    { name: "a few sessions and an inbox at 140×40", columns: 140, rows: 40, sessions: 9, inbox: 3 },
    { name: "200 sessions and 30 inbox items at 80×24 (both lists scroll)", columns: 80, rows: 24, sessions: 200, inbox: 30 },
    { name: "200 sessions at 100×30", columns: 100, rows: 30, sessions: 200, inbox: 0 }
  ]
  for (const c of cases) {
    it(`draws the left column and the footer exactly as the Ink screen's first frame: ${c.name}`, async () => {
      const listed = sessions(c.sessions)
      const open = inbox(c.inbox)
      const early = earlyLines(earlyFrameText({ columns: c.columns, rows: c.rows, sessions: listed, inbox: open, theme: resolveTheme("nord", { NO_COLOR: "1" }) }))
      const app = renderAppSized(vmWith({ sessions: listed, inbox: open, tickets: [] }), { columns: c.columns, rows: c.rows })
      const listWidth = Math.min(40, Math.floor(c.columns / 3))
      // The frame at this size (the harness resizes after a first frame at its default size).
      const sized = (f: string) => f.split("\n").length === c.rows && f.startsWith(`┌${"─".repeat(listWidth - 2)}┐`)
      const ink = (await app.frame((f) => f.includes("No session focused") && sized(f))).split("\n")
      expect(early).toHaveLength(c.rows)
      const left = (lines: ReadonlyArray<string>) => lines.slice(0, c.rows - 1).map((line) => line.slice(0, listWidth))
      expect(left(early)).toEqual(left(ink))
      expect(early[c.rows - 1]).toBe(ink[c.rows - 1])
      // Only the main pane differs: it says the screen is loading.
      expect(early[0]?.slice(listWidth)).toBe(` ${EARLY_FRAME_NOTE}`)
    })
  }

  it("draws nothing in a terminal too small for its layout", () => {
    expect(earlyFrameFits(80, 24)).toBe(true)
    expect(earlyFrameFits(59, 24)).toBe(false)
    expect(earlyFrameFits(80, 11)).toBe(false)
  })

  it("shows outside text without its terminal controls", () => {
    const [hostile] = sessions(1).map((s) => ({ ...s, label: "ENG-\u001b[2J1", title: "x\u001b]0;pwned\u0007y\rz" }))
    const text = earlyFrameText({ columns: 100, rows: 30, sessions: hostile === undefined ? [] : [hostile], inbox: [{ id: "i", lane: "fyi", urgency: 0, title: "\u001b[31mred\u001b[0m", sessionId: null }], theme: resolveTheme("nord", { NO_COLOR: "1" }) })
    expect(text).not.toContain("pwned")
    expect(text).not.toContain("\u001b[2J1")
    expect(text).not.toContain("\r")
    const lines = earlyLines(text).join("\n")
    expect(lines).toContain("ENG-1 xy z")
    expect(lines).toContain(" red")
  })
})
