import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { runBin } from "../../support/runBin.js"

let home = ""
beforeEach(() => {
  home = mkdtempSync(NodePath.join(tmpdir(), "orch-cli-"))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const env = () => ({ HOME: home })

describe("the orchestrator bin", () => {
  it("on a fresh HOME, `sessions list` writes the default config and an empty store and prints an empty table", () => {
    const result = runBin(["sessions", "list"], env())
    expect(result.status).toBe(0)
    expect(result.stdout.split("\n")[0]).toMatch(/^ID\s+TICKET\s+WORKFLOW\s+STATE\s+HARNESS\s+PR\s+LAST ACTIVITY$/)
    expect(existsSync(NodePath.join(home, ".config", "orchestrator", "config.toml"))).toBe(true)
    expect(existsSync(NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite"))).toBe(true)
  })

  it("`sessions list --json` prints [] and nothing else on stdout", () => {
    const result = runBin(["sessions", "list", "--json"], env())
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([])
  })

  it("a wrong type in the config fails with one line naming file, key and expected type, and keeps the file", () => {
    const dir = NodePath.join(home, ".config", "orchestrator")
    mkdirSync(dir, { recursive: true })
    const file = NodePath.join(dir, "config.toml")
    writeFileSync(file, '[database]\nbusy_timeout_ms = "soon"\n')
    const result = runBin(["sessions", "list"], env())
    expect(result.status).toBe(1)
    const lines = result.stderr.trim().split("\n")
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(file)
    expect(lines[0]).toContain("database.busy_timeout_ms")
    expect(lines[0]).toContain("expected a whole number of milliseconds")
    expect(readFileSync(file, "utf8")).toBe('[database]\nbusy_timeout_ms = "soon"\n')
    expect(existsSync(NodePath.join(home, ".local", "share", "orchestrator", "events.sqlite"))).toBe(false)
  })

  it("global flags work after the subcommand too, and bad values are usage errors (exit 2)", () => {
    const other = NodePath.join(home, "other.toml")
    const ok = runBin(["config", "path", "--config", other], env())
    expect(ok.status).toBe(0)
    expect(ok.stdout.trim()).toBe(other)
    const bad = runBin(["sessions", "list", "--harness-provider", "harness.gemini"], env())
    expect(bad.status).toBe(2)
    const unknown = runBin(["sessionz"], env())
    expect(unknown.status).toBe(2)
  })

  it("`config show` never prints a secret value", () => {
    const result = runBin(["config", "show"], { ...env(), LINEAR_API_KEY: "lin_api_supersecret", OPENROUTER_API_KEY: "sk-or-secret" })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain("# LINEAR_API_KEY: set (hidden)")
    expect(result.stdout).toContain('ticketing_provider = "ticketing.linear"')
    expect(result.stdout + result.stderr).not.toContain("supersecret")
    expect(result.stdout + result.stderr).not.toContain("sk-or-secret")
  })

  it("`config init` refuses to overwrite without --force, and keeps a backup with it", () => {
    expect(runBin(["config", "init"], env()).status).toBe(0)
    const file = NodePath.join(home, ".config", "orchestrator", "config.toml")
    writeFileSync(file, "# mine\n")
    const refused = runBin(["config", "init"], env())
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain("--force")
    expect(readFileSync(file, "utf8")).toBe("# mine\n")
    expect(runBin(["config", "init", "--force"], env()).status).toBe(0)
    const backups = readdirSync(NodePath.dirname(file)).filter((name) => name.endsWith(".bak"))
    expect(backups.map((name) => readFileSync(NodePath.join(NodePath.dirname(file), name), "utf8"))).toEqual(["# mine\n"])
  })

  it("`doctor` prints one line per check and exits 1 when a required binary is missing", () => {
    const dir = NodePath.join(home, ".config", "orchestrator")
    mkdirSync(dir, { recursive: true })
    writeFileSync(NodePath.join(dir, "config.toml"), '[github]\nbinary = "gh-that-does-not-exist"\n')
    const result = runBin(["doctor"], env())
    expect(result.status).toBe(1)
    expect(result.stdout).toMatch(/^ok\s+git\s+git version/m)
    expect(result.stdout).toMatch(/^FAIL\s+gh\s+github\.binary = "gh-that-does-not-exist"/m)
    expect(result.stdout).toMatch(/^ok\s+codex\s+codex-cli/m)
    expect(result.stdout).toMatch(/^ok\s+store\s+/m)
    expect(result.stderr).toContain("missing required: gh")
  })

  it("--version and --help exit 0", () => {
    expect(runBin(["--version"], env()).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    const help = runBin(["--help"], env())
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("sessions")
  })
})
