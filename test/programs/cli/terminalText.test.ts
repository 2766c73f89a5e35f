import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { hasTerminalControl, hostileTitle } from "../../support/hostileText.js"
import { runBin } from "../../support/runBin.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-tt-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

describe("text from outside on the terminal (bin)", () => {
  it("a title with an OSC, a CSI colour, \\r and \\n reaches `tickets add` and `tickets list` as one plain line", () => {
    const env = { HOME: home }
    const added = runBin(["tickets", "add", hostileTitle], env)
    expect(added.status).toBe(0)
    expect(hasTerminalControl(added.stdout)).toBe(false)
    expect(added.stdout.trim().split("\n")).toHaveLength(1)

    const listed = runBin(["tickets", "list"], env)
    expect(listed.status).toBe(0)
    expect(listed.stdout).not.toContain("\x1b")
    expect(hasTerminalControl(listed.stdout)).toBe(false)
    const lines = listed.stdout.trim().split("\n")
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^LOCAL-1 .*evil\s+red a b c\s+link end$/)

    // The JSON keeps the title as it was stored, escaped by JSON itself.
    const json = runBin(["tickets", "list", "--json"], env)
    expect(json.stdout).not.toContain("\x1b")
    expect(JSON.parse(json.stdout)[0].title).toBe(hostileTitle)
  })
})
