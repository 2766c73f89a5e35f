import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { wantsPlainText } from "../../../src/programs/cli/parserConsole.js"
import { runBin } from "../../support/runBin.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-usage-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const usageError = (args: ReadonlyArray<string>) => {
  const result = runBin(args, { HOME: home })
  expect(result.status).toBe(2)
  expect(result.stdout).toBe("")
  return result.stderr.trim()
}

describe("usage errors (bin)", () => {
  it("are one line prefixed with orchestrator: that names the flag", () => {
    expect(usageError(["sessions", "list", "--state"])).toBe(
      "orchestrator: --state needs a value (one of Starting, Running, Idle, WaitingForUser, Done, Crashed, Killed)"
    )
    expect(usageError(["sessions", "list", "--state", "bogus"])).toBe(
      'orchestrator: --state: expected one of Starting, Running, Idle, WaitingForUser, Done, Crashed, Killed; got "bogus"'
    )
    expect(usageError(["tickets", "list", "--harness-provider", "harness.gemini"])).toBe(
      'orchestrator: --harness-provider: expected one of harness.codex, harness.opencode, harness.claude; got "harness.gemini"'
    )
    expect(usageError(["tickets", "list", "--config"])).toBe("orchestrator: --config needs a value (file)")
    expect(usageError(["config", "init", "--forc"])).toBe("orchestrator: unknown flag --forc (see --help)")
    expect(usageError(["sessions", "show"])).toBe("orchestrator: Missing argument <ID>")
  })
})

describe("--help", () => {
  it("is plain text under NO_COLOR and into a pipe", () => {
    for (const env of [{ HOME: home, NO_COLOR: "1" }, { HOME: home }]) {
      const result = runBin(["sessions", "list", "--help"], env)
      expect(result.status).toBe(0)
      expect(result.stdout).toContain("--state")
      expect(result.stdout).not.toContain("\x1b")
    }
    const root = runBin(["--help"], { HOME: home })
    expect(root.stdout).toContain("COMMANDS")
    expect(root.stdout).not.toContain("\x1b")
  })

  it("keeps colour only on a terminal without NO_COLOR", () => {
    expect(wantsPlainText({}, true)).toBe(false)
    expect(wantsPlainText({ NO_COLOR: "1" }, true)).toBe(true)
    expect(wantsPlainText({ NO_COLOR: "" }, true)).toBe(false)
    expect(wantsPlainText({}, false)).toBe(true)
  })
})
