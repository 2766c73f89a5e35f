import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { runBin } from "../../support/runBin.js"

let home = ""
let dir = ""
let file = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-config-"))
  dir = NodePath.join(home, ".config", "orchestrator")
  file = NodePath.join(dir, "config.toml")
  mkdirSync(dir, { recursive: true })
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

describe("config (bin)", () => {
  it("`config init --force` twice keeps both earlier files, each in its own timestamped backup", () => {
    writeFileSync(file, "# first edit\n")
    const first = runBin(["config", "init", "--force"], { HOME: home })
    expect(first.status).toBe(0)
    expect(first.stdout).toMatch(/previous file saved as .*config\.toml\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?\.bak\)\n$/)
    writeFileSync(file, "# second edit\n")
    expect(runBin(["config", "init", "--force"], { HOME: home }).status).toBe(0)
    const backups = readdirSync(dir).filter((name) => name.endsWith(".bak"))
    expect(backups).toHaveLength(2)
    expect(backups.map((name) => readFileSync(NodePath.join(dir, name), "utf8")).sort()).toEqual(["# first edit\n", "# second edit\n"])
    expect(readFileSync(file, "utf8")).toContain("[database]")
  })

  it("a value of the wrong type is described in words", () => {
    writeFileSync(file, "database = 5\n")
    const result = runBin(["tickets", "list"], { HOME: home })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(`orchestrator: ${file}: database: expected a table, found the integer 5`)
  })
})
