import { afterEach, describe, expect, it } from "@effect/vitest"
import { cleanup } from "ink-testing-library"
import { readdirSync, readFileSync } from "node:fs"
import * as NodePath from "node:path"
import type { TicketEntry } from "../../src/programs/view/viewModel.js"
import { hasTerminalControl, hostileTitle } from "../support/hostileText.js"
import { focusedSession, renderApp, vmWith } from "./harness.js"

afterEach(() => cleanup())

const hostileTicket: TicketEntry = { id: "local:1", identifier: "LOCAL-1", title: hostileTitle, project: "demo", stateName: "Todo", started: false }

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = NodePath.join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(entry.name) ? [full] : []
  })

describe("outside text on the screen", () => {
  it("the picker shows a title with an OSC, a CSI colour, \\r and \\n as one plain row", async () => {
    const app = renderApp(vmWith({ tickets: [hostileTicket] }))
    await app.press("s")
    const frame = await app.frame((f) => f.includes("LOCAL-1"))
    expect(hasTerminalControl(frame)).toBe(false)
    const rows = frame.split("\n").filter((line) => line.includes("LOCAL-1"))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain("evil  red a b c  link end")
    // Nothing of the title leaked onto a row of its own.
    expect(frame.split("\n").filter((line) => /\bb\b|link end/.test(line) && !line.includes("LOCAL-1"))).toEqual([])
  })

  it("session list, inbox, transcript and status line show agent text without controls or broken lines", async () => {
    const app = renderApp(
      vmWith({
        sessions: [{ sessionId: "s1", workItemId: "w1", label: "LOCAL-1", title: hostileTitle, stage: "Implementing", state: "Running", workflowState: "Implementing", active: true }],
        inbox: [{ id: "i1", lane: "decide", urgency: 1, title: `inbox ${hostileTitle}`, sessionId: "s1" }],
        focused: focusedSession({ blocks: [{ id: "b1", kind: "message", text: `said ${hostileTitle}` }] }),
        notice: `notice \x1b]0;pwned\x07 x\ry`
      })
    )
    const frame = await app.frame((f) => f.includes("notice"))
    expect(hasTerminalControl(frame)).toBe(false)
    expect(frame).toContain("notice  x y")
  })

  it("only components/Text.tsx takes Text from Ink: every other text goes through it", () => {
    const offenders = sourceFiles("src/ui").filter(
      (file) => !file.endsWith(NodePath.join("components", "Text.tsx")) && /import\s*\{[^}]*\bText\b[^}]*\}\s*from\s*"ink"/.test(readFileSync(file, "utf8"))
    )
    expect(offenders).toEqual([])
  })
})
