import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { binPath, runBin } from "../../support/runBin.js"
import { makeTmux, tmuxAvailable } from "./tmux.js"

const probePath = NodePath.join(NodePath.dirname(fileURLToPath(import.meta.url)), "ttyProbe.mjs")

/** The scripted agent: streams a plan, asks for an approval; a message after that gets a reply. */
const script = {
  script: [
    { event: { _tag: "TurnStarted", turnId: "t1" } },
    { afterMs: 150, event: { _tag: "TextDelta", itemId: "m1", text: "Reading the " } },
    { afterMs: 250, event: { _tag: "TextDelta", itemId: "m1", text: "repository now." } },
    { afterMs: 150, event: { _tag: "ApprovalRequested", requestId: "r1", kind: "command", subject: "npm install left-pad", cwd: null, reason: "needs a dependency" } }
  ],
  // Input 1 is the planning prelude; input 2 the person's message.
  onInput: [[], [{ event: { _tag: "Message", itemId: "m2", text: "Understood, switching to CSS variables." } }]]
}

let root = ""
beforeEach(() => {
  root = mkdtempSync(NodePath.join(tmpdir(), "orch-tui-"))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const git = (cwd: string, ...args: ReadonlyArray<string>) => {
  const result = spawnSync("git", [...args], { cwd, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: root, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" } })
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`)
}

describe.skipIf(!tmuxAvailable)("orchestrator run in a real terminal (tmux; skipped only when /usr/bin/tmux is absent)", () => {
  it("picker → start → streamed transcript → approval → message → q exits 0 and gives the terminal back", async () => {
    const home = NodePath.join(root, "home")
    const repo = NodePath.join(root, "repo")
    mkdirSync(NodePath.join(home, ".config", "orchestrator"), { recursive: true })
    mkdirSync(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "init")
    writeFileSync(
      NodePath.join(home, ".config", "orchestrator", "config.toml"),
      `ticketing_provider = "ticketing.local"\n[projects]\ndemo = ${JSON.stringify(repo)}\n`
    )
    const scriptPath = NodePath.join(root, "script.json")
    writeFileSync(scriptPath, JSON.stringify(script))
    const added = runBin(["tickets", "add", "Add dark mode", "--project", "demo"], { HOME: home })
    expect(added.status).toBe(0)

    const tmux = makeTmux(`orch-e2e-${process.pid}-${Date.now()}`)
    try {
      tmux.start({ HOME: home, PATH: process.env["PATH"] ?? "", TERM: "xterm-256color", ORCHESTRATOR_SCRIPTED_HARNESS: scriptPath }, [
        process.execPath,
        probePath,
        process.execPath,
        binPath,
        "run"
      ])
      const first = await tmux.waitFor((s) => s.includes("Press s to pick a ticket"), "the first screen")
      expect(first).toContain("Sessions")
      expect(tmux.pane("#{alternate_on}")).toBe("1")

      tmux.keys("s")
      const picker = await tmux.waitFor((s) => s.includes("LOCAL-1 [Todo] Add dark mode"), "the ticket picker")
      expect(picker).toMatch(/demo\s*│\n.*LOCAL-1/)

      tmux.keys("Enter")
      const streamed = await tmux.waitFor((s) => s.includes("Reading the repository now."), "the streamed transcript")
      expect(streamed).toContain("LOCAL-1")
      const approval = await tmux.waitFor((s) => s.includes("Approval needed (command)"), "the approval panel")
      expect(approval).toContain("npm install left-pad")
      expect(approval).toContain("Approve command: npm insta")

      tmux.keys("a")
      const approved = await tmux.waitFor((s) => s.includes("you › approval: accept") && !s.includes("Approval needed"), "the approval to clear")
      expect(approved).toContain("Inbox · empty")

      tmux.keys("i")
      tmux.type("use css variables")
      await tmux.waitFor((s) => s.includes("› use css variables"), "the typed message")
      tmux.keys("Enter")
      const replied = await tmux.waitFor((s) => s.includes("Understood, switching to CSS variables."), "the agent's reply")
      expect(replied.indexOf("you › use css variables")).toBeLessThan(replied.indexOf("Understood, switching"))

      tmux.keys("Escape")
      await tmux.waitFor((s) => s.includes("[normal]"), "normal mode")
      tmux.keys("q")
      const after = await tmux.waitFor((s) => s.includes("EXIT="), "the process to exit")
      // Exit code 0, and the terminal restored: line editing and echo back on, main screen, cursor shown.
      expect(after).toContain("EXIT=0 ICANON=on ECHO=on")
      expect(after).not.toContain("Sessions")
      expect(tmux.pane("#{alternate_on}")).toBe("0")
      expect(tmux.pane("#{cursor_flag}")).toBe("1")

      // Everything went through the store: the session is there after the run.
      const listed = runBin(["sessions", "list", "--json"], { HOME: home })
      expect(listed.status).toBe(0)
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ ticket: "LOCAL-1", harness: "harness.scripted", workflowState: "Planning" })])
    } finally {
      tmux.kill()
    }
  })
})
