import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { runBin } from "../../support/runBin.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-demo-home-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

describe("orchestrator run --demo", () => {
  it("runs the whole loop offline, labelled as a demo, and leaves nothing behind", () => {
    const result = runBin(["run", "--demo", "--headless"], { HOME: home }, home)
    expect(result.status).toBe(0)
    const banner = result.stderr.split("\n").find((line) => line.startsWith("DEMO: "))
    expect(banner).toBeDefined()
    const dir = /in (\S+) \(/.exec(banner ?? "")?.[1] ?? ""
    expect(dir.startsWith(tmpdir())).toBe(true)
    const done = result.stdout.split("\n").filter((line) => line.includes("event=WorkflowTransition") && line.includes("to=Done"))
    expect(done).toHaveLength(3)
    expect(result.stdout).toContain("event=ArtifactCreated")
    expect(result.stdout).toMatch(/event=stopped reason="nothing left to do"/)
    // Nothing outside the temp dir: HOME untouched, and the temp dir itself is gone.
    expect(readdirSync(home)).toEqual([])
    expect(existsSync(dir)).toBe(false)
  }, 120_000)
})
